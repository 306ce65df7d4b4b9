// Package wire reads the varint encodings that results and tallies travel
// between machines in (encoding/binary's varints). A Reader remembers the
// first thing it could not read, so that a decoder reads straight through
// and checks once at the end, with no error at every step and no panic.
// Counts are never larger than the bytes left, so that a loop over one
// cannot outgrow its input.
package wire

import "encoding/binary"

// Reader reads values from bytes. Once a read fails (or Fail is called)
// every later one returns zero, and OK reports false.
type Reader struct {
	b   []byte
	bad bool
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Int reads a signed varint.
func (r *Reader) Int() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Uint reads an unsigned varint.
func (r *Reader) Uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Count reads a length or a number of items, which cannot exceed the
// bytes left (each item takes one byte at least).
func (r *Reader) Count() int {
	v := r.Uint()
	if v > uint64(len(r.b)) {
		r.Fail()
		return 0
	}
	return int(v)
}

// Index reads a number that must be below n.
func (r *Reader) Index(n int) int {
	v := r.Uint()
	if v >= uint64(n) {
		r.Fail()
		return 0
	}
	return int(v)
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.bad || len(r.b) == 0 {
		r.Fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// String reads a length, then that many bytes.
func (r *Reader) String() string {
	n := r.Count()
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// Fail marks the input bad: a value read was not one an encoder writes.
func (r *Reader) Fail() { r.bad, r.b = true, nil }

// OK reports whether everything was read, and nothing is left over.
func (r *Reader) OK() bool { return !r.bad && len(r.b) == 0 }
