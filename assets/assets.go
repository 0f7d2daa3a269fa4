package assets

import (
	_ "embed"
)

//go:generate go run gen_icon.go

//go:embed icon.png
var iconPNG []byte

// IconPNG returns the app icon, a 512x512 PNG (drawn by gen_icon.go).
func IconPNG() []byte { return iconPNG }
