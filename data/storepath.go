package data

import (
	"os"
	"path/filepath"
)

// StorePath resolves the store file both faces of Sitrep use: given (a --db flag, say) when
// not empty, else $SITREP_DB, else DefaultStorePath.
func StorePath(given string) string {
	if given != "" {
		return given
	}
	if env := os.Getenv("SITREP_DB"); env != "" {
		return env
	}
	return DefaultStorePath()
}

// DefaultStorePath is sitrep.db in the user's data folder ($XDG_DATA_HOME/sitrep on Linux,
// %AppData%\Sitrep on Windows, ~/Library/Application Support/Sitrep on macOS).
func DefaultStorePath() string {
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "sitrep", "sitrep.db")
	}
	if home, err := os.UserHomeDir(); err == nil {
		switch {
		case os.Getenv("APPDATA") != "":
			return filepath.Join(os.Getenv("APPDATA"), "Sitrep", "sitrep.db")
		case isDir(filepath.Join(home, "Library")):
			return filepath.Join(home, "Library", "Application Support", "Sitrep", "sitrep.db")
		default:
			return filepath.Join(home, ".local", "share", "sitrep", "sitrep.db")
		}
	}
	return "sitrep.db"
}

func isDir(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
