package data

import "testing"

func TestThousandsAndSignedChange(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {-12345, "-12,345"}, {1000000, "1,000,000"}} {
		if got := Thousands(c.n); got != c.want {
			t.Errorf("Thousands(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		lo, hi int
		want   string
	}{{4, 4, "+4"}, {-1, -1, "-1"}, {0, 0, "0"}, {4, 5, "+4/+5"}, {1200, 1200, "+1,200"}} {
		if got := SignedChange(c.lo, c.hi); got != c.want {
			t.Errorf("SignedChange(%d, %d) = %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}

func TestByteSize(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{0, "0 bytes"}, {12, "12 bytes"}, {1023, "1023 bytes"}, {1024, "1 KB"}, {1536, "1 KB"}, {900 << 10, "900 KB"},
		{1<<20 - 1, "1023 KB"}, {3<<20 + 1<<19, "3.5 MB"}, {2 << 30, "2.0 GB"}} {
		if got := ByteSize(c.n); got != c.want {
			t.Errorf("ByteSize(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 rows"}, {1, "1 row"}, {2, "2 rows"}, {1204, "1,204 rows"}} {
		if got := Plural(c.n, "row"); got != c.want {
			t.Errorf("Plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
