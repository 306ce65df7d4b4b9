package discovery

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

type testCase struct {
	names []string
	times []int64
}

func randomCases(rng *rand.Rand, n int) []testCase {
	alphabet := []string{"login", "verify", "search", "cart", "pay", "help", "verify again"}
	cases := make([]testCase, n)
	for i := range cases {
		var t int64
		for range 1 + rng.IntN(8) {
			cases[i].names = append(cases[i].names, alphabet[rng.IntN(len(alphabet))])
			t += rng.Int64N(1e12)
			cases[i].times = append(cases[i].times, t)
		}
	}
	return cases
}

func add(t *Tally, c testCase) {
	names := make([]int32, len(c.names))
	for i, n := range c.names {
		names[i] = t.Name(n)
	}
	t.AddCase(names, c.times)
}

// figures are a tally's counts keyed by name, which no numbering of the
// names changes.
type figures struct {
	Cases, Events int64
	Start, End    map[string]int64
	Rework        map[string]int64
	Variants      map[string]int64
	Edges         []string
	Durations     []int64
}

func figuresOf(t *Tally) figures {
	f := figures{Cases: t.Cases, Events: t.Events, Start: map[string]int64{}, End: map[string]int64{}, Rework: map[string]int64{}, Variants: map[string]int64{}}
	for i, n := range t.Names {
		f.Start[n], f.End[n], f.Rework[n] = t.Start[i], t.End[i], t.Rework[i]
	}
	for k, n := range t.Variants {
		f.Variants[fmt.Sprint(t.Path(k))] = n
	}
	for _, e := range t.Edges() {
		f.Edges = append(f.Edges, fmt.Sprintf("%s->%s %d %v %v", t.Names[e.From], t.Names[e.To], e.Count, e.MeanS, e.MedianS))
	}
	f.Durations = slices.Sorted(slices.Values(t.Durations))
	return f
}

// Tallies of parts of a log, each numbering the names in its own order,
// merge into the tally of the whole.
func TestMergeEqualsWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := randomCases(rng, 3000)
	var whole Tally
	for _, c := range cases {
		add(&whole, c)
	}
	parts := make([]*Tally, 5)
	for i := range parts {
		parts[i] = &Tally{}
	}
	for _, c := range cases {
		add(parts[rng.IntN(len(parts))], c)
	}
	var merged Tally
	for _, p := range parts {
		merged.Merge(p)
	}
	require.Equal(t, figuresOf(&whole), figuresOf(&merged))
	var empty Tally
	empty.Merge(&Tally{})
	require.Zero(t, empty.Cases, "merging empty tallies")
}

// Run counts what adding each case to a Tally counts, with the log's
// events in any order or each case in time order, on any number of
// shards.
func TestRunEqualsAddCase(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cases := randomCases(rng, 2000)
	var want Tally
	for _, c := range cases {
		add(&want, c)
	}
	// The log: cases interleaved, each in time order, in blocks of
	// varying size and with their own name lists.
	var blocks []*Block
	cur := &Block{}
	pos := make([]int, len(cases))
	left := len(cases)
	for left > 0 {
		ci := rng.IntN(len(cases))
		if pos[ci] == len(cases[ci].names) {
			continue
		}
		k := slices.Index(cur.Names, cases[ci].names[pos[ci]])
		if k < 0 {
			k = len(cur.Names)
			cur.Names = append(cur.Names, cases[ci].names[pos[ci]])
		}
		cur.Case = append(cur.Case, fmt.Sprintf("case-%d", ci))
		cur.Name = append(cur.Name, int32(k))
		cur.Time = append(cur.Time, cases[ci].times[pos[ci]])
		if pos[ci]++; pos[ci] == len(cases[ci].names) {
			left--
		}
		if len(cur.Case) == 1+rng.IntN(500) {
			blocks, cur = append(blocks, cur), &Block{}
		}
	}
	blocks = append(blocks, cur)
	for _, inOrder := range []bool{false, true} {
		for _, shards := range []int{1, 3} {
			got, err := Run(context.Background(), reader(blocks), inOrder, shards)
			require.NoError(t, err)
			require.Equal(t, figuresOf(&want), figuresOf(got), "inOrder %v, %d shards", inOrder, shards)
		}
	}
}

// reader hands out blocks, then io.EOF.
func reader(blocks []*Block) func() (*Block, error) {
	return func() (*Block, error) {
		if len(blocks) == 0 {
			return nil, io.EOF
		}
		b := blocks[0]
		blocks = blocks[1:]
		return b, nil
	}
}
