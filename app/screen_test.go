package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestFitWindow(t *testing.T) {
	tests := []struct {
		name       string
		want, area fyne.Size
		got        fyne.Size
	}{
		{"laptop, default size", fyne.Size{}, fyne.NewSize(1366, 728), fyne.NewSize(1280, 680)},
		{"laptop, remembered larger size", fyne.NewSize(1900, 1000), fyne.NewSize(1366, 768), fyne.NewSize(1350, 720)},
		{"big screen keeps the user's size", fyne.NewSize(1000, 700), fyne.NewSize(1920, 1040), fyne.NewSize(1000, 700)},
		{"unknown screen", fyne.NewSize(1000, 700), fyne.Size{}, fyne.NewSize(1000, 700)},
		{"tiny screen: never larger than it", fyne.Size{}, fyne.NewSize(640, 480), fyne.NewSize(624, 432)},
		{"too small a remembered size grows to the minimum", fyne.NewSize(300, 200), fyne.NewSize(1366, 768), fyne.NewSize(800, 520)},
	}
	for _, tc := range tests {
		if got := fitWindow(tc.want, tc.area); got != tc.got {
			t.Errorf("%s: fitWindow(%v, %v) = %v, want %v", tc.name, tc.want, tc.area, got, tc.got)
		}
	}
}

func TestMiddleCut(t *testing.T) {
	test.NewTempApp(t) // text is measured through the app's driver
	long := "International waters off Venezuela, 12.345 N 70.123 W"
	for _, w := range []float32{60, 120, 200} {
		got := middleCut(long, w)
		if textWidth(got) > w {
			t.Errorf("width %v: %q is %v wide", w, got, textWidth(got))
		}
		if got == long || []rune(got)[0] != 'I' || got[len(got)-1] != 'W' {
			t.Errorf("width %v: %q does not keep both ends", w, got)
		}
	}
	if got := middleCut("GEN-0000001", 400); got != "GEN-0000001" {
		t.Errorf("short text cut: %q", got)
	}
}
