// Package caseid numbers case ids in order of first appearance, without
// a map[string]: replay's collector and each discovery shard keep one.
//
// A Table is open addressing over a seeded 64-bit hash. A slot holds an
// id's first 8 bytes, its length and the hash's top 28 bits, so that
// finding an id of up to 8 bytes reads one slot and nothing else; bytes
// past the eighth are kept in one buffer. Finding or adding an id costs
// O(len(id)) expected time; the table holds 16 bytes a slot (at most three
// quarters full) plus 4 bytes and the id's bytes past the eighth a case.
//
// An id's slot is found from the hash's top bits, which the slot keeps:
// up to 2^28 slots, growing the table moves slots without hashing an id
// again, and in the order they are in.
//
// The hash serves twice: discovery picks a case's shard from its bottom
// 32 bits (and hands the shard the hash), so each event is hashed once.
package caseid

import (
	"unsafe"

	"github.com/journeymap/journeymap/internal/hugepage"
	"github.com/journeymap/journeymap/internal/prefetch"
)

// Table numbers case ids. Make one with New.
type Table struct {
	seed  uint64
	slots []slot   // a power of two long, at most three quarters full
	shift uint8    // 64 - log2(len(slots)): a hash's slot is h >> shift
	ends  []uint32 // case i's bytes past the eighth are tails[ends[i]:ends[i+1]]
	tails []byte
	// slotOf is, per case, its slot: made by ID when first asked, and
	// dropped when a case is added (slots move as they grow).
	slotOf []uint32
	buf    []byte // an id rebuilt, to hash it again when the slots grow
}

type slot struct {
	head uint64 // the id's first 8 bytes, little-endian, 0 past its end
	tag  uint32 // the hash's top 28 bits, then the id's length (9 if longer)
	ci   int32  // the case, plus one; 0 for an empty slot
}

// tagBits is how many of the hash's top bits a slot keeps: tables of up
// to 2^tagBits slots grow without hashing ids again. (A variable so that
// tests can make it small.)
var tagBits = 28

// tagOf is the tag of an id of length n with hash h.
func tagOf(h uint64, n int) uint32 { return uint32(h>>36)<<4 | uint32(min(n, 9)) }

// New returns an empty table hashing with seed. A random seed means a
// log cannot be made to collide on purpose.
func New(seed uint64) *Table {
	return &Table{seed: seed, slots: make([]slot, 1<<12), shift: 64 - 12, ends: []uint32{0}}
}

// Len is the number of cases numbered.
func (t *Table) Len() int { return len(t.ends) - 1 }

// Hash is Hash(t's seed, id).
func (t *Table) Hash(id string) uint64 { return Hash(t.seed, id) }

// Hash is a 64-bit hash of id with seed: 8 bytes at a time, mixed with
// splitmix64's multipliers. A Table made with New(seed) numbers ids with
// it.
func Hash(seed uint64, id string) uint64 {
	h := seed ^ uint64(len(id))*0x9e3779b97f4a7c15
	for len(id) >= 8 {
		h = (h ^ load8(id)) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
		id = id[8:]
	}
	h = (h ^ load8(id)) * 0x94d049bb133111eb
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	return h
}

// load8 is s's first 8 bytes as a little-endian number, 0 past its end.
func load8(s string) uint64 {
	if len(s) >= 8 {
		return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		v |= uint64(s[i]) << (8 * i)
	}
	return v
}

// Number returns id's case number (h is Hash(id)), numbering it Len()
// if it is new. It does not keep id.
func (t *Table) Number(id string, h uint64) int32 {
	head, tag := load8(id), tagOf(h, len(id))
	mask := uint32(len(t.slots) - 1)
	i := uint32(h >> t.shift)
	for ; t.slots[i].ci != 0; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.tag == tag && s.head == head && (len(id) <= 8 || string(t.tails[t.ends[s.ci-1]:t.ends[s.ci]]) == id[8:]) {
			return s.ci - 1
		}
	}
	ci := int32(t.Len())
	if len(id) > 8 {
		t.tails = append(t.tails, id[8:]...)
	}
	if len(t.ends) == cap(t.ends) {
		// Doubled (append would grow it by a quarter, copying every end
		// four times as often), a piece at a time, as the shards' tables.
		t.ends = hugepage.Grow(t.ends, max(len(t.ends), 1024))
	}
	t.ends = append(t.ends, uint32(len(t.tails)))
	t.slots[i] = slot{head: head, tag: tag, ci: ci + 1}
	t.slotOf = nil
	if 4*t.Len() > 3*len(t.slots) {
		t.grow()
	}
	return ci
}

// Prefetch asks the processor to load the slots where ids with hashes
// hs would be found, and goes on without waiting (see package prefetch):
// Numbering them a little later finds them in the cache, and their
// misses overlap with the work between.
func (t *Table) Prefetch(hs []uint64) {
	prefetch.Hashed(unsafe.Pointer(unsafe.SliceData(t.slots)), slotShift, uint(t.shift), hs)
}

// slotShift is log2 of a slot's size, for Prefetch.
const slotShift = 4

var _ = [1]struct{}{}[unsafe.Sizeof(slot{})-1<<slotShift] // a slot is 1<<slotShift bytes

// grow doubles the slots. Up to 2^tagBits of them, a slot's new place is
// read from its tag, and slots taken in order land nearly in order; past
// that, each id is hashed again from its bytes (keeping every hash would
// cost 8 bytes a case for what happens a few times in a log).
func (t *Table) grow() {
	old := t.slots
	t.slots = hugepage.Make[slot](2 * len(old))
	t.shift--
	// Written before it is read: memory fresh from the system, read first,
	// is mapped to the zero page, and the first write to each page then
	// faults again and flushes every core's TLB.
	hugepage.Clear(t.slots)
	mask := uint32(len(t.slots) - 1)
	fromTag := 64-int(t.shift) <= tagBits
	for _, s := range old {
		if s.ci == 0 {
			continue
		}
		var i uint32
		if fromTag {
			i = s.tag >> 4 >> (int(t.shift) - 36)
		} else {
			t.buf = t.rebuild(t.buf[:0], s)
			i = uint32(t.Hash(unsafe.String(unsafe.SliceData(t.buf), len(t.buf))) >> t.shift)
		}
		for t.slots[i].ci != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

// rebuild appends the id of the case in slot s to b.
func (t *Table) rebuild(b []byte, s slot) []byte {
	ci := s.ci - 1
	tail := t.tails[t.ends[ci]:t.ends[ci+1]]
	n := int(s.tag & 0xf)
	if len(tail) > 0 || n > 8 {
		n = 8
	}
	for k := range n {
		b = append(b, byte(s.head>>(8*k)))
	}
	return append(b, tail...)
}

// ID returns the id of case ci (which Number gave), rebuilt from what
// the table holds: so that a caller need not keep every id as a string.
// The first call after a case is added costs O(slots), to find every
// case's slot (Index); later ones, O(len(id)). Once Index has been
// called, and until a case is added, ID is safe to call from several
// goroutines at once.
func (t *Table) ID(ci int32) string {
	t.Index()
	return string(t.rebuild(nil, t.slots[t.slotOf[ci]]))
}

// Index finds every case's slot, for ID; it costs 4 bytes a case.
func (t *Table) Index() {
	if t.slotOf != nil {
		return
	}
	slotOf := make([]uint32, t.Len())
	for i, s := range t.slots {
		if s.ci != 0 {
			slotOf[s.ci-1] = uint32(i)
		}
	}
	t.slotOf = slotOf
}
