package replay

import "testing"

func TestNaturalCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"c2", "c10", -1},
		{"c10", "c2", 1},
		{"c10", "c10", 0},
		{"c010", "c10", 0}, // the same number: not strictly after, so not sorted
		{"a", "b", -1},
		{"a1b2", "a1b10", -1},
		{"a1", "a1b", -1},
		{"9", "10", -1},
		{"x", "1", 1}, // '1' < 'x' as bytes
		{"", "a", -1},
	} {
		if got := naturalCompare(c.a, c.b); got != c.want {
			t.Errorf("naturalCompare(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
