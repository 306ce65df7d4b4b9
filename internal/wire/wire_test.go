package wire

import (
	"encoding/binary"
	"testing"
)

// Values read back as written; a read past the end, a count larger than
// the input or an index out of range makes the Reader bad for good, and
// leftover bytes do too.
func TestReader(t *testing.T) {
	b := binary.AppendVarint(nil, -5)
	b = binary.AppendUvarint(b, 3)
	b = append(b, "abc"...)
	b = binary.AppendUvarint(b, 7)
	b = append(b, 9)
	r := NewReader(b)
	if r.Int() != -5 || r.String() != "abc" || r.Index(8) != 7 || r.Byte() != 9 || !r.OK() {
		t.Fatal("values did not read back")
	}
	if r.Int(); r.OK() {
		t.Fatal("a read past the end is not bad")
	}

	r = NewReader(binary.AppendUvarint(nil, 100))
	if r.Count() != 0 || r.OK() {
		t.Fatal("a count past the input is not bad")
	}
	r = NewReader(binary.AppendUvarint(nil, 8))
	if r.Index(8); r.OK() {
		t.Fatal("an index out of range is not bad")
	}
	if NewReader([]byte{1, 2}).OK() {
		t.Fatal("leftover bytes are OK")
	}
	r = NewReader(binary.AppendVarint(nil, 1))
	r.Fail()
	if r.Int() != 0 || r.OK() {
		t.Fatal("Fail did not stick")
	}
}
