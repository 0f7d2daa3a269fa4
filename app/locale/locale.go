// Package locale makes Fyne start cleanly under the C/POSIX locale.
//
// Fyne's lang package reads the locale from LC_ALL, LC_MESSAGES, LANG and LANGUAGE (through
// github.com/jeandeaual/go-locale) when it initialises, and hands "C" to a BCP 47 parser when
// the locale is C.UTF-8 or POSIX.UTF-8 (common in containers and minimal systems), which logs
// "Error parsing user locale C" on every start. Importing this package sets LANGUAGE to
// English for those cases only, before Fyne's package initialisation reads it: Go initialises
// packages in import-path order among those whose imports are ready, and this package, which
// imports only os and strings, sorts before text/template, a dependency of fyne.io/fyne/v2/lang.
// Nothing else about the locale changes (dates and numbers in Sitrep do not depend on it).
package locale

import (
	"os"
	"strings"
)

func init() { Fix(os.Getenv, os.Setenv) }

// Fix sets LANGUAGE=en when the effective message locale (the first of LC_ALL, LC_MESSAGES,
// LANG that is set) names no language Fyne can parse: C or POSIX with an encoding or modifier
// ("C.UTF-8", "POSIX@x"), or the same in LANGUAGE itself. It reports whether it changed
// anything. getenv and setenv are parameters so tests need not touch the process environment.
func Fix(getenv func(string) string, setenv func(string, string) error) bool {
	eff := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			eff = v
			break
		}
	}
	// Plain C and POSIX are handled by go-locale itself (it returns no locale, and Fyne then
	// uses English); only the forms with a suffix reach the parser.
	if eff == "C" || eff == "POSIX" {
		return false
	}
	langs := getenv("LANGUAGE")
	if langs != "" {
		if !badLanguage(strings.Split(langs, ":")[0]) {
			return false
		}
	} else if !badLanguage(eff) {
		return false
	}
	return setenv("LANGUAGE", "en") == nil
}

// badLanguage reports whether a POSIX locale name has a language part a BCP 47 parser rejects.
func badLanguage(loc string) bool {
	lang, _, _ := strings.Cut(loc, ".")
	lang, _, _ = strings.Cut(lang, "@")
	lang, _, _ = strings.Cut(strings.ReplaceAll(lang, "-", "_"), "_")
	switch lang {
	case "C", "POSIX", "c", "posix":
		return true
	}
	return false
}
