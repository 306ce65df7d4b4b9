package journey

import (
	"cmp"
	"encoding/binary"
	"slices"
	"sync/atomic"
)

type discoveryBlock struct {
	cols   *Columns
	nameOf []int32 // the block's names as the log's
}

// discoveryShard is one shard's cases, and then what it found in them.
type discoveryShard struct {
	shard, of uint64
	in        chan discoveryBlock
	byCase    *caseTable
	n         []int32 // events per case
	// Events go to an arena with their case (as the replay collector's
	// do), to be laid out case by case at the end.
	arena  [][]arenaEvent
	events int

	cases              int64
	start, end, rework []int64 // by name
	edges              edgeTable
	variants           map[string]int64
	durations          []int64 // of cases, in nanoseconds
}

type arenaEvent struct {
	t        int64
	name, ci int32
}

type caseEvent struct {
	t    int64
	name int32
}

func (sh *discoveryShard) run(names *[]string, stop *atomic.Bool) {
	t := sh.byCase
	for b := range sh.in {
		if stop.Load() {
			continue
		}
		for k, id := range b.cols.Case {
			h := t.hash(id)
			if sh.of > 1 && (h>>32)%sh.of != sh.shard {
				continue
			}
			ci := t.number(id, h)
			if int(ci) == len(sh.n) {
				sh.n = append(sh.n, 0)
			}
			sh.keep(arenaEvent{t: b.cols.Time[k], name: b.nameOf[b.cols.Name[k]], ci: ci})
			sh.n[ci]++
		}
	}
	if stop.Load() {
		return
	}
	// The channel is closed: every name has been numbered.
	sh.count(len(*names))
}

// caseTable numbers case ids in order of first appearance: open
// addressing over a seeded hash (a hash per event serves both to pick the
// shard and to find the case), the ids' bytes kept in one buffer.
type caseTable struct {
	seed  uint64
	slots []caseSlot // a power of two long, at most half full
	ends  []uint32   // case i's id is bytes[ends[i-1]:ends[i]]
	bytes []byte
}

type caseSlot struct {
	hash uint32 // the low half of the id's hash
	ci   int32  // the case, plus one; 0 for an empty slot
}

func newCaseTable(seed uint64) *caseTable {
	return &caseTable{seed: seed, slots: make([]caseSlot, 1<<12), ends: []uint32{0}}
}

// hash is a 64-bit hash of id: 8 bytes at a time, mixed with splitmix64's
// multipliers.
func (t *caseTable) hash(id string) uint64 {
	h := t.seed ^ uint64(len(id))*0x9e3779b97f4a7c15
	for len(id) >= 8 {
		v := uint64(id[0]) | uint64(id[1])<<8 | uint64(id[2])<<16 | uint64(id[3])<<24 |
			uint64(id[4])<<32 | uint64(id[5])<<40 | uint64(id[6])<<48 | uint64(id[7])<<56
		h = (h ^ v) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
		id = id[8:]
	}
	var v uint64
	for i := 0; i < len(id); i++ {
		v |= uint64(id[i]) << (8 * i)
	}
	h = (h ^ v) * 0x94d049bb133111eb
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	return h
}

// number returns id's case number (h is its hash), numbering it if new.
func (t *caseTable) number(id string, h uint64) int32 {
	mask := uint32(len(t.slots) - 1)
	for i := uint32(h) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.ci == 0 {
			break
		}
		if s.hash == uint32(h) && string(t.bytes[t.ends[s.ci-1]:t.ends[s.ci]]) == id {
			return s.ci - 1
		}
	}
	ci := int32(len(t.ends) - 1)
	t.bytes = append(t.bytes, id...)
	t.ends = append(t.ends, uint32(len(t.bytes)))
	if 2*len(t.ends) > len(t.slots) {
		t.grow()
	}
	t.put(caseSlot{hash: uint32(h), ci: ci + 1})
	return ci
}

func (t *caseTable) put(s caseSlot) {
	mask := uint32(len(t.slots) - 1)
	i := s.hash & mask
	for t.slots[i].ci != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

func (t *caseTable) grow() {
	old := t.slots
	t.slots = make([]caseSlot, 2*len(old))
	for _, s := range old {
		if s.ci != 0 {
			t.put(s)
		}
	}
}

func (sh *discoveryShard) keep(e arenaEvent) {
	if n := len(sh.arena); n == 0 || len(sh.arena[n-1]) == arenaBlock {
		sh.arena = append(sh.arena, make([]arenaEvent, 0, arenaBlock))
	}
	n := len(sh.arena) - 1
	sh.arena[n] = append(sh.arena[n], e)
	sh.events++
}

// count groups the shard's events case by case (file order kept within a
// case) and counts what discovery reports. Cases are laid out a batch at
// a time into one buffer, by a counting sort over the whole arena for
// each batch: a few sequential reads of the arena cost less than a second
// copy of every event, which would be memory touched once and thrown
// away.
func (sh *discoveryShard) count(nNames int) {
	sh.start, sh.end, sh.rework = make([]int64, nNames), make([]int64, nNames), make([]int64, nNames)
	sh.edges = newEdgeTable(nNames)
	sh.variants = map[string]int64{}
	sh.durations = make([]int64, 0, len(sh.n))
	seen := make([]int32, nNames)
	var key []byte
	batch := max(layoutBatch, sh.events/layoutPasses)
	var laid []caseEvent
	next := make([]int32, 0, len(sh.n))
	for lo := 0; lo < len(sh.n); {
		// Cases lo to hi, as many as fit in a batch (one at least).
		hi, size := lo, int32(0)
		next = next[:0]
		for hi < len(sh.n) && (hi == lo || int(size+sh.n[hi]) <= batch) {
			next = append(next, size)
			size += sh.n[hi]
			hi++
		}
		if cap(laid) < int(size) {
			laid = make([]caseEvent, max(int(size), min(batch, sh.events)))
		}
		laid = laid[:size]
		first, span := int32(lo), uint32(hi-lo)
		for _, block := range sh.arena {
			for _, e := range block {
				if k := uint32(e.ci - first); k < span {
					laid[next[k]] = caseEvent{t: e.t, name: e.name}
					next[k]++
				}
			}
		}
		var off int32
		for _, n := range sh.n[lo:hi] {
			evs := laid[off : off+n]
			off += n
			if n == 0 {
				continue
			}
			if !slices.IsSortedFunc(evs, byTime) {
				slices.SortStableFunc(evs, byTime)
			}
			sh.cases++
			first, last := evs[0], evs[len(evs)-1]
			sh.start[first.name]++
			sh.end[last.name]++
			sh.durations = append(sh.durations, last.t-first.t)
			key = key[:0]
			for i, e := range evs {
				key = binary.LittleEndian.AppendUint32(key, uint32(e.name))
				seen[e.name]++
				if seen[e.name] == 2 {
					sh.rework[e.name]++
				}
				if i > 0 {
					sh.edges.add(evs[i-1].name, e.name, e.t-evs[i-1].t)
				}
			}
			for _, e := range evs {
				seen[e.name] = 0
			}
			sh.variants[string(key)]++
		}
		lo = hi
	}
	sh.arena = nil
}

// A shard lays its cases out in batches of at least layoutBatch events,
// and in at most layoutPasses batches: past layoutBatch*layoutPasses
// events, batches grow with the log. (Variables so that tests can make
// batches small.)
var layoutBatch, layoutPasses = 1 << 16, 8

func byTime(a, b caseEvent) int { return cmp.Compare(a.t, b.t) }

// edgeTable numbers the directly-follows pairs of names and holds each
// one's step times: a dense square of indexes for the usual handful of
// names, a map past that.
type edgeTable struct {
	nNames int
	dense  []int32 // from*nNames+to -> edge+1, 0 for none
	sparse map[[2]int32]int32
	pairs  [][2]int32
	times  []stepTimes
}

const denseEdgeNames = 512

func newEdgeTable(nNames int) edgeTable {
	if nNames <= denseEdgeNames {
		return edgeTable{nNames: nNames, dense: make([]int32, nNames*nNames)}
	}
	return edgeTable{nNames: nNames, sparse: map[[2]int32]int32{}}
}

func (t *edgeTable) add(from, to int32, ns int64) {
	var e int32
	if t.dense != nil {
		e = t.dense[int(from)*t.nNames+int(to)] - 1
		if e < 0 {
			e = int32(len(t.pairs))
			t.dense[int(from)*t.nNames+int(to)] = e + 1
			t.pairs = append(t.pairs, [2]int32{from, to})
			t.times = append(t.times, stepTimes{})
		}
	} else {
		var ok bool
		if e, ok = t.sparse[[2]int32{from, to}]; !ok {
			e = int32(len(t.pairs))
			t.sparse[[2]int32{from, to}] = e
			t.pairs = append(t.pairs, [2]int32{from, to})
			t.times = append(t.times, stepTimes{})
		}
	}
	t.times[e].add(ns)
}

// stepTimes are an edge's step times, in nanoseconds, in chunks: unlike
// one slice grown by doubling, it never copies them and never holds more
// than a chunk of room it has not used.
type stepTimes struct {
	chunks [][]int64
	n      int
}

const stepChunk = 1 << 10 // the largest chunk; the first ones are smaller

func (s *stepTimes) add(ns int64) {
	k := len(s.chunks) - 1
	if k < 0 || len(s.chunks[k]) == cap(s.chunks[k]) {
		s.chunks = append(s.chunks, make([]int64, 0, min(max(s.n, 8), stepChunk)))
		k++
	}
	s.chunks[k] = append(s.chunks[k], ns)
	s.n++
}
