package discovery

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// A Numbering numbers strings as Number does: in order of first
// appearance, each once, copying what it keeps (here a view of a buffer
// that is then overwritten), whatever places they share in its table.
func TestNumberingAsNumber(t *testing.T) {
	var n Numbering
	var list []string
	index := map[string]int32{}
	var want []string
	buf := []byte("product")
	view := unsafe.String(&buf[0], len(buf))
	for _, s := range []string{"home", view, "payment", "", "home", "payment", view, "", "product"} {
		assert.Equal(t, Number(index, &want, s), n.Number(&list, s), s)
	}
	copy(buf, "xxxxxxx") // the reader reuses its buffer
	assert.Equal(t, []string{"home", "product", "payment", ""}, list)
	assert.Equal(t, int32(1), n.Number(&list, "product"))

	// Strings that share a place still get their own numbers.
	var clash []string
	for i := 0; len(clash) < 2 && i < 1<<16; i++ {
		s := string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26))
		if len(clash) == 0 || RecentSlot(s) == RecentSlot(clash[0]) && s != clash[0] {
			clash = append(clash, s)
		}
	}
	n.Reset()
	list = nil
	for range 3 {
		assert.Equal(t, int32(0), n.Number(&list, clash[0]))
		assert.Equal(t, int32(1), n.Number(&list, clash[1]))
	}
	assert.Equal(t, clash, list)
}

// equalShort compares words, not bytes: for every length, a string
// differing from another in any one byte is unequal to it, and a copy
// equal.
func TestEqualShort(t *testing.T) {
	for n := range 21 {
		a := []byte("abcdefghijklmnopqrstu"[:n])
		assert.True(t, equalShort(string(a), string(a)), "%q", a)
		for i := range n {
			b := []byte(string(a))
			b[i] ^= 0x20
			assert.False(t, equalShort(string(a), string(b)), "%q and %q", a, b)
		}
		if n > 0 {
			assert.False(t, equalShort(string(a), string(a[:n-1])), "%q and %q", a, a[:n-1])
		}
	}
}
