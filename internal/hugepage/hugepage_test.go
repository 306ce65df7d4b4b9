package hugepage

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// The advice covers only whole huge pages inside the table: never a byte
// of memory around it.
func TestExtent(t *testing.T) {
	const M = 1 << 20
	for _, c := range []struct {
		p, n, lo, hi uintptr
	}{
		{0, 4 * M, 0, 4 * M},              // aligned
		{1, 4 * M, 2 * M, 4 * M},          // starts just past a boundary, ends just past another
		{2*M - 1, 4*M + 1, 2 * M, 6 * M},  // one byte either side
		{3 * M, 4 * M, 4 * M, 6 * M},      // half a page either side
		{3 * M, 2 * M, 4 * M, 4 * M},      // no whole page
		{10*M + 5, 8 * M, 12 * M, 18 * M}, // several
	} {
		lo, hi := extent(c.p, c.n)
		assert.Equal(t, []uintptr{c.lo, c.hi}, []uintptr{lo, hi}, "%#x+%#x", c.p, c.n)
		assert.True(t, hi <= lo || lo >= c.p && hi <= c.p+c.n, "inside the table")
	}
}

// Advise is a hint: on any table, large or small, it changes nothing a
// program can read.
func TestAdviseKeepsValues(t *testing.T) {
	for _, n := range []int{0, 1, 3 << 20, 9 << 20} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i)
		}
		Advise(unsafe.Pointer(unsafe.SliceData(b)), uintptr(n))
		for i := range b {
			if b[i] != byte(i) {
				t.Fatalf("byte %d of %d changed", i, n)
			}
		}
	}
}

// Grow keeps every value, in order, across the pieces it copies, and
// makes room for n more; with room already, it is s. Clear zeroes every
// value, across its pieces.
func TestGrowAndClear(t *testing.T) {
	for _, n := range []int{0, 1, piece/8 - 1, piece / 8, piece/8 + 1, 3*piece/8 + 5} {
		s := make([]int64, n)
		for i := range s {
			s[i] = int64(i) + 1
		}
		g := Grow(s, n+1)
		assert.Equal(t, s, g, "n=%d", n)
		assert.GreaterOrEqual(t, cap(g)-len(g), n+1)
		assert.Same(t, unsafe.SliceData(g), unsafe.SliceData(Grow(g, 1)), "room already: no new array")
		Clear(g)
		assert.Equal(t, make([]int64, n), g, "n=%d", n)
	}
}
