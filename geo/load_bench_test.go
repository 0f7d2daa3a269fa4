package geo

import (
	"testing"

	"sitrep/assets"
)

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(assets.WorldMap()); err != nil {
			b.Fatal(err)
		}
	}
}
