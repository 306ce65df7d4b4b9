package eventlog

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// blockIndex is where a block's commas and line breaks are, as bitmaps:
// bit i%64 of word i/64 is set where byte i is one. It is built for a
// whole block at once (with AVX2 where the processor has it, 64 bytes
// an instruction or two), and then each line's end and fields are read
// from the bitmaps instead of from its bytes.
type blockIndex struct {
	commas, breaks []uint64
}

// build indexes data.
func (ix *blockIndex) build(data []byte) {
	n := (len(data) + 63) / 64
	ix.commas = slices.Grow(ix.commas[:0], n)[:n]
	ix.breaks = slices.Grow(ix.breaks[:0], n)[:n]
	full := len(data) &^ 63
	indexChunks(data[:full], ix.commas, ix.breaks)
	if full < len(data) {
		c, b := markBytes(data[full:])
		ix.commas[n-1], ix.breaks[n-1] = c, b
	}
}

// markBytes is the bitmaps of data's commas and line breaks (at most 64
// bytes), a byte at a time.
func markBytes(data []byte) (commas, breaks uint64) {
	for i, c := range data {
		switch c {
		case ',':
			commas |= 1 << i
		case '\n':
			breaks |= 1 << i
		}
	}
	return commas, breaks
}

// indexChunksGo fills commas and breaks for data, a multiple of 64 bytes
// long, 8 bytes at a time: the processors without AVX2 use it, and it is
// the fast path's twin in tests.
func indexChunksGo(data []byte, commas, breaks []uint64) {
	for w := range len(data) / 64 {
		var c, b uint64
		for k := range 8 {
			v := binary.LittleEndian.Uint64(data[w*64+8*k:])
			c |= gather(zeroBytes(v^(','*ones))) << (8 * k)
			b |= gather(zeroBytes(v^('\n'*ones))) << (8 * k)
		}
		commas[w], breaks[w] = c, b
	}
}

const ones, high = 0x0101010101010101, 0x8080808080808080

// zeroBytes has the high bit of each byte set where v's byte is 0, and
// no other bit (exactly: no borrow crosses bytes).
func zeroBytes(v uint64) uint64 { return ^((v&^high + (high - ones)) | v) & high }

// gather packs the high bits of m's 8 bytes into 8 bits, byte k's to
// bit k.
func gather(m uint64) uint64 { return (m >> 7) * 0x0102040810204080 >> 56 }

// nextBreak is the offset of the first line break at or after off, or -1
// if there is none.
func (ix *blockIndex) nextBreak(off int) int {
	w := off >> 6
	if w >= len(ix.breaks) {
		return -1
	}
	m := ix.breaks[w] & (^uint64(0) << (off & 63))
	for m == 0 {
		if w++; w >= len(ix.breaks) {
			return -1
		}
		m = ix.breaks[w]
	}
	return w<<6 + bits.TrailingZeros64(m)
}

// fieldEnds appends to ends where each comma-separated field of the line
// at data[start:end] ends, from the line's start: its commas, then its
// length.
func (ix *blockIndex) fieldEnds(start, end int, ends []int32) []int32 {
	if end > start {
		w, last := start>>6, (end-1)>>6
		m := ix.commas[w] & (^uint64(0) << (start & 63))
		for {
			if w == last {
				m &= ^uint64(0) >> (63 - (end-1)&63)
			}
			for m != 0 {
				ends = append(ends, int32(w<<6+bits.TrailingZeros64(m)-start))
				m &= m - 1
			}
			if w == last {
				break
			}
			w++
			m = ix.commas[w]
		}
	}
	return append(ends, int32(end-start))
}
