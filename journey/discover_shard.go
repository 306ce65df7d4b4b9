package journey

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

type discoveryBlock struct {
	cols   *Columns
	nameOf []int32 // the block's names as the log's
	names  int     // how many names the log has had so far
}

// discoveryShard is one shard's cases, and then what it found in them.
//
// A log in any order: a shard keeps every event of its cases, in an arena
// with their case (as the replay collector does), and lays them out case
// by case at the end. A log whose cases are each in time order: it keeps
// of each case only its path so far and its first and last times, and
// counts each step as it is read.
type discoveryShard struct {
	shard, of uint64
	in        chan discoveryBlock
	byCase    *caseTable

	// In any order.
	n      []int32 // events per case
	arena  [][]arenaEvent
	events int

	// In time order.
	inOrder     bool
	paths       pathTrie
	at          []int32 // per case, its path so far (a node of paths)
	first, last []int64 // per case, the times of its first and last events
	err         *OrderError

	cases     int64
	tally               // the paths the cases took
	edges     edgeTable // and the steps
	durations []int64   // of cases, in nanoseconds
}

type arenaEvent struct {
	t        int64
	name, ci int32
}

type caseEvent struct {
	t    int64
	name int32
}

// run reads the blocks sent to the shard, then counts what discovery
// reports of its cases. It stops reading when stop is set, and sets it
// when it finds a case out of time order.
func (sh *discoveryShard) run(names *[]string, stop *atomic.Bool) {
	for b := range sh.in {
		if stop.Load() {
			continue
		}
		if !sh.inOrder {
			sh.read(b)
		} else if !sh.step(b) {
			stop.Store(true)
		}
	}
	if stop.Load() {
		return
	}
	// The channel is closed: every name has been numbered.
	if sh.inOrder {
		sh.countPaths(len(*names))
	} else {
		sh.count(len(*names))
	}
}

// mine says whether the shard owns the case whose id has hash h.
func (sh *discoveryShard) mine(h uint64) bool { return sh.of == 1 || (h>>32)%sh.of == sh.shard }

// read keeps the block's events of the shard's cases in the arena.
func (sh *discoveryShard) read(b discoveryBlock) {
	t := sh.byCase
	for k, id := range b.cols.Case {
		h := t.hash(id)
		if !sh.mine(h) {
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

// step takes the block's events of the shard's cases a step further
// along their paths, counting each step's edge and time. It reports
// false, keeping the error, at an event earlier than the one before it in
// its case.
func (sh *discoveryShard) step(b discoveryBlock) bool {
	t := sh.byCase
	sh.edges.fit(b.names)
	for k, id := range b.cols.Case {
		h := t.hash(id)
		if !sh.mine(h) {
			continue
		}
		ci := t.number(id, h)
		ts, name := b.cols.Time[k], b.nameOf[b.cols.Name[k]]
		if int(ci) == len(sh.at) {
			sh.at = append(sh.at, sh.paths.step(0, name))
			sh.first = append(sh.first, ts)
			sh.last = append(sh.last, ts)
			continue
		}
		last, at := sh.last[ci], sh.at[ci]
		if ts < last {
			sh.err = &OrderError{Err: ErrCaseNotInTimeOrder, Case: strings.Clone(id), Behind: time.Duration(last - ts)}
			return false
		}
		sh.edges.add(sh.paths.name[at], name, ts-last)
		sh.last[ci] = ts
		sh.at[ci] = sh.paths.step(at, name)
	}
	return true
}

// countPaths counts what discovery reports from the paths the shard's
// cases took: the variants, their starts, ends and rework, and the cases'
// durations (the steps are counted already).
func (sh *discoveryShard) countPaths(nNames int) {
	sh.tally = newTally(nNames)
	sh.cases = int64(len(sh.at))
	sh.durations = make([]int64, len(sh.at))
	ended := make([]int64, len(sh.paths.name)) // cases per path
	for ci, at := range sh.at {
		ended[at]++
		sh.durations[ci] = sh.last[ci] - sh.first[ci]
	}
	var path []int32
	for at, n := range ended {
		if n > 0 {
			path = sh.paths.path(int32(at), path[:0])
			sh.tally.add(path, n)
		}
	}
}

// tally counts paths: the cases that start and end at each name, those
// in which a name occurs more than once, and the variants.
type tally struct {
	start, end, rework []int64 // by name
	variants           map[string]int64
	seen               []int32 // by name, in the path being added
	key                []byte
}

func newTally(nNames int) tally {
	return tally{start: make([]int64, nNames), end: make([]int64, nNames), rework: make([]int64, nNames),
		variants: map[string]int64{}, seen: make([]int32, nNames)}
}

// add counts n cases that took path (names, first to last, at least one).
func (t *tally) add(path []int32, n int64) {
	t.key = t.key[:0]
	for _, name := range path {
		t.key = binary.LittleEndian.AppendUint32(t.key, uint32(name))
		if t.seen[name]++; t.seen[name] == 2 {
			t.rework[name] += n
		}
	}
	for _, name := range path {
		t.seen[name] = 0
	}
	t.start[path[0]] += n
	t.end[path[len(path)-1]] += n
	t.variants[string(t.key)] += n
}

// pathTrie numbers paths (sequences of names) as cases take them: node 0
// is the empty path, and node k > 0 is the path of node parent[k]
// followed by name[k].
type pathTrie struct {
	parent, name []int32
	next         map[uint64]int32 // a node<<32 | a name -> the node for that step
}

// step returns the node of the path at followed by name.
func (p *pathTrie) step(at, name int32) int32 {
	if p.next == nil {
		p.parent, p.name, p.next = []int32{-1}, []int32{-1}, map[uint64]int32{}
	}
	key := uint64(at)<<32 | uint64(uint32(name))
	k, ok := p.next[key]
	if !ok {
		k = int32(len(p.name))
		p.next[key] = k
		p.parent = append(p.parent, at)
		p.name = append(p.name, name)
	}
	return k
}

// path appends node at's names, first to last, to buf.
func (p *pathTrie) path(at int32, buf []int32) []int32 {
	for ; at > 0; at = p.parent[at] {
		buf = append(buf, p.name[at])
	}
	slices.Reverse(buf)
	return buf
}

// caseTable numbers case ids in order of first appearance: open
// addressing over a seeded hash (a hash per event serves both to pick the
// shard and to find the case). A slot holds an id's first 8 bytes and its
// length, so that finding a short id reads one slot and nothing else;
// bytes past the eighth are kept in one buffer.
type caseTable struct {
	seed   uint64
	slots  []caseSlot // a power of two long, at most three quarters full
	hashes []uint64   // per case, its id's hash, to place it when the slots grow
	ends   []uint32   // case i's bytes past the eighth are tails[ends[i]:ends[i+1]]
	tails  []byte
}

type caseSlot struct {
	head uint64 // the id's first 8 bytes, little-endian, 0 past its end
	tag  uint32 // the hash's top 24 bits, then the id's length (255 if longer)
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

// number returns id's case number (h is its hash), numbering it if new.
func (t *caseTable) number(id string, h uint64) int32 {
	head, tag := load8(id), uint32(h>>40)<<8|uint32(min(len(id), 255))
	mask := uint32(len(t.slots) - 1)
	i := uint32(h) & mask
	for ; t.slots[i].ci != 0; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.tag == tag && s.head == head && (len(id) <= 8 || string(t.tails[t.ends[s.ci-1]:t.ends[s.ci]]) == id[8:]) {
			return s.ci - 1
		}
	}
	ci := int32(len(t.hashes))
	t.hashes = append(t.hashes, h)
	if len(id) > 8 {
		t.tails = append(t.tails, id[8:]...)
	}
	t.ends = append(t.ends, uint32(len(t.tails)))
	t.slots[i] = caseSlot{head: head, tag: tag, ci: ci + 1}
	if 4*len(t.hashes) > 3*len(t.slots) {
		t.grow()
	}
	return ci
}

func (t *caseTable) grow() {
	old := t.slots
	t.slots = make([]caseSlot, 2*len(old))
	mask := uint32(len(t.slots) - 1)
	for _, s := range old {
		if s.ci == 0 {
			continue
		}
		i := uint32(t.hashes[s.ci-1]) & mask
		for t.slots[i].ci != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
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
	sh.tally = newTally(nNames)
	sh.edges.fit(nNames)
	sh.durations = make([]int64, 0, len(sh.n))
	var path []int32
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
			sh.durations = append(sh.durations, evs[len(evs)-1].t-evs[0].t)
			path = path[:0]
			for i, e := range evs {
				path = append(path, e.name)
				if i > 0 {
					sh.edges.add(evs[i-1].name, e.name, e.t-evs[i-1].t)
				}
			}
			sh.tally.add(path, 1)
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
// names, a map past that. Its zero value has room for no names: fit
// makes room.
type edgeTable struct {
	side   int     // the dense square's side: the names it has room for
	dense  []int32 // from*side+to -> edge+1, 0 for none
	sparse map[[2]int32]int32
	pairs  [][2]int32
	times  []stepTimes
}

const denseEdgeNames = 512

// fit makes room for edges between nNames names.
func (t *edgeTable) fit(nNames int) {
	if t.sparse != nil || nNames <= t.side {
		return
	}
	if nNames > denseEdgeNames {
		t.sparse, t.dense = make(map[[2]int32]int32, len(t.pairs)), nil
		for e, p := range t.pairs {
			t.sparse[p] = int32(e)
		}
		return
	}
	t.side = min(max(nNames, 2*t.side, 16), denseEdgeNames)
	t.dense = make([]int32, t.side*t.side)
	for e, p := range t.pairs {
		t.dense[int(p[0])*t.side+int(p[1])] = int32(e) + 1
	}
}

func (t *edgeTable) add(from, to int32, ns int64) {
	var e int32
	if t.sparse == nil {
		e = t.dense[int(from)*t.side+int(to)] - 1
		if e < 0 {
			e = int32(len(t.pairs))
			t.dense[int(from)*t.side+int(to)] = e + 1
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
