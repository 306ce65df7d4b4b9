package journey

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/internal/simulate"
)

// medianSeconds selects instead of sorting; it must give what sorting gives, on
// any input, including the orders that defeat a naive quickselect.
func TestMedianMatchesSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := map[string]func(n int) []int64{
		"random": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = rng.Int64N(1e15)
			}
			return s
		},
		"few values": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = rng.Int64N(3)
			}
			return s
		},
		"sorted": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = int64(i)
			}
			return s
		},
		"reversed": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = int64(n - i)
			}
			return s
		},
		"equal": func(n int) []int64 { return slices.Repeat([]int64{7}, n) },
		"organ pipe": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = int64(min(i, n-i))
			}
			return s
		},
	}
	for name, shape := range shapes {
		for _, n := range []int{1, 2, 3, 16, 17, 18, 100, 1001, 4096, 20000} {
			x := shape(n)
			s := slices.Clone(x)
			slices.Sort(s)
			want := seconds(s[n/2])
			if n%2 == 0 {
				want = (seconds(s[n/2-1]) + seconds(s[n/2])) / 2
			}
			if got := medianSeconds(x); got != want {
				t.Errorf("%s, n=%d: median %v, want %v", name, n, got, want)
			}
			slices.Sort(x)
			if !slices.Equal(x, s) {
				t.Errorf("%s, n=%d: median lost or changed values", name, n)
			}
		}
	}
}

// discoveryLog is a simulated retail log in file order, with the
// awkward parts of real ones: events of a case out of time order, ties,
// and case ids of every length (empty ones too, which a reader refuses
// but the engine must not mind).
func discoveryLog(t *testing.T, cases int) []Event {
	t.Helper()
	var evs []Event
	require.NoError(t, simulate.Generate(simulate.Retail(), cases, 7, func(e simulate.Event) error {
		evs = append(evs, Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time})
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
func columnBlocks(evs []Event, rng *rand.Rand) []*Columns {
	var out []*Columns
	for len(evs) > 0 {
		n := min(len(evs), 1+rng.IntN(700))
		cols := &Columns{}
		names := map[string]int32{}
		for _, ev := range evs[:n] {
			cols.Case = append(cols.Case, ev.Case)
			cols.Name = append(cols.Name, intern(names, &cols.Names, ev.Touchpoint))
			cols.Time = append(cols.Time, ev.Time.UnixNano())
		}
		out = append(out, cols)
		evs = evs[n:]
	}
	return out
}

type columnList []*Columns

func (l *columnList) NextColumns() (*Columns, error) {
	if len(*l) == 0 {
		return nil, io.EOF
	}
	c := (*l)[0]
	*l = (*l)[1:]
	return c, nil
}

// The result does not depend on how many shards share the cases, on the
// hash seed that shares them out, or on how the log is cut into blocks:
// it equals discovery of the events one at a time.
func TestDiscoveryShardsAgree(t *testing.T) {
	evs := discoveryLog(t, 3000)
	want, err := Discover(context.Background(), SliceEvents(evs))
	require.NoError(t, err)
	require.Equal(t, int64(len(evs)), want.Events)
	require.Greater(t, len(want.Variants), 10)
	rng := rand.New(rand.NewPCG(8, 9))
	for _, shards := range []int{1, 2, 3, 8} {
		src := columnList(columnBlocks(evs, rng))
		got, err := discoverBlocks(context.Background(), &src, shards)
		require.NoError(t, err)
		assert.Equal(t, want, got, "%d shards", shards)
	}
	// Cases laid out a few at a time, or one at a time, give the same.
	defer func(b, p int) { layoutBatch, layoutPasses = b, p }(layoutBatch, layoutPasses)
	layoutPasses = len(evs)
	for _, batch := range []int{1, 50, 1000} {
		layoutBatch = batch
		src := columnList(columnBlocks(evs, rng))
		got, err := discoverBlocks(context.Background(), &src, 2)
		require.NoError(t, err)
		assert.Equal(t, want, got, "batches of %d events", batch)
	}
}

// A source's error ends discovery with that error, whatever the shards
// were doing.
func TestDiscoverySourceError(t *testing.T) {
	evs := discoveryLog(t, 200)
	boom := errors.New("disk on fire")
	src := failingColumns{blocks: columnBlocks(evs, rand.New(rand.NewPCG(1, 1))), err: boom}
	_, err := discoverBlocks(context.Background(), &src, 2)
	assert.ErrorIs(t, err, boom)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	list := columnList(columnBlocks(evs, rand.New(rand.NewPCG(1, 1))))
	_, err = discoverBlocks(ctx, &list, 2)
	assert.ErrorIs(t, err, context.Canceled)
}

type failingColumns struct {
	blocks []*Columns
	err    error
}

func (f *failingColumns) NextColumns() (*Columns, error) {
	if len(f.blocks) < 2 {
		return nil, f.err
	}
	c := f.blocks[0]
	f.blocks = f.blocks[1:]
	return c, nil
}

// caseTable numbers ids as a map would, through its growth, for ids of
// every length and ids that differ in one byte.
func TestCaseTable(t *testing.T) {
	tbl := newCaseTable(42)
	want := map[string]int32{}
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range 50000 {
		b := make([]byte, rng.IntN(20))
		for k := range b {
			b[k] = byte('a' + rng.IntN(3))
		}
		id := string(b)
		if i%7 == 0 {
			id = fmt.Sprintf("C%07d", rng.IntN(20000))
		}
		n, ok := want[id]
		if !ok {
			n = int32(len(want))
			want[id] = n
		}
		require.Equal(t, n, tbl.number(id, tbl.hash(id)), "%q", id)
	}
	require.Greater(t, len(want), 10000)
}

// meanSeconds sums exactly: no order of the times changes it, even where
// float sums would lose the small ones next to the big ones.
func TestMeanSecondsExact(t *testing.T) {
	x := []int64{math.MaxInt64, 1, math.MaxInt64, 1, 3}
	want := new(big.Float).SetInt(new(big.Int).Add(new(big.Int).Mul(big.NewInt(math.MaxInt64), big.NewInt(2)), big.NewInt(5)))
	w, _ := want.Quo(want, big.NewFloat(5e9)).Float64()
	assert.Equal(t, w, meanSeconds(x))
	small := append(slices.Repeat([]int64{1}, 1000), 1<<62)
	a := meanSeconds(small)
	slices.Reverse(small)
	assert.Equal(t, a, meanSeconds(small))
}

// A block that does not hold together is an error, not a crash in a
// shard.
func TestDiscoveryBadColumns(t *testing.T) {
	for name, cols := range map[string]*Columns{
		"short names": {Case: []string{"a", "b"}, Names: []string{"x"}, Name: []int32{0}, Time: []int64{1, 2}},
		"short times": {Case: []string{"a"}, Names: []string{"x"}, Name: []int32{0}},
		"name past":   {Case: []string{"a"}, Names: []string{"x"}, Name: []int32{1}, Time: []int64{1}},
		"name below":  {Case: []string{"a"}, Names: []string{"x"}, Name: []int32{-1}, Time: []int64{1}},
	} {
		src := columnList{{Case: []string{"ok"}, Names: []string{"x"}, Name: []int32{0}, Time: []int64{0}}, cols}
		_, err := DiscoverColumns(context.Background(), &src)
		assert.ErrorContains(t, err, "a block of Columns", name)
	}
}

// BenchmarkDiscoverColumns is discovery alone, from blocks already
// parsed (as a CSV column reader hands them over), on a retail log in
// time order: what the shards cost, without the reading.
func BenchmarkDiscoverColumns(b *testing.B) {
	var evs []Event
	require.NoError(b, simulate.Generate(simulate.Retail(), 160000, 1, func(e simulate.Event) error {
		evs = append(evs, Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time})
		return nil
	}))
	slices.SortStableFunc(evs, func(a, b Event) int { return a.Time.Compare(b.Time) })
	var blocks []*Columns
	for len(evs) > 0 {
		n := min(len(evs), 4500) // a 256 KB block of a CSV log
		cols := &Columns{}
		names := map[string]int32{}
		for _, ev := range evs[:n] {
			cols.Case = append(cols.Case, ev.Case)
			cols.Name = append(cols.Name, intern(names, &cols.Names, ev.Touchpoint))
			cols.Time = append(cols.Time, ev.Time.UnixNano())
		}
		blocks = append(blocks, cols)
		evs = evs[n:]
	}
	b.ReportAllocs()
	var d *Discovery
	for b.Loop() {
		src := columnList(blocks)
		var err error
		if d, err = DiscoverColumns(context.Background(), &src); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(d.Events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
