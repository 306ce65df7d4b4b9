package discovery

import (
	"cmp"
	"encoding/binary"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/journeymap/journeymap/internal/exact"
)

// Tally is what discovery counts of a set of cases. Names are numbered
// by the Tally (Names[i] is name i); every other figure refers to them.
// The zero value is empty and ready.
type Tally struct {
	Names              []string
	Cases, Events      int64
	Start, End, Rework []int64 // by name: cases that start, end, and meet it more than once
	// Variants counts the cases of each path, keyed by its names as
	// little-endian uint32s.
	Variants  map[string]int64
	Durations []int64 // of each case, first event to last, in nanoseconds

	index map[string]int32 // of Names, made on the first Name call
	edges edgeTable
	seen  []int32 // by name, in the path being added
	key   []byte
}

// Name returns the number of name, numbering it if it is new.
func (t *Tally) Name(name string) int32 {
	if t.index == nil {
		t.index = make(map[string]int32, len(t.Names))
		for i, n := range t.Names {
			t.index[n] = int32(i)
		}
	}
	if k, ok := t.index[name]; ok {
		return k
	}
	k := int32(len(t.Names))
	t.index[name] = k
	t.Names = append(t.Names, name)
	return k
}

// fit makes room for n names.
func (t *Tally) fit(n int) {
	if len(t.Start) < n {
		grow := n - len(t.Start)
		t.Start = append(t.Start, make([]int64, grow)...)
		t.End = append(t.End, make([]int64, grow)...)
		t.Rework = append(t.Rework, make([]int64, grow)...)
		t.seen = append(t.seen, make([]int32, grow)...)
	}
	if t.Variants == nil {
		t.Variants = map[string]int64{}
	}
	t.edges.fit(n)
}

// AddCase counts one case: its events' names and times (nanoseconds),
// in time order, at least one.
func (t *Tally) AddCase(names []int32, times []int64) {
	t.fit(len(t.Names))
	t.Cases++
	t.Events += int64(len(names))
	t.Durations = append(t.Durations, times[len(times)-1]-times[0])
	for i := 1; i < len(names); i++ {
		t.edges.add(names[i-1], names[i], times[i]-times[i-1])
	}
	t.addPath(names, 1)
}

// addPath counts n cases that took path (names, first to last, at least
// one): their start, end, rework and variant.
func (t *Tally) addPath(path []int32, n int64) {
	t.key = t.key[:0]
	for _, name := range path {
		t.key = binary.LittleEndian.AppendUint32(t.key, uint32(name))
		if t.seen[name]++; t.seen[name] == 2 {
			t.Rework[name] += n
		}
	}
	for _, name := range path {
		t.seen[name] = 0
	}
	t.Start[path[0]] += n
	t.End[path[len(path)-1]] += n
	t.Variants[string(t.key)] += n
}

// Merge adds o's counts to t. o must not be used afterwards: t may share
// its step times.
func (t *Tally) Merge(o *Tally) {
	t.fit(len(t.Names))
	to := make([]int32, len(o.Names)) // o's names as t's
	same := len(o.Names) <= len(t.Names)
	for i, n := range o.Names {
		if same && t.Names[i] != n {
			same = false
		}
		to[i] = t.Name(n)
	}
	t.fit(len(t.Names))
	t.Cases += o.Cases
	t.Events += o.Events
	t.Durations = append(t.Durations, o.Durations...)
	for i, k := range to {
		t.Start[k] += o.Start[i]
		t.End[k] += o.End[i]
		t.Rework[k] += o.Rework[i]
	}
	for key, n := range o.Variants {
		if !same {
			b := []byte(key)
			for i := 0; i < len(b); i += 4 {
				binary.LittleEndian.PutUint32(b[i:], uint32(to[binary.LittleEndian.Uint32(b[i:])]))
			}
			key = string(b)
		}
		t.Variants[key] += n
	}
	for e, p := range o.edges.pairs {
		t.edges.merge(to[p[0]], to[p[1]], &o.edges.times[e])
	}
}

// Edge is a directly-follows pair of names (by number), its count, and
// its steps' mean and median in seconds.
type Edge struct {
	From, To       int32
	Count          int64
	MeanS, MedianS float64
}

// Edges are the directly-follows edges by count, most first, then by
// their names. Their means and medians are computed on every core, each
// gathering an edge's times in a buffer of its own: O(steps) time, and
// the largest edge's steps again in memory per core.
func (t *Tally) Edges() []Edge {
	out := make([]Edge, len(t.edges.pairs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(out)) {
		wg.Go(func() {
			var times []int64
			for e := int(next.Add(1) - 1); e < len(out); e = int(next.Add(1) - 1) {
				times = t.edges.times[e].gather(times[:0])
				p := t.edges.pairs[e]
				out[e] = Edge{From: p[0], To: p[1], Count: int64(len(times)), MeanS: exact.MeanSeconds(times), MedianS: exact.MedianSeconds(times)}
			}
		})
	}
	wg.Wait()
	slices.SortFunc(out, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(t.Names[a.From], t.Names[b.From]), cmp.Compare(t.Names[a.To], t.Names[b.To]))
	})
	return out
}

// Path decodes a key of Variants into names.
func (t *Tally) Path(key string) []string {
	path := make([]string, len(key)/4)
	for i := range path {
		path[i] = t.Names[binary.LittleEndian.Uint32([]byte(key[4*i:4*i+4]))]
	}
	return path
}
