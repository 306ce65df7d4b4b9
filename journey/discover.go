package journey

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Discovery is the as-is journey of a log, found without a designed map:
// the directly-follows graph of its event names, where cases start and
// end, its variants and its rework. Its figures are defined as PM4Py
// defines them, and equal PM4Py's on the same log: events ordered by time
// within a case (file order for ties), times between directly-following
// events, medians interpolated as numpy does. JSON field names are the
// contract's (`journeymap discover --format json`).
type Discovery struct {
	Cases        int64            `json:"cases"`
	Events       int64            `json:"events"`
	Touchpoints  int              `json:"touchpoints"` // distinct event names
	DFG          []DFGEdge        `json:"dfg"`
	Start        map[string]int64 `json:"start"`
	End          map[string]int64 `json:"end"`
	Variants     []Variant        `json:"variants"`
	Rework       map[string]int64 `json:"rework"` // name -> cases in which it occurs more than once
	CaseDuration Summary          `json:"case_duration_s"`
}

// DFGEdge is a directly-follows pair: To came right after From in Count
// steps, taking MeanS and MedianS seconds on average and at the median.
type DFGEdge struct {
	From    string  `json:"from"`
	To      string  `json:"to"`
	Count   int64   `json:"count"`
	MeanS   float64 `json:"mean_s"`
	MedianS float64 `json:"median_s"`
}

// Variant is a distinct path through the log and the number of cases that took it.
type Variant struct {
	Path  []string `json:"path"`
	Cases int64    `json:"cases"`
}

// Summary is a distribution summarised in seconds.
type Summary struct {
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Discover reads src and returns its as-is journey. Every event counts:
// there is no designed map to leave any unmatched. It works on every core.
// It holds the time of every step to the end, so that medians are exact
// (8 bytes a step), and about 60 bytes a case; in a log in any order, also
// every event (16 bytes each). DiscoverOptions.InTimeOrder says which.
func Discover(ctx context.Context, src Events, opts DiscoverOptions) (*Discovery, error) {
	return DiscoverColumns(ctx, &eventBlocks{src: src}, opts)
}

// DiscoverOptions tune Discover. The zero value takes a log in any order.
type DiscoverOptions struct {
	// InTimeOrder says that each case's events come in time order (those
	// with the same time in file order), as they do in a log sorted by
	// time, or by case and then time, as XES traces almost always are.
	// Discover then keeps of each case only its path so far and its first
	// and last times, instead of all its events, and counts each step as
	// it reads it. An event earlier than the one before it in its case
	// stops Discover with an *OrderError for ErrCaseNotInTimeOrder: the
	// log must then be discovered without InTimeOrder. The result is the
	// same either way.
	InTimeOrder bool
}

// Columns are a block of a log's events in compact form, as
// eventlog.Columns are (one converts to the other): per event a case id,
// a touchpoint name as an index into the block's Names, and a time in
// Unix nanoseconds.
type Columns struct {
	Case  []string
	Names []string
	Name  []int32
	Time  []int64
}

// ColumnSource hands over a log's events a block at a time, in file order.
type ColumnSource interface {
	// NextColumns returns the next block, or io.EOF after the last. The
	// block is not changed after it has been handed over.
	NextColumns() (*Columns, error)
}

// DiscoverColumns is Discover for a log read in blocks of Columns, which
// a reader can parse on several cores at once: the result is the same.
func DiscoverColumns(ctx context.Context, src ColumnSource, opts DiscoverOptions) (*Discovery, error) {
	return discoverBlocks(ctx, src, opts, min(runtime.GOMAXPROCS(0), 8))
}

// discoverBlocks reads src on the calling goroutine and hands every
// block to nShards goroutines, each of which owns the cases whose ids
// hash to it: it follows their paths (or groups their events and orders
// them by time), and counts their edges, variants, starts and ends. The
// shards' counts are then added up. Every figure is independent of how
// the cases were shared out (sums of durations are exact, in integer
// nanoseconds), so the result is the same for any number of shards and
// any hash seed.
func discoverBlocks(ctx context.Context, src ColumnSource, opts DiscoverOptions, nShards int) (*Discovery, error) {
	var names []string
	index := map[string]int32{}
	shards := make([]*discoveryShard, max(nShards, 1))
	var stop atomic.Bool
	var wg sync.WaitGroup
	seed := rand.Uint64() // a log cannot be made to collide on purpose
	for s := range shards {
		sh := &discoveryShard{shard: uint64(s), of: uint64(len(shards)), in: make(chan discoveryBlock, 4), byCase: newCaseTable(seed), inOrder: opts.InTimeOrder}
		shards[s] = sh
		wg.Go(func() { sh.run(&names, &stop) })
	}
	var read int64
	err := func() error {
		for !stop.Load() { // until a shard finds a case out of time order
			if err := ctx.Err(); err != nil {
				return err
			}
			cols, err := src.NextColumns()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := cols.check(); err != nil {
				return err
			}
			nameOf := make([]int32, len(cols.Names)) // read by every shard: a new one each block
			for i, n := range cols.Names {
				k, ok := index[n]
				if !ok {
					k = int32(len(names))
					n = strings.Clone(n)
					index[n] = k
					names = append(names, n)
				}
				nameOf[i] = k
			}
			read += int64(len(cols.Case))
			for _, sh := range shards {
				sh.in <- discoveryBlock{cols, nameOf, len(names)}
			}
		}
		return nil
	}()
	if err != nil {
		stop.Store(true)
	}
	for _, sh := range shards {
		close(sh.in)
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	for _, sh := range shards {
		if sh.err != nil {
			return nil, sh.err
		}
	}
	return mergeShards(shards, names, read), nil
}

// check says what is wrong with a block, if anything.
func (c *Columns) check() error {
	if len(c.Name) != len(c.Case) || len(c.Time) != len(c.Case) {
		return fmt.Errorf("journey: a block of Columns has %d case ids, %d names and %d times: give each event one of each", len(c.Case), len(c.Name), len(c.Time))
	}
	for k, n := range c.Name {
		if n < 0 || int(n) >= len(c.Names) {
			return fmt.Errorf("journey: event %d of a block of Columns has name %d, and the block has %d names", k, n, len(c.Names))
		}
	}
	return nil
}

// mergeShards adds up the shards' counts into the log's discovery.
func mergeShards(shards []*discoveryShard, names []string, read int64) *Discovery {
	d := &Discovery{Events: read, Touchpoints: len(names), Start: map[string]int64{}, End: map[string]int64{}, Rework: map[string]int64{}}
	edges := map[[2]int32][]*stepTimes{} // an edge's times in each shard that met it
	var cases int
	variants := map[string]int64{}
	for _, sh := range shards {
		d.Cases += sh.cases
		for k, name := range names {
			addCount(d.Start, name, sh.start[k])
			addCount(d.End, name, sh.end[k])
			addCount(d.Rework, name, sh.rework[k])
		}
		for e, pair := range sh.edges.pairs {
			edges[pair] = append(edges[pair], &sh.edges.times[e])
		}
		cases += len(sh.durations)
		for k, n := range sh.variants {
			variants[k] += n
		}
	}
	// The edges' means and medians, on every core, each gathering an
	// edge's times from the shards in one buffer of its own.
	var parts [][]*stepTimes
	for pair, p := range edges {
		d.DFG = append(d.DFG, DFGEdge{From: names[pair[0]], To: names[pair[1]]})
		parts = append(parts, p)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(parts)) {
		wg.Go(func() {
			var times []int64
			for e := int(next.Add(1) - 1); e < len(parts); e = int(next.Add(1) - 1) {
				n := 0
				for _, p := range parts[e] {
					n += p.n
				}
				if cap(times) < n {
					times = make([]int64, 0, n)
				}
				times = times[:0]
				for _, p := range parts[e] {
					for _, c := range p.chunks {
						times = append(times, c...)
					}
				}
				d.DFG[e].Count, d.DFG[e].MeanS, d.DFG[e].MedianS = int64(len(times)), meanSeconds(times), medianSeconds(times)
			}
		})
	}
	// Meanwhile, the variants and case durations.
	for k, n := range variants {
		path := make([]string, len(k)/4)
		for i := range path {
			path[i] = names[binary.LittleEndian.Uint32([]byte(k[4*i:4*i+4]))]
		}
		d.Variants = append(d.Variants, Variant{Path: path, Cases: n})
	}
	slices.SortFunc(d.Variants, func(a, b Variant) int {
		return cmp.Or(cmp.Compare(b.Cases, a.Cases), slices.Compare(a.Path, b.Path))
	})
	durations := make([]int64, 0, cases)
	for _, sh := range shards {
		durations = append(durations, sh.durations...)
	}
	if len(durations) > 0 {
		d.CaseDuration = Summary{Mean: meanSeconds(durations), Min: seconds(slices.Min(durations)), Max: seconds(slices.Max(durations)), Median: medianSeconds(durations)}
	}
	wg.Wait()
	slices.SortFunc(d.DFG, func(a, b DFGEdge) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return d
}

func addCount(m map[string]int64, k string, n int64) {
	if n > 0 {
		m[k] += n
	}
}

// eventBlocks cuts a stream of events into blocks of Columns.
type eventBlocks struct {
	src   Events
	names map[string]int32
}

// eventBlock is how many events a block of eventBlocks holds.
const eventBlock = 1 << 14

func (b *eventBlocks) NextColumns() (*Columns, error) {
	if b.names == nil {
		b.names = map[string]int32{}
	}
	clear(b.names)
	cols := &Columns{}
	last := ""
	for len(cols.Case) < eventBlock {
		ev, err := b.src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		// A case id is copied (the event's may be a reader's buffer) when
		// it differs from the event before's: once a case in a log
		// grouped by case, as XES always is.
		if ev.Case != last {
			last = strings.Clone(ev.Case)
		}
		cols.Case = append(cols.Case, last)
		cols.Name = append(cols.Name, intern(b.names, &cols.Names, ev.Touchpoint))
		cols.Time = append(cols.Time, ev.Time.UnixNano())
	}
	if len(cols.Case) == 0 {
		return nil, io.EOF
	}
	return cols, nil
}

// intern returns s's index in list, appending a copy of s (the event's
// strings may be a reader's buffer) when it is new.
func intern(index map[string]int32, list *[]string, s string) int32 {
	if k, ok := index[s]; ok {
		return k
	}
	k := int32(len(*list))
	s = strings.Clone(s)
	index[s] = k
	*list = append(*list, s)
	return k
}

func seconds(ns int64) float64 { return float64(ns) / 1e9 }

// meanSeconds is the mean of x (nanoseconds) in seconds. The sum is
// exact (128 bits), so it does not depend on the order of x.
func meanSeconds(x []int64) float64 {
	var hi int64
	var lo uint64
	for _, v := range x {
		var carry uint64
		lo, carry = bits.Add64(lo, uint64(v), 0)
		hi += v>>63 + int64(carry)
	}
	sum := float64(hi)*(1<<64) + float64(lo)
	return sum / float64(len(x)) / 1e9
}

// medianSeconds is the median of x (nanoseconds) in seconds, as numpy
// computes it over the times in seconds: the middle value, or the mean
// of the two middle ones. It reorders x (selecting, not sorting: linear
// time).
func medianSeconds(x []int64) float64 {
	n := len(x)
	nth(x, n/2)
	if n%2 == 1 {
		return seconds(x[n/2])
	}
	return (seconds(slices.Max(x[:n/2])) + seconds(x[n/2])) / 2
}

// nth reorders s so that s[k] is what sorting s would put there, with
// nothing greater before it and nothing smaller after it (quickselect with
// a median-of-three pivot; a sort finishes small ranges, and any range
// that has not shrunk enough after 2 log2(n) rounds).
func nth(s []int64, k int) {
	lo, hi := 0, len(s)-1
	budget := 2 * bits.Len(uint(len(s)))
	for hi-lo > 16 {
		if budget == 0 {
			break
		}
		budget--
		m := lo + (hi-lo)/2
		if s[m] < s[lo] {
			s[m], s[lo] = s[lo], s[m]
		}
		if s[hi] < s[lo] {
			s[hi], s[lo] = s[lo], s[hi]
		}
		if s[hi] < s[m] {
			s[hi], s[m] = s[m], s[hi]
		}
		p := s[m]
		i, j := lo, hi
		for i <= j {
			for s[i] < p {
				i++
			}
			for s[j] > p {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return // j < k < i: s[k] equals the pivot, in place
		}
	}
	slices.Sort(s[lo : hi+1])
}

// slug turns an event name into a touchpoint id: lower case, runs of other
// characters as '_'.
func slug(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		if ok || (r == '-' && b.Len() > 0) {
			b.WriteRune(r)
			under = false
		} else if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	id := strings.TrimRight(b.String(), "_-")
	if id == "" {
		id = "touchpoint"
	}
	return id
}
