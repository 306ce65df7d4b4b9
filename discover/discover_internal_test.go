package discover

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/internal/discovery"
	"github.com/journeymap/journeymap/internal/exact"
	"github.com/journeymap/journeymap/internal/numbering"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/replay"
)

// discoveryLog is a simulated retail log in file order, with the
// awkward parts of real ones: events of a case out of time order, ties,
// and case ids of every length (empty ones too, which a reader refuses
// but the engine must not mind).
func discoveryLog(t *testing.T, cases int) []replay.Event {
	t.Helper()
	var evs []replay.Event
	require.NoError(t, simulate.Generate(simulate.Retail(), cases, 7, func(e simulate.Event) error {
		evs = append(evs, replay.Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time})
		return nil
	}))
	rng := rand.New(rand.NewPCG(5, 6))
	rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
	for i := range evs {
		switch rng.IntN(10) {
		case 0:
			evs[i].Time = evs[max(i-1, 0)].Time // a tie, or a step back in time
		case 1:
			evs[i].Case = strings.Repeat(evs[i].Case, rng.IntN(4)) // 0 to 27 bytes
		}
	}
	return evs
}

// columnBlocks cuts events into blocks of random sizes, as a parallel
// reader would hand them over.
func columnBlocks(evs []replay.Event, rng *rand.Rand) []*replay.Columns {
	return columnBlocksOf(evs, rng, 700)
}

// columnBlocksOf cuts events into blocks of 1 to most events (of most
// events, if rng is nil).
func columnBlocksOf(evs []replay.Event, rng *rand.Rand, most int) []*replay.Columns {
	var out []*replay.Columns
	for len(evs) > 0 {
		n := most
		if rng != nil {
			n = 1 + rng.IntN(most)
		}
		n = min(n, len(evs))
		cols := &replay.Columns{}
		names := map[string]int32{}
		for _, ev := range evs[:n] {
			cols.Case = append(cols.Case, ev.Case)
			cols.Name = append(cols.Name, numbering.Number(names, &cols.Names, ev.Touchpoint))
			cols.Time = append(cols.Time, ev.Time.UnixNano())
		}
		out = append(out, cols)
		evs = evs[n:]
	}
	return out
}

type columnList []*replay.Columns

func (l *columnList) NextColumns() (*replay.Columns, error) {
	if len(*l) == 0 {
		return nil, io.EOF
	}
	c := (*l)[0]
	*l = (*l)[1:]
	return c, nil
}

// naiveDiscovery is discovery as the contract states it, written plainly
// (only means and medians come from the engine's functions, which have
// tests of their own): the oracle the engine is checked against.
func naiveDiscovery(evs []replay.Event) *Discovery {
	d := &Discovery{Events: int64(len(evs)), Start: map[string]int64{}, End: map[string]int64{}, Rework: map[string]int64{}}
	byCase := map[string][]replay.Event{}
	names := map[string]bool{}
	for _, ev := range evs {
		byCase[ev.Case] = append(byCase[ev.Case], ev)
		names[ev.Touchpoint] = true
	}
	d.Cases, d.Touchpoints = int64(len(byCase)), len(names)
	steps := map[[2]string][]int64{}
	variants := map[string]*Variant{}
	var durations []int64
	for _, c := range byCase {
		slices.SortStableFunc(c, func(a, b replay.Event) int { return a.Time.Compare(b.Time) })
		d.Start[c[0].Touchpoint]++
		d.End[c[len(c)-1].Touchpoint]++
		durations = append(durations, c[len(c)-1].Time.Sub(c[0].Time).Nanoseconds())
		var path []string
		met := map[string]int{}
		for i, ev := range c {
			path = append(path, ev.Touchpoint)
			if met[ev.Touchpoint]++; met[ev.Touchpoint] == 2 {
				d.Rework[ev.Touchpoint]++
			}
			if i > 0 {
				pair := [2]string{c[i-1].Touchpoint, ev.Touchpoint}
				steps[pair] = append(steps[pair], ev.Time.Sub(c[i-1].Time).Nanoseconds())
			}
		}
		key := strings.Join(path, "\x00")
		if variants[key] == nil {
			variants[key] = &Variant{Path: path}
		}
		variants[key].Cases++
	}
	for pair, times := range steps {
		d.DFG = append(d.DFG, DFGEdge{From: pair[0], To: pair[1], Count: int64(len(times)), MeanS: exact.MeanSeconds(times), MedianS: exact.MedianSeconds(times)})
	}
	slices.SortFunc(d.DFG, func(a, b DFGEdge) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	for _, v := range variants {
		d.Variants = append(d.Variants, *v)
	}
	slices.SortFunc(d.Variants, func(a, b Variant) int {
		return cmp.Or(cmp.Compare(b.Cases, a.Cases), slices.Compare(a.Path, b.Path))
	})
	if len(durations) > 0 {
		d.CaseDuration = Summary{Mean: exact.MeanSeconds(durations), Min: exact.Seconds(slices.Min(durations)), Max: exact.Seconds(slices.Max(durations)), Median: exact.MedianSeconds(durations)}
	}
	return d
}

// discoveryLogs are the same simulated events in file orders that
// discovery must take: any order, time order and case order (each case in
// time order in the last two).
func discoveryLogs(t *testing.T, cases int) map[string][]replay.Event {
	anyOrder := discoveryLog(t, cases)
	byTime := slices.Clone(anyOrder)
	slices.SortStableFunc(byTime, func(a, b replay.Event) int { return a.Time.Compare(b.Time) })
	byCase := slices.Clone(byTime)
	slices.SortStableFunc(byCase, func(a, b replay.Event) int { return strings.Compare(a.Case, b.Case) })
	return map[string][]replay.Event{"any order": anyOrder, "time order": byTime, "case order": byCase}
}

// Discovery equals the plain oracle whatever the log's order, however
// many shards share the cases out (and whatever hash seed shares them),
// however the log is cut into blocks, and whether it follows each case's
// path (a log whose cases are each in time order) or keeps its events.
func TestDiscoveryMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for order, evs := range discoveryLogs(t, 3000) {
		want := naiveDiscovery(evs)
		require.Greater(t, len(want.Variants), 10)
		for _, inOrder := range []bool{false, true} {
			if inOrder && order == "any order" {
				continue
			}
			opts := Options{InTimeOrder: inOrder}
			got, err := Run(context.Background(), replay.SliceEvents(evs), opts)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%s, %+v, event by event", order, opts)
			for _, shards := range []int{1, 2, 3, 8} {
				src := columnList(columnBlocks(evs, rng))
				got, err := discoverBlocks(context.Background(), &src, opts, shards)
				require.NoError(t, err)
				assert.Equal(t, want, got, "%s, %+v, %d shards", order, opts, shards)
			}
		}
	}
}

// recyclingList hands out copies of its blocks, refilling those handed
// back after scribbling over them: a block reused while a shard still
// reads it would change the result. It is not safe for concurrent use,
// so that the race detector sees a block handed back from another
// goroutine than the one reading.
type recyclingList struct {
	blocks   []*replay.Columns
	spare    []*replay.Columns
	recycled int
}

func (l *recyclingList) NextColumns() (*replay.Columns, error) {
	if len(l.blocks) == 0 {
		return nil, io.EOF
	}
	b := l.blocks[0]
	l.blocks = l.blocks[1:]
	c := &replay.Columns{}
	if n := len(l.spare); n > 0 {
		c, l.spare = l.spare[n-1], l.spare[:n-1]
	}
	c.Case = append(c.Case[:0], b.Case...)
	c.Names = append(c.Names[:0], b.Names...)
	c.Name = append(c.Name[:0], b.Name...)
	c.Time = append(c.Time[:0], b.Time...)
	return c, nil
}

func (l *recyclingList) Recycle(c *replay.Columns) {
	for k := range c.Case {
		c.Case[k], c.Name[k], c.Time[k] = "scribbled", 0, -1
	}
	l.spare = append(l.spare, c)
	l.recycled++
}

// Discovery hands each block back once every shard is done with it, on
// the goroutine that reads the blocks, and the result is the same.
func TestDiscoveryRecyclesBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	for order, evs := range discoveryLogs(t, 2000) {
		want := naiveDiscovery(evs)
		for _, inOrder := range []bool{false, true} {
			if inOrder && order == "any order" {
				continue
			}
			for _, shards := range []int{1, 3} {
				src := &recyclingList{blocks: columnBlocksOf(evs, rng, 60)}
				got, err := discoverBlocks(context.Background(), src, Options{InTimeOrder: inOrder}, shards)
				require.NoError(t, err)
				assert.Equal(t, want, got, "%s, in order %v, %d shards", order, inOrder, shards)
				assert.Positive(t, src.recycled, "%s: blocks handed back", order)
			}
		}
	}
}

// Paths whose nodes have more children than a scan is kept for (all of
// them, or past two) give the same.
func TestDiscoveryWidePaths(t *testing.T) {
	evs := discoveryLogs(t, 1000)["time order"]
	want := naiveDiscovery(evs)
	for _, kids := range []int32{0, 2} {
		restore := discovery.SetNarrowKids(kids)
		src := columnList(columnBlocks(evs, rand.New(rand.NewPCG(6, 7))))
		got, err := discoverBlocks(context.Background(), &src, Options{InTimeOrder: true}, 2)
		restore()
		require.NoError(t, err)
		assert.Equal(t, want, got, "nodes narrow up to %d children", kids)
	}
}

// Cases laid out a few at a time, or one at a time, give the same.
func TestDiscoveryLayoutBatches(t *testing.T) {
	evs := discoveryLog(t, 1000)
	want := naiveDiscovery(evs)
	for _, batch := range []int{1, 50, 1000} {
		defer discovery.SetLayout(batch, len(evs))()
		src := columnList(columnBlocks(evs, rand.New(rand.NewPCG(1, 2))))
		got, err := discoverBlocks(context.Background(), &src, Options{}, 2)
		require.NoError(t, err)
		assert.Equal(t, want, got, "batches of %d events", batch)
	}
}

// With InTimeOrder, an event earlier than the one before it in its case
// stops discovery with an error that says which case, and by how much.
func TestDiscoveryInTimeOrderRefusesDisorder(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2024, 5, 1, 10, m, 0, 0, time.UTC) }
	evs := []replay.Event{
		{Case: "a", Touchpoint: "x", Time: at(0)}, {Case: "b", Touchpoint: "x", Time: at(1)},
		{Case: "a", Touchpoint: "y", Time: at(5)}, {Case: "b", Touchpoint: "y", Time: at(5)},
		{Case: "a", Touchpoint: "z", Time: at(5)}, // a tie: still in order
		{Case: "b", Touchpoint: "z", Time: at(2)}, // 3 minutes back in case b
		{Case: "a", Touchpoint: "w", Time: at(9)},
	}
	_, err := Run(context.Background(), replay.SliceEvents(evs), Options{InTimeOrder: true})
	var oe *replay.OrderError
	require.ErrorAs(t, err, &oe)
	assert.ErrorIs(t, err, replay.ErrCaseNotInTimeOrder)
	assert.Equal(t, "b", oe.Case)
	assert.Equal(t, 3*time.Minute, oe.Behind)
	assert.Contains(t, err.Error(), `the event is 3m older than the one before it in its case`)
	assert.NotContains(t, err.Error(), `"b"`, "no case id in a message")

	d, err := Run(context.Background(), replay.SliceEvents(evs), Options{})
	require.NoError(t, err)
	assert.Equal(t, naiveDiscovery(evs), d, "without InTimeOrder, any order is taken")
}

// Names that appear as the log goes on, more of them than a dense edge
// table holds, are counted the same when steps are counted as they are
// read.
func TestDiscoveryInTimeOrderManyNames(t *testing.T) {
	var evs []replay.Event
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 * discovery.DenseEdgeNames {
		c := fmt.Sprintf("c%d", i%40)
		evs = append(evs, replay.Event{Case: c, Touchpoint: fmt.Sprintf("step %d", i/2), Time: start.Add(time.Duration(i) * time.Second)})
	}
	want := naiveDiscovery(evs)
	require.Greater(t, want.Touchpoints, discovery.DenseEdgeNames)
	for _, shards := range []int{1, 2} {
		src := columnList(columnBlocks(evs, rand.New(rand.NewPCG(3, 4))))
		got, err := discoverBlocks(context.Background(), &src, Options{InTimeOrder: true}, shards)
		require.NoError(t, err)
		assert.Equal(t, want, got, "%d shards", shards)
	}
}

// A source's error ends discovery with that error, whatever the shards
// were doing.
func TestDiscoverySourceError(t *testing.T) {
	evs := discoveryLog(t, 200)
	boom := errors.New("disk on fire")
	src := failingColumns{blocks: columnBlocks(evs, rand.New(rand.NewPCG(1, 1))), err: boom}
	_, err := discoverBlocks(context.Background(), &src, Options{}, 2)
	assert.ErrorIs(t, err, boom)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	list := columnList(columnBlocks(evs, rand.New(rand.NewPCG(1, 1))))
	_, err = discoverBlocks(ctx, &list, Options{}, 2)
	assert.ErrorIs(t, err, context.Canceled)
}

type failingColumns struct {
	blocks []*replay.Columns
	err    error
}

func (f *failingColumns) NextColumns() (*replay.Columns, error) {
	if len(f.blocks) < 2 {
		return nil, f.err
	}
	c := f.blocks[0]
	f.blocks = f.blocks[1:]
	return c, nil
}

// A block that does not hold together is an error, not a crash in a
// shard.
func TestDiscoveryBadColumns(t *testing.T) {
	for name, cols := range map[string]*replay.Columns{
		"short names": {Case: []string{"a", "b"}, Names: []string{"x"}, Name: []int32{0}, Time: []int64{1, 2}},
		"short times": {Case: []string{"a"}, Names: []string{"x"}, Name: []int32{0}},
		"name past":   {Case: []string{"a"}, Names: []string{"x"}, Name: []int32{1}, Time: []int64{1}},
		"name below":  {Case: []string{"a"}, Names: []string{"x"}, Name: []int32{-1}, Time: []int64{1}},
	} {
		src := columnList{{Case: []string{"ok"}, Names: []string{"x"}, Name: []int32{0}, Time: []int64{0}}, cols}
		_, err := RunColumns(context.Background(), &src, Options{})
		assert.ErrorContains(t, err, "a block of Columns", name)
	}
}

// BenchmarkDiscoverColumns is discovery alone, from blocks already
// parsed (as a CSV column reader hands them over), on a retail log in
// time order: what the shards cost, without the reading, keeping the
// events or following each case's path.
func BenchmarkDiscoverColumns(b *testing.B) {
	var evs []replay.Event
	require.NoError(b, simulate.Generate(simulate.Retail(), 160000, 1, func(e simulate.Event) error {
		evs = append(evs, replay.Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time})
		return nil
	}))
	slices.SortStableFunc(evs, func(a, b replay.Event) int { return a.Time.Compare(b.Time) })
	blocks := columnBlocksOf(evs, nil, 4500) // 256 KB blocks of a CSV log
	for _, inOrder := range []bool{false, true} {
		b.Run(fmt.Sprintf("InTimeOrder=%v", inOrder), func(b *testing.B) {
			b.ReportAllocs()
			var d *Discovery
			for b.Loop() {
				src := columnList(blocks)
				var err error
				if d, err = RunColumns(context.Background(), &src, Options{InTimeOrder: inOrder}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(d.Events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// FuzzDiscoverOrders: for any small log, discovery keeping every event
// equals the plain oracle on 1 to 3 shards and any cut into blocks, and
// following each case's path does too where every case is in time order,
// and refuses the log where one is not.
func FuzzDiscoverOrders(f *testing.F) {
	f.Add([]byte{1, 0, 0, 1, 2, 1, 2, 0, 1, 1, 4, 3, 2, 6, 90, 1, 6, 4}, uint8(2))
	f.Add([]byte{3, 5, 200, 3, 4, 0, 14, 0, 7, 14, 2, 7, 14, 8, 8, 9, 1, 255, 9, 3, 2}, uint8(7))
	names := []string{"home", "search", "product", "cart", "help", "paid"}
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte, cut uint8) {
		var evs []replay.Event
		inOrder := true
		last := map[string]time.Time{}
		for i := 0; i+2 < len(data) && len(evs) < 80; i += 3 {
			c := fmt.Sprintf("c%d", data[i]%9)
			at := start.Add(time.Duration(data[i+2]) * time.Minute)
			if l, ok := last[c]; ok && at.Before(l) {
				inOrder = false
			}
			last[c] = at
			evs = append(evs, replay.Event{Case: c, Touchpoint: names[int(data[i+1])%len(names)], Time: at})
		}
		want := naiveDiscovery(evs)
		rng := rand.New(rand.NewPCG(uint64(cut), 1))
		for shards := 1; shards <= 3; shards++ {
			for _, opts := range []Options{{}, {InTimeOrder: true}} {
				src := columnList(columnBlocksOf(evs, rng, 1+int(cut%32)))
				got, err := discoverBlocks(context.Background(), &src, opts, shards)
				if opts.InTimeOrder && !inOrder {
					require.ErrorIs(t, err, replay.ErrCaseNotInTimeOrder)
					continue
				}
				require.NoError(t, err)
				require.Equal(t, want, got, "%d shards, %+v", shards, opts)
			}
		}
	})
}
