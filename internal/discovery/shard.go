package discovery

import (
	"cmp"
	"slices"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/journeymap/journeymap/internal/arena"
	"github.com/journeymap/journeymap/internal/caseid"
	"github.com/journeymap/journeymap/internal/hugepage"
	"github.com/journeymap/journeymap/internal/prefetch"
)

type block struct {
	*Block
	nameOf []int32 // the block's names as the log's
	names  int     // how many names the log has had so far
	own    *owned  // the block's events of the shard's cases
	// pending counts the shards not yet done with the block: the last
	// calls Block.Done.
	pending *atomic.Int32
}

// owned are a block's events of one shard's cases: their indexes in the
// block and their case ids' hashes. Run hashes each event once and sends
// each shard only its own; the shard hands the lists back to be reused.
type owned struct {
	k []int32
	h []uint64
}

// shard is one shard's cases, and then what it found in them.
type shard struct {
	_      [64]byte // see the end
	in     chan block
	free   chan *owned // lists the shard is done with, for Run to refill
	byCase *caseid.Table

	// In any order: every event of the shard's cases, and how many each
	// case has.
	n     []int32
	arena arena.Arena[arenaEvent]

	// In time order.
	inOrder bool
	paths   pathTrie
	edgeOf  []int32    // per node of paths, the edge to it (see edgeTo), or -1
	open    []openCase // per case, where its path is so far
	first   []int64    // per case, the time of its first event
	err     *OrderError

	tally Tally

	// Shards are made one after another, and written on every event by
	// their own goroutines: a cache line either side keeps one shard's
	// writes off the line that holds the next one's first fields.
	_ [64]byte
}

type arenaEvent struct {
	t        int64
	name, ci int32
}

// openCase is where a case is so far, in 16 bytes (for prefetch).
type openCase struct {
	last int64 // the time of its last event
	at   int32 // its path so far (a node of paths)
	_    int32
}

// openCaseShift is log2 of openCase's size.
const openCaseShift = 4

var _ = [1]struct{}{}[unsafe.Sizeof(openCase{})-1<<openCaseShift] // openCase is 1<<openCaseShift bytes

type caseEvent struct {
	t    int64
	name int32
}

func newShard(seed uint64, inOrder bool) *shard {
	return &shard{in: make(chan block, 4), free: make(chan *owned, 8), byCase: caseid.New(seed), inOrder: inOrder}
}

// run reads the blocks sent to the shard, then counts what discovery
// reports of its cases. It stops reading when stop is set, and sets it
// when it finds a case out of time order.
func (sh *shard) run(names *[]string, stop *atomic.Bool) {
	for b := range sh.in {
		if stop.Load() {
			continue
		}
		if !sh.inOrder {
			sh.read(b)
		} else if !sh.step(b) {
			stop.Store(true)
		}
		select {
		case sh.free <- b.own:
		default:
		}
		if b.pending.Add(-1) == 0 && b.Done != nil {
			b.Done()
		}
	}
	if stop.Load() {
		return
	}
	// The channel is closed: every name has been numbered.
	sh.tally.fit(len(*names))
	if sh.inOrder {
		sh.countPaths()
	} else {
		sh.count()
	}
}

// shardOf is the shard, of n, that owns the case whose id has hash h:
// the hash's bottom 32 bits scaled to the shards (a multiplication, not a
// division), for caseid.Table places a case by its top bits.
func shardOf(h uint64, n int) int { return int(uint64(uint32(h)) * uint64(n) >> 32) }

// read keeps the block's events of the shard's cases in the arena.
func (sh *shard) read(b block) {
	t := sh.byCase
	for g, k := range b.own.k {
		ci := t.Number(b.Case[k], b.own.h[g])
		if int(ci) == len(sh.n) {
			sh.n = append(sh.n, 0)
		}
		sh.arena.Add(arenaEvent{t: b.Time[k], name: b.nameOf[b.Name[k]], ci: ci})
		sh.n[ci]++
	}
}

// step takes the block's events of the shard's cases a step further
// along their paths, counting each step's edge and time. It reports
// false, keeping the error, at an event earlier than the one before it in
// its case.
//
// It is a software pipeline over groups of lookahead events, built to
// overlap cache misses (a log has more cases than the cache holds, and
// each event looks its case up at two random places): while group g is
// stepped, group g+1's cases have been numbered and their places asked
// for, and group g+2's slots in the case table asked for (package
// prefetch), so each miss has a group's work to hide behind.
func (sh *shard) step(b block) bool {
	sh.tally.edges.fit(b.names)
	n := len(b.own.k)
	t, hs := sh.byCase, b.own.h
	t.Prefetch(hs[:min(lookahead, n)])
	t.Prefetch(hs[min(lookahead, n):min(2*lookahead, n)])
	var cur, next [lookahead]int32 // the cases of groups g and g+1
	sh.number(b, 0, &cur)
	for lo := 0; lo < n; lo += lookahead {
		t.Prefetch(hs[min(lo+2*lookahead, n):min(lo+3*lookahead, n)])
		sh.number(b, lo+lookahead, &next)
		if !sh.stepGroup(b, lo, &cur) {
			return false
		}
		cur = next
	}
	return true
}

// number numbers the cases of the group of events from lo, into cis, and
// asks for the places of those already there.
func (sh *shard) number(b block, lo int, cis *[lookahead]int32) {
	hi := min(lo+lookahead, len(b.own.k))
	if lo >= hi {
		return
	}
	for g, k := range b.own.k[lo:hi] {
		cis[g] = sh.byCase.Number(b.Case[k], b.own.h[lo+g])
	}
	prefetch.Indexed(unsafe.Pointer(unsafe.SliceData(sh.open)), openCaseShift, cis[:hi-lo], len(sh.open))
}

// stepGroup steps the group of events from lo, of cases cis.
func (sh *shard) stepGroup(b block, lo int, cis *[lookahead]int32) bool {
	edges := &sh.tally.edges
	for g, k := range b.own.k[lo:min(lo+lookahead, len(b.own.k))] {
		ci := cis[g]
		ts, name := b.Time[k], b.nameOf[b.Name[k]]
		sh.tally.Events++
		if int(ci) == len(sh.open) {
			if len(sh.open) == cap(sh.open) {
				sh.roomForCases()
			}
			sh.open = append(sh.open, openCase{last: ts, at: sh.paths.step(0, name)})
			sh.first = append(sh.first, ts)
			continue
		}
		oc := &sh.open[ci]
		if ts < oc.last {
			sh.err = &OrderError{Case: strings.Clone(b.Case[k]), Behind: oc.last - ts}
			return false
		}
		at := sh.paths.step(oc.at, name)
		e := sh.edgeTo(at) // first: it may add an edge, and so move edges.times
		edges.times[e].add(ts - oc.last)
		oc.last, oc.at = ts, at
	}
	return true
}

// edgeTo is the edge a case takes to reach node at (not a first step) of
// the paths: the same for every case that gets there, so it is looked up
// in the edge table once a node, not once a step.
func (sh *shard) edgeTo(at int32) int32 {
	for int(at) >= len(sh.edgeOf) {
		sh.edgeOf = append(sh.edgeOf, -1)
	}
	e := sh.edgeOf[at]
	if e < 0 {
		p := &sh.paths
		e = sh.tally.edges.edge(p.name[p.parent[at]], p.name[at])
		sh.edgeOf[at] = e
	}
	return e
}

// roomForCases doubles the room for cases. append would grow them by a
// quarter at a time, copying every case's place four times as often: and
// room not yet used costs no memory (the pages are not touched).
func (sh *shard) roomForCases() {
	n := max(len(sh.open), 1024)
	sh.open, sh.first = hugepage.Grow(sh.open, n), hugepage.Grow(sh.first, n)
}

// lookahead is how many events a group of step's pipeline has: 8 did
// best on a 9M-event log of 1.44M cases (4 and 6 as well; 2, 12, 16 and
// 32 worse).
const lookahead = 8

// countPaths counts what discovery reports from the paths the shard's
// cases took: the variants, their starts, ends and rework, and the cases'
// durations (the steps are counted already).
func (sh *shard) countPaths() {
	t := &sh.tally
	t.Cases = int64(len(sh.open))
	t.Durations = make([]int64, len(sh.open))
	ended := make([]int64, len(sh.paths.name)) // cases per path
	for ci, oc := range sh.open {
		ended[oc.at]++
		t.Durations[ci] = oc.last - sh.first[ci]
	}
	var path []int32
	for at, n := range ended {
		if n > 0 {
			path = sh.paths.path(int32(at), path[:0])
			t.addPath(path, n)
		}
	}
}

// count groups the shard's events case by case (file order kept within a
// case) and counts them. Cases are laid out a batch at a time into one
// buffer, by a counting sort over the whole arena for each batch: a few
// sequential reads of the arena cost less than a second copy of every
// event, which would be memory touched once and thrown away.
func (sh *shard) count() {
	t := &sh.tally
	t.Durations = slices.Grow(t.Durations, len(sh.n))
	events := sh.arena.Len()
	batch := max(layoutBatch, events/layoutPasses)
	var laid []caseEvent
	var names []int32
	var times []int64
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
			laid = make([]caseEvent, max(int(size), min(batch, events)))
		}
		laid = laid[:size]
		first, span := int32(lo), uint32(hi-lo)
		for _, blk := range sh.arena.Blocks() {
			for _, e := range blk {
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
			names, times = names[:0], times[:0]
			for _, e := range evs {
				names = append(names, e.name)
				times = append(times, e.t)
			}
			t.AddCase(names, times)
		}
		lo = hi
	}
	sh.arena.Reset()
}

// A shard lays its cases out in batches of at least layoutBatch events,
// and in at most layoutPasses batches: past layoutBatch*layoutPasses
// events, batches grow with the log. (Variables so that tests can make
// batches small.)
var layoutBatch, layoutPasses = 1 << 16, 8

// SetLayout sets the batches count lays cases out in, for tests, and
// returns a func that restores them.
func SetLayout(batch, passes int) (restore func()) {
	b, p := layoutBatch, layoutPasses
	layoutBatch, layoutPasses = batch, passes
	return func() { layoutBatch, layoutPasses = b, p }
}

func byTime(a, b caseEvent) int { return cmp.Compare(a.t, b.t) }

// pathTrie numbers paths (sequences of names) as cases take them: node 0
// is the empty path, and node k > 0 is the path of node parent[k]
// followed by name[k].
//
// A node's children are found without a map while it has few: most
// cases at a node go on the way the one before did (last), and the rest
// scan a short list. Past narrowKids children, a node's are also in a map.
type pathTrie struct {
	parent, name []int32
	// last is, per node, the step last taken from it (its name<<32 | the
	// node it led to, plus one).
	last []uint64
	// child is, per node, its first child and sibling its next sibling (0
	// for none); kids how many children it has.
	child, sibling, kids []int32
	wide                 map[uint64]int32 // a node<<32 | a name -> the child, for nodes with many children
}

// narrowKids is the most children a node has for them to be found by a
// scan of its list. (A variable so that tests can make it small.)
var narrowKids int32 = 8

// SetNarrowKids sets narrowKids, for tests, and returns a func that
// restores it.
func SetNarrowKids(n int32) (restore func()) {
	old := narrowKids
	narrowKids = n
	return func() { narrowKids = old }
}

// step returns the node of the path at followed by name.
func (p *pathTrie) step(at, name int32) int32 {
	if p.parent == nil {
		p.parent, p.name, p.last = []int32{-1}, []int32{-1}, []uint64{0}
		p.child, p.sibling, p.kids = []int32{0}, []int32{0}, []int32{0}
	}
	if l := p.last[at]; l != 0 && int32(l>>32) == name {
		return int32(uint32(l)) - 1
	}
	k := p.find(at, name)
	if k == 0 {
		k = int32(len(p.name))
		p.parent = append(p.parent, at)
		p.name = append(p.name, name)
		p.last = append(p.last, 0)
		p.child = append(p.child, 0)
		p.sibling = append(p.sibling, p.child[at])
		p.kids = append(p.kids, 0)
		p.child[at] = k
		p.kids[at]++
		switch n := p.kids[at]; {
		case n == narrowKids+1: // wide now: every child goes in the map
			if p.wide == nil {
				p.wide = map[uint64]int32{}
			}
			for c := p.child[at]; c != 0; c = p.sibling[c] {
				p.wide[uint64(at)<<32|uint64(uint32(p.name[c]))] = c
			}
		case n > narrowKids+1:
			p.wide[uint64(at)<<32|uint64(uint32(name))] = k
		}
	}
	p.last[at] = uint64(uint32(name))<<32 | uint64(uint32(k+1))
	return k
}

// find returns the child of at for name, or 0 if it has none.
func (p *pathTrie) find(at, name int32) int32 {
	if p.kids[at] > narrowKids {
		return p.wide[uint64(at)<<32|uint64(uint32(name))]
	}
	for c := p.child[at]; c != 0; c = p.sibling[c] {
		if p.name[c] == name {
			return c
		}
	}
	return 0
}

// path appends node at's names, first to last, to buf.
func (p *pathTrie) path(at int32, buf []int32) []int32 {
	for ; at > 0; at = p.parent[at] {
		buf = append(buf, p.name[at])
	}
	slices.Reverse(buf)
	return buf
}
