package numbering

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// A Strings numbers strings as Number does: in order of first
// appearance, each once, copying what it keeps (here a view of a buffer
// that is then overwritten), whatever places they share in its table.
func TestNumberingAsNumber(t *testing.T) {
	var n Strings
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
		if len(clash) == 0 || Slot(s) == Slot(clash[0]) && s != clash[0] {
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

	// Strings longer than 16 bytes that share their words and length are
	// told apart by their bytes.
	long := []string{"touchpoint-AAA-of-the-journey", "touchpoint-BBB-of-the-journey"}
	n.Reset()
	list = nil
	for range 3 {
		assert.Equal(t, int32(0), n.Number(&list, long[0]))
		assert.Equal(t, int32(1), n.Number(&list, long[1]))
	}
	assert.Equal(t, long, list)
}

// words tell strings of up to 16 bytes apart: for every length, a string
// differing from another in any one byte has other words.
func TestWords(t *testing.T) {
	for n := range 17 {
		a := "abcdefghijklmnopq"[:n]
		wa0, wa1 := words(a)
		for i := range n {
			b := []byte(a)
			b[i] ^= 0x20
			wb0, wb1 := words(string(b))
			assert.False(t, wa0 == wb0 && wa1 == wb1, "%q and %q share words", a, b)
		}
	}
}
