package main

import (
	"os"
	"syscall"
)

// Sitrep for Windows is linked with -H windowsgui (scripts/dist.sh), so no console window
// flashes up behind the desktop app. A GUI-subsystem program has no console of its own; to make
// the CLI still print when started from cmd.exe or PowerShell, attachParentConsole attaches
// to the console of the parent process and points stdout and stderr at it. Output that is
// already redirected (to a file or a pipe) is left alone. Started from Explorer there is no
// parent console and nothing changes.
func init() { attachParentConsole() }

const attachParentProcess = ^uint32(0) // ATTACH_PARENT_PROCESS, (DWORD)-1

func attachParentConsole() {
	if len(os.Args) < 2 {
		return // the desktop app: no console wanted
	}
	outOK := validStdHandle(syscall.STD_OUTPUT_HANDLE)
	errOK := validStdHandle(syscall.STD_ERROR_HANDLE)
	if outOK && errOK {
		return // both redirected: nothing to attach
	}
	kernel32 := syscall.NewLazyDLL("kernel32.dll")
	attach := kernel32.NewProc("AttachConsole")
	if r, _, _ := attach.Call(uintptr(attachParentProcess)); r == 0 {
		return // no parent console (started from Explorer or a service)
	}
	con, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	setStd := kernel32.NewProc("SetStdHandle")
	set := func(which int, f *os.File) { setStd.Call(uintptr(which), f.Fd()) } // DWORD: low 32 bits
	if !outOK {
		os.Stdout = con
		set(syscall.STD_OUTPUT_HANDLE, con)
	}
	if !errOK {
		os.Stderr = con
		set(syscall.STD_ERROR_HANDLE, con)
	}
}

// validStdHandle reports whether the standard handle refers to something (a redirection).
func validStdHandle(which int) bool {
	h, err := syscall.GetStdHandle(which)
	if err != nil || h == 0 || h == syscall.InvalidHandle {
		return false
	}
	_, err = syscall.GetFileType(h)
	return err == nil
}
