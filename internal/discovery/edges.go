package discovery

import (
	"iter"
	"slices"
)

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

// DenseEdgeNames is how many names the dense square of edges has room
// for; past it, edges are looked up in a map.
const DenseEdgeNames = 512

// fit makes room for edges between nNames names.
func (t *edgeTable) fit(nNames int) {
	if t.sparse != nil || nNames <= t.side {
		return
	}
	if nNames > DenseEdgeNames {
		t.sparse, t.dense = make(map[[2]int32]int32, len(t.pairs)), nil
		for e, p := range t.pairs {
			t.sparse[p] = int32(e)
		}
		return
	}
	t.side = min(max(nNames, 2*t.side, 16), DenseEdgeNames)
	t.dense = make([]int32, t.side*t.side)
	for e, p := range t.pairs {
		t.dense[int(p[0])*t.side+int(p[1])] = int32(e) + 1
	}
}

// edge returns the number of the edge from -> to, numbering it if new.
func (t *edgeTable) edge(from, to int32) int32 {
	if t.sparse == nil {
		e := t.dense[int(from)*t.side+int(to)] - 1
		if e < 0 {
			e = int32(len(t.pairs))
			t.dense[int(from)*t.side+int(to)] = e + 1
			t.pairs = append(t.pairs, [2]int32{from, to})
			t.times = append(t.times, stepTimes{})
		}
		return e
	}
	e, ok := t.sparse[[2]int32{from, to}]
	if !ok {
		e = int32(len(t.pairs))
		t.sparse[[2]int32{from, to}] = e
		t.pairs = append(t.pairs, [2]int32{from, to})
		t.times = append(t.times, stepTimes{})
	}
	return e
}

// add counts a step from -> to that took ns nanoseconds.
func (t *edgeTable) add(from, to int32, ns int64) { t.times[t.edge(from, to)].add(ns) }

// merge adds another table's times of from -> to (sharing, not copying,
// its chunks).
func (t *edgeTable) merge(from, to int32, s *stepTimes) {
	d := &t.times[t.edge(from, to)]
	for c := range s.parts() {
		d.full = append(d.full, c)
	}
	d.n += s.n
}

// stepTimes are an edge's step times, in nanoseconds, in chunks: unlike
// one slice grown by doubling, it never copies them and never holds more
// than a chunk of room it has not used. The chunk being filled is kept
// apart from the full ones, so that adding a time reads one slice.
type stepTimes struct {
	cur  []int64
	full [][]int64
	n    int
}

const stepChunk = 1 << 10 // the largest chunk; the first ones are smaller

func (s *stepTimes) add(ns int64) {
	if len(s.cur) == cap(s.cur) {
		if s.cur != nil {
			s.full = append(s.full, s.cur)
		}
		s.cur = make([]int64, 0, min(max(s.n, 8), stepChunk))
	}
	s.cur = append(s.cur, ns)
	s.n++
}

// parts are the times, a chunk at a time.
func (s *stepTimes) parts() iter.Seq[[]int64] {
	return func(yield func([]int64) bool) {
		for _, c := range s.full {
			if !yield(c) {
				return
			}
		}
		if len(s.cur) > 0 {
			yield(s.cur)
		}
	}
}

// gather appends the times to buf.
func (s *stepTimes) gather(buf []int64) []int64 {
	buf = slices.Grow(buf, s.n)
	for c := range s.parts() {
		buf = append(buf, c...)
	}
	return buf
}
