package discover

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/journeymap/journeymap/replay"

	"github.com/journeymap/journeymap/internal/discovery"
	"github.com/journeymap/journeymap/internal/exact"
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

// Run reads src and returns its as-is journey. Every event counts:
// there is no designed map to leave any unmatched. It works on every core.
// It holds the time of every step to the end, so that medians are exact
// (8 bytes a step), and about 60 bytes a case; in a log in any order, also
// every event (16 bytes each). Options.InTimeOrder says which.
func Run(ctx context.Context, src replay.Events, opts Options) (*Discovery, error) {
	return RunColumns(ctx, replay.TimeBlocks(src), opts)
}

// Options tune Run. The zero value takes a log in any order.
type Options struct {
	// InTimeOrder says that each case's events come in time order (those
	// with the same time in file order), as they do in a log sorted by
	// time, or by case and then time, as XES traces almost always are.
	// Run then keeps of each case only its path so far and its first
	// and last times, instead of all its events, and counts each step as
	// it reads it. An event earlier than the one before it in its case
	// stops Run with an *replay.OrderError for ErrCaseNotInTimeOrder: the
	// log must then be discovered without InTimeOrder. The result is the
	// same either way.
	InTimeOrder bool
}

// RunColumns is Run for a log read in blocks of replay.Columns, which
// a reader can parse on several cores at once: the result is the same.
func RunColumns(ctx context.Context, src replay.ColumnSource, opts Options) (*Discovery, error) {
	return discoverBlocks(ctx, src, opts, min(runtime.GOMAXPROCS(0), 8))
}

// discoverBlocks counts src's cases on nShards goroutines (see package
// internal/discovery for how) and turns their tally into the log's
// discovery. The result is the same for any nShards.
func discoverBlocks(ctx context.Context, src replay.ColumnSource, opts Options, nShards int) (*Discovery, error) {
	// Blocks the shards are done with come back here, and are handed to
	// a replay.Recycler on this goroutine, the one that reads the next.
	rc, _ := src.(replay.Recycler)
	done := make(chan *replay.Columns, 64)
	next := func() (*discovery.Block, error) {
		for rc != nil && len(done) > 0 {
			rc.Recycle(<-done)
		}
		cols, err := src.NextColumns()
		if err != nil {
			return nil, err
		}
		if err := replay.CheckColumns(cols); err != nil {
			return nil, err
		}
		b := &discovery.Block{Case: cols.Case, Names: cols.Names, Name: cols.Name, Time: cols.Time}
		if rc != nil {
			b.Done = func() {
				select {
				case done <- cols:
				default: // not reused
				}
			}
		}
		return b, nil
	}
	t, err := discovery.Run(ctx, next, opts.InTimeOrder, nShards)
	if oe, ok := err.(*discovery.OrderError); ok {
		return nil, &replay.OrderError{Err: replay.ErrCaseNotInTimeOrder, Case: oe.Case, Behind: time.Duration(oe.Behind)}
	}
	if err != nil {
		return nil, err
	}
	return fromTally(t), nil
}

// fromTally is the discovery a tally counts: the edges' figures on every
// core while the variants and case durations are summarised.
func fromTally(t *discovery.Tally) *Discovery {
	d := &Discovery{Cases: t.Cases, Events: t.Events, Touchpoints: len(t.Names), Start: map[string]int64{}, End: map[string]int64{}, Rework: map[string]int64{}}
	for k, name := range t.Names {
		addCount(d.Start, name, t.Start[k])
		addCount(d.End, name, t.End[k])
		addCount(d.Rework, name, t.Rework[k])
	}
	edges := make(chan []discovery.Edge, 1)
	go func() { edges <- t.Edges() }()
	for k, n := range t.Variants {
		d.Variants = append(d.Variants, Variant{Path: t.Path(k), Cases: n})
	}
	slices.SortFunc(d.Variants, func(a, b Variant) int {
		return cmp.Or(cmp.Compare(b.Cases, a.Cases), slices.Compare(a.Path, b.Path))
	})
	if x := t.Durations; len(x) > 0 {
		d.CaseDuration = Summary{Mean: exact.MeanSeconds(x), Min: exact.Seconds(slices.Min(x)), Max: exact.Seconds(slices.Max(x)), Median: exact.MedianSeconds(x)}
	}
	for _, e := range <-edges {
		d.DFG = append(d.DFG, DFGEdge{From: t.Names[e.From], To: t.Names[e.To], Count: e.Count, MeanS: e.MeanS, MedianS: e.MedianS})
	}
	return d
}

func addCount(m map[string]int64, k string, n int64) {
	if n > 0 {
		m[k] += n
	}
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
