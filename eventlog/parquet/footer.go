package parquet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// maxFooterBytes is the largest file metadata read: real files' footers
// are kilobytes to a few megabytes.
const maxFooterBytes = 256 << 20

// checkFooter reads the file metadata at the end of a Parquet file of
// size bytes and checks that every length and count in it fits in the
// bytes that remain, before the decoder allocates for it: a damaged or
// hostile footer (a list said to hold three billion columns) is an error,
// not a fatal out-of-memory. It reads the footer once and holds it: O(its
// size) time and memory.
func checkFooter(r io.ReaderAt, size int64) error {
	if size < 12 {
		return errors.New("too short to be a Parquet file")
	}
	var tail [8]byte
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if string(tail[4:]) != "PAR1" {
		return errors.New("it does not end with the Parquet magic bytes")
	}
	if n > size-12 || n > maxFooterBytes {
		return fmt.Errorf("its footer claims %d bytes in a file of %d", n, size)
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-8-n); err != nil {
		return err
	}
	c := compact{b: buf}
	if err := c.skipStruct(0); err != nil {
		return fmt.Errorf("its footer is damaged at byte %d: %w", c.at, err)
	}
	return nil
}

// compact walks Thrift's compact protocol without keeping anything,
// checking each length against what is left.
type compact struct {
	b  []byte
	at int
}

var errShort = errors.New("a length or count runs past the footer's end")

func (c *compact) byte() (byte, error) {
	if c.at >= len(c.b) {
		return 0, errShort
	}
	c.at++
	return c.b[c.at-1], nil
}

func (c *compact) varint() (uint64, error) {
	v, n := binary.Uvarint(c.b[c.at:])
	if n <= 0 {
		return 0, errShort
	}
	c.at += n
	return v, nil
}

// fits checks that count items of at least each bytes fit in what is left.
func (c *compact) fits(count uint64, each int) error {
	if left := uint64(len(c.b) - c.at); count > left || count*uint64(each) > left {
		return errShort
	}
	return nil
}

const maxDepth = 64

func (c *compact) skipStruct(depth int) error {
	if depth > maxDepth {
		return errors.New("structures nested too deep")
	}
	for {
		h, err := c.byte()
		if err != nil {
			return err
		}
		typ := h & 0x0f
		if typ == 0 { // stop
			return nil
		}
		if h>>4 == 0 { // the field id follows, as a zigzag varint
			if _, err := c.varint(); err != nil {
				return err
			}
		}
		if err := c.skip(typ, depth); err != nil {
			return err
		}
	}
}

func (c *compact) skip(typ byte, depth int) error {
	switch typ {
	case 1, 2: // a boolean, in the type itself
		return nil
	case 3:
		_, err := c.byte()
		return err
	case 4, 5, 6:
		_, err := c.varint()
		return err
	case 7:
		if err := c.fits(1, 8); err != nil {
			return err
		}
		c.at += 8
		return nil
	case 8:
		n, err := c.varint()
		if err != nil {
			return err
		}
		if err := c.fits(n, 1); err != nil {
			return err
		}
		c.at += int(n)
		return nil
	case 9, 10: // list, set
		h, err := c.byte()
		if err != nil {
			return err
		}
		n, elem := uint64(h>>4), h&0x0f
		if n == 15 {
			if n, err = c.varint(); err != nil {
				return err
			}
		}
		if err := c.fits(n, 1); err != nil {
			return err
		}
		for range n {
			if elem == 1 || elem == 2 { // booleans in a list take a byte each
				if _, err := c.byte(); err != nil {
					return err
				}
				continue
			}
			if err := c.skip(elem, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 11: // map
		n, err := c.varint()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		kv, err := c.byte()
		if err != nil {
			return err
		}
		if err := c.fits(n, 2); err != nil {
			return err
		}
		for range n {
			if err := c.skip(kv>>4, depth+1); err != nil {
				return err
			}
			if err := c.skip(kv&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 12:
		return c.skipStruct(depth + 1)
	}
	return fmt.Errorf("an unknown field type %d", typ)
}
