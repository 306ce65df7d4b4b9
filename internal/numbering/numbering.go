// Package numbering numbers strings in lists, for the readers (package
// eventlog) and discovery: a log has a handful of names and values,
// repeated on every event, and each is kept once and known by its index.
package numbering

import (
	"math/bits"
	"strings"
)

// Number returns s's index in list, appending a copy of s (it may be a
// view of a reader's buffer that is reused) when it is new; index maps
// list's names to their indexes. Readers number a block's names with it.
func Number(index map[string]int32, list *[]string, s string) int32 {
	if k, ok := index[s]; ok {
		return k
	}
	k := int32(len(*list))
	s = strings.Clone(s)
	index[s] = k
	*list = append(*list, s)
	return k
}

// Strings numbers a block's strings (names, or values) in its own list,
// as Number does, for a reader that numbers every event's: a log has a
// handful of them, repeated on every event, so most are found in a table
// of recent ones. A string of up to 16 bytes is known there by its length
// and two words of its bytes (see words), compared without reading the
// list; a longer one is compared with the list's. Use one list between
// Resets. Its zero value is ready to use.
type Strings struct {
	index map[string]int32
	slots [256]recent
}

// recent is a string numbered lately: its words and length, and its index
// in the list plus one (0 for an empty slot).
type recent struct {
	w0, w1 uint64
	n, k   int32
}

// Reset forgets the strings numbered, for a new list.
func (n *Strings) Reset() {
	clear(n.index)
	clear(n.slots[:])
}

// Number returns s's index in list, appending a copy of s (it may be a
// view of a reader's buffer that is reused) when it is new.
func (n *Strings) Number(list *[]string, s string) int32 {
	w0, w1 := words(s)
	slot := &n.slots[recentPlace(w0, w1, len(s))]
	if slot.k > 0 && slot.w0 == w0 && slot.w1 == w1 && int(slot.n) == len(s) && (len(s) <= 16 || (*list)[slot.k-1] == s) {
		return slot.k - 1
	}
	if n.index == nil {
		n.index = map[string]int32{}
	}
	k := Number(n.index, list, s)
	*slot = recent{w0: w0, w1: w1, n: int32(len(s)), k: k + 1}
	return k
}

// recentPlace is where a string of length n and words w0, w1 is kept in
// a Strings' table.
func recentPlace(w0, w1 uint64, n int) uint8 {
	return uint8((w0 ^ bits.RotateLeft64(w1, 31) ^ uint64(n)) * 0x9E3779B97F4A7C15 >> 56)
}

// words are two words of s's bytes that, with its length, tell it from
// any other string of up to 16 bytes: its first and last 8 bytes (which
// overlap under 16), or its first and last 4 (under 8), or its bytes
// (under 4). Longer strings share them with others.
func words(s string) (w0, w1 uint64) {
	n := len(s)
	switch {
	case n >= 8:
		return load64(s), load64(s[n-8:])
	case n >= 4:
		return uint64(load32(s)) | uint64(load32(s[n-4:]))<<32, 0
	}
	for i := range n {
		w0 |= uint64(s[i]) << (8 * i)
	}
	return w0, 0
}

func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func load32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// Slot places a string in a table of 256 recent ones, as
// Strings does: by its length and words.
func Slot(s string) uint8 {
	w0, w1 := words(s)
	return recentPlace(w0, w1, len(s))
}
