package journey

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/journeymap/journeymap/touchpoint"
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
// there is no designed map to leave any unmatched. It holds each edge's
// times to compute exact medians, 8 bytes an event.
func Discover(ctx context.Context, src Events) (*Discovery, error) {
	c, names := newDiscoveryCollector()
	if err := c.collect(ctx, src); err != nil {
		return nil, err
	}
	return discover(c, *names), nil
}

// Columns are a block of a log's events in compact form, as
// eventlog.Columns are (one converts to the other): the block's case ids
// and touchpoint names, and per event an index into each and a time in
// Unix nanoseconds.
type Columns struct {
	Cases []string
	Names []string
	Case  []int32
	Name  []int32
	Time  []int64
}

// ColumnSource hands over a log's events a block at a time, in file order.
type ColumnSource interface {
	// NextColumns returns the next block, or io.EOF after the last.
	NextColumns() (*Columns, error)
}

// DiscoverColumns is Discover for a log read in blocks of Columns, which
// a reader can parse on several cores at once: the result is the same.
func DiscoverColumns(ctx context.Context, src ColumnSource) (*Discovery, error) {
	c, names := newDiscoveryCollector()
	var caseOf, nameOf []int32
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cols, err := src.NextColumns()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		caseOf = caseOf[:0]
		for _, id := range cols.Cases {
			ci, ok := c.byCase[id]
			if !ok {
				ci = int32(len(c.cases))
				c.byCase[id] = ci
				c.cases = append(c.cases, caseBuf{id: id})
			}
			caseOf = append(caseOf, ci)
		}
		nameOf = nameOf[:0]
		for _, n := range cols.Names {
			nameOf = append(nameOf, c.resolve(n))
		}
		for k, lc := range cols.Case {
			ci := caseOf[lc]
			c.keep(cev{t: cols.Time[k], tp: nameOf[cols.Name[k]], ch: -1, csat: -1, ces: -1, nps: -1}, ci)
			c.cases[ci].n++
		}
		c.read += int64(len(cols.Case))
	}
	c.group()
	return discover(c, *names), nil
}

// newDiscoveryCollector returns a collector that numbers every event name
// it meets, and the names so far.
func newDiscoveryCollector() (*collector, *[]string) {
	names := new([]string)
	index := map[string]int32{}
	c := newCollector(func(name string) int32 {
		if i, ok := index[name]; ok {
			return i
		}
		i := int32(len(*names))
		index[strings.Clone(name)] = i
		*names = append(*names, strings.Clone(name))
		return i
	})
	return c, names
}

// discover computes the discovery of the cases c has collected.
func discover(c *collector, names []string) *Discovery {
	d := &Discovery{Events: c.read, Touchpoints: len(names), Start: map[string]int64{}, End: map[string]int64{}, Rework: map[string]int64{}}
	type edge struct {
		count int64
		secs  []float64
	}
	edges := map[[2]int32]*edge{}
	variants := map[string]int64{}
	var durations []float64
	seen := make([]int32, len(names))
	var key []byte
	for ci := range c.cases {
		evs := c.cases[ci].evs
		if len(evs) == 0 {
			continue
		}
		sortCase(evs)
		d.Cases++
		d.Start[names[evs[0].tp]]++
		d.End[names[evs[len(evs)-1].tp]]++
		durations = append(durations, seconds(evs[len(evs)-1].t-evs[0].t))
		key = key[:0]
		for i := range evs {
			key = binary.LittleEndian.AppendUint32(key, uint32(evs[i].tp))
			seen[evs[i].tp]++
			if seen[evs[i].tp] == 2 {
				d.Rework[names[evs[i].tp]]++
			}
			if i == 0 {
				continue
			}
			k := [2]int32{evs[i-1].tp, evs[i].tp}
			e := edges[k]
			if e == nil {
				e = &edge{}
				edges[k] = e
			}
			e.count++
			e.secs = append(e.secs, seconds(evs[i].t-evs[i-1].t))
		}
		for i := range evs {
			seen[evs[i].tp] = 0
		}
		variants[string(key)]++
	}
	for k, e := range edges {
		m := mean(e.secs) // before median reorders the times
		d.DFG = append(d.DFG, DFGEdge{From: names[k[0]], To: names[k[1]], Count: e.count, MeanS: m, MedianS: median(e.secs)})
	}
	slices.SortFunc(d.DFG, func(a, b DFGEdge) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
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
	if len(durations) > 0 {
		m, lo, hi := mean(durations), slices.Min(durations), slices.Max(durations)
		d.CaseDuration = Summary{Mean: m, Median: median(durations), Min: lo, Max: hi}
	}
	return d
}

func seconds(ns int64) float64 { return float64(ns) / 1e9 }

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// median as numpy computes it: the middle value, or the mean of the two
// middle ones. It reorders x (selecting, not sorting: linear time).
func median(x []float64) float64 {
	n := len(x)
	nth(x, n/2)
	if n%2 == 1 {
		return x[n/2]
	}
	return (slices.Max(x[:n/2]) + x[n/2]) / 2
}

// nth reorders s so that s[k] is what sorting s would put there, with
// nothing greater before it and nothing smaller after it (quickselect with
// a median-of-three pivot; a sort finishes small ranges, and any range
// that has not shrunk enough after 2 log2(n) rounds).
func nth(s []float64, k int) {
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

// WriteJSON writes d as indented JSON with sorted keys: the same log gives
// the same bytes.
func (d *Discovery) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// WriteYAML writes d as a journey file that Load accepts: one stage
// ("as_is"), a touchpoint per event name (entries where cases start, goals
// where they end), a transition per directly-follows pair. It is a
// starting point for a designed map: split it into stages, name the
// channels and owners, and remove the transitions that should not exist.
func (d *Discovery) WriteYAML(w io.Writer, id string) error {
	if err := touchpoint.ValidateID(id); err != nil {
		return err
	}
	if d.Cases == 0 {
		return fmt.Errorf("the log has no events: nothing to discover")
	}
	// Event names become ids; the name is kept as a match when they differ.
	var all []string
	seenName := map[string]bool{}
	for _, e := range d.DFG {
		for _, n := range []string{e.From, e.To} {
			if !seenName[n] {
				seenName[n] = true
				all = append(all, n)
			}
		}
	}
	for _, m := range []map[string]int64{d.Start, d.End} {
		for _, n := range sortedKeys(m) {
			if !seenName[n] {
				seenName[n] = true
				all = append(all, n)
			}
		}
	}
	slices.Sort(all)
	ids := map[string]string{}
	used := map[string]bool{}
	for _, n := range all {
		base := slug(n)
		idv := base
		for k := 2; used[idv]; k++ {
			idv = fmt.Sprintf("%s_%d", base, k)
		}
		used[idv] = true
		ids[n] = idv
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var b strings.Builder
	fmt.Fprintf(&b, "# As-is journey discovered by journeymap from %d cases and %d events.\n", d.Cases, d.Events)
	b.WriteString("# Split it into stages, add channels and owners, and prune what should not happen.\n")
	fmt.Fprintf(&b, "id: %s\nname: %s\nstages:\n  - id: as_is\n    name: As observed\ntouchpoints:\n", id, q("As-is journey of "+id))
	for _, n := range all {
		fmt.Fprintf(&b, "  - id: %s\n", ids[n])
		fmt.Fprintf(&b, "    name: %s\n    stage: as_is\n", q(n))
		if ids[n] != n {
			fmt.Fprintf(&b, "    match: [%s]\n", q(n))
		}
		if c := d.Start[n]; c > 0 {
			fmt.Fprintf(&b, "    entry: true  # %d cases start here\n", c)
		}
		if c := d.End[n]; c > 0 {
			fmt.Fprintf(&b, "    goal: true   # %d cases end here\n", c)
		}
	}
	b.WriteString("transitions:\n")
	edges := slices.Clone(d.DFG)
	slices.SortFunc(edges, func(a, b DFGEdge) int { return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To)) })
	for _, e := range edges {
		fmt.Fprintf(&b, "  - {from: %s, to: %s}  # %d steps, median %s\n", ids[e.From], ids[e.To], e.Count, FormatDuration(time.Duration(e.MedianS*1e9).Round(time.Second)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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
