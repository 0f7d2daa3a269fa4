// Command checkpe checks that a file is a valid Windows executable as Sitrep ships it: a PE
// image for amd64 with the Windows GUI subsystem (linked with -H windowsgui, so no console
// flashes up behind the app), not a DLL, with the sections and imports a Go program has.
//
// Usage: go run ./scripts/checkpe FILE.exe
package main

import (
	"debug/pe"
	"fmt"
	"os"
	"slices"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: checkpe FILE.exe")
		os.Exit(2)
	}
	if err := check(os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "checkpe: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func check(path string) error {
	f, err := pe.Open(path)
	if err != nil {
		return fmt.Errorf("not a PE file: %w", err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		return fmt.Errorf("machine %#x, want amd64 (%#x)", f.Machine, pe.IMAGE_FILE_MACHINE_AMD64)
	}
	if f.Characteristics&pe.IMAGE_FILE_EXECUTABLE_IMAGE == 0 {
		return fmt.Errorf("not marked as an executable image")
	}
	if f.Characteristics&pe.IMAGE_FILE_DLL != 0 {
		return fmt.Errorf("a DLL, not a program")
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		return fmt.Errorf("no PE32+ optional header")
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		return fmt.Errorf("subsystem %d, want the Windows GUI subsystem (%d): link with -H windowsgui", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	if oh.AddressOfEntryPoint == 0 {
		return fmt.Errorf("no entry point")
	}
	for _, name := range []string{".text", ".data"} {
		if f.Section(name) == nil {
			return fmt.Errorf("no %s section", name)
		}
	}
	// debug/pe's ImportedLibraries is not implemented; the DLLs come from the imported
	// symbols, which read "Name:dll".
	syms, err := f.ImportedSymbols()
	if err != nil {
		return fmt.Errorf("imports: %w", err)
	}
	perDLL := map[string]int{}
	for _, s := range syms {
		if i := strings.LastIndexByte(s, ':'); i >= 0 {
			perDLL[strings.ToLower(s[i+1:])]++
		}
	}
	libs := make([]string, 0, len(perDLL))
	for l := range perDLL {
		libs = append(libs, l)
	}
	slices.Sort(libs)
	// OpenGL for the GUI (Fyne through GLFW), user32 for its windows, kernel32 for everything.
	for _, want := range []string{"kernel32.dll", "user32.dll", "opengl32.dll"} {
		if perDLL[want] == 0 {
			return fmt.Errorf("does not import %s (imports %v)", want, libs)
		}
	}
	fmt.Printf("checkpe: %s: PE32+ amd64, Windows GUI subsystem, entry %#x, %d sections, %d imported functions from %s\n",
		path, oh.AddressOfEntryPoint, len(f.Sections), len(syms), strings.Join(libs, " "))
	return nil
}
