package friction_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// wideJourney is a valid journey of n touchpoints in one stage, a chain
// with a goal at every tenth, and a log of events wandering along it.
func wideJourney(tb testing.TB, n, events int) (*journey.Journey, *replay.Result) {
	tb.Helper()
	j, evs := wideLog(tb, n, events, false)
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{})
	require.NoError(tb, err)
	return j, res
}

// wideLog is the journey of wideJourney and its events: wandering along
// the chain, or, random, at a touchpoint drawn at random each time (the
// worst case of replay, where nearly every event skips hundreds of
// designed touchpoints that must each be marked).
func wideLog(tb testing.TB, n, events int, random bool) (*journey.Journey, []replay.Event) {
	tb.Helper()
	var b strings.Builder
	b.WriteString("id: wide\nstages: [s]\ntouchpoints:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: t%d, stage: s, owner: o%d, channel: c%d, entry: %v, goal: %v}\n", i, i%7, i%3, i%50 == 0, i%10 == 9)
	}
	b.WriteString("transitions:\n")
	for i := range n - 1 {
		fmt.Fprintf(&b, "  - {from: t%d, to: t%d}\n", i, i+1)
	}
	j, err := journey.Parse(strings.NewReader(b.String()), "wide.yaml")
	require.NoError(tb, err)
	rng := rand.New(rand.NewPCG(1, 2))
	var evs []replay.Event
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := 0; len(evs) < events; c++ {
		at := rng.IntN(n/50) * 50
		for k := range 2 + rng.IntN(8) {
			if random || rng.IntN(10) == 0 {
				at = rng.IntN(n) // an undesigned jump
			} else if at+1 < n {
				at++
			}
			evs = append(evs, replay.Event{Case: fmt.Sprintf("c%d", c), Touchpoint: fmt.Sprintf("t%d", at), Time: t0.Add(time.Duration(c+k) * time.Minute), CSAT: -1, CES: -1, NPS: -1})
		}
	}
	return j, evs
}

// BenchmarkAnalyzeWide: findings on a 4,096-touchpoint journey; the
// analysis is near-linear in touchpoints and observed transitions.
func BenchmarkAnalyzeWide(b *testing.B) {
	for _, n := range []int{512, 4096} {
		j, res := wideJourney(b, n, 200_000)
		b.Run(fmt.Sprintf("touchpoints=%d", n), func(b *testing.B) {
			for b.Loop() {
				friction.Analyze(j, res, friction.Options{})
			}
		})
	}
}

// BenchmarkReplayWideRandom: replay and findings of 200,000 events at
// random touchpoints of chains of 256 to 4,096 touchpoints. A skip marks
// every touchpoint on the designed path it passes, so the cost per event
// grows with the path, at most linearly in touchpoints; the path tables
// are kept by target so that one skip reads one row (BENCHMARKS.md).
func BenchmarkReplayWideRandom(b *testing.B) {
	for _, n := range []int{256, 1024, 4096} {
		j, evs := wideLog(b, n, 200_000, true)
		b.Run(fmt.Sprintf("touchpoints=%d", n), func(b *testing.B) {
			for b.Loop() {
				res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{})
				require.NoError(b, err)
				friction.Analyze(j, res, friction.Options{})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(evs)), "ns/event")
		})
	}
}

// BenchmarkAnalyzeExamples: findings, and what fixing each is worth, on
// the bundled examples' logs (the what-if's cost is most of it where
// findings have one: BENCHMARKS.md).
func BenchmarkAnalyzeExamples(b *testing.B) {
	for _, name := range []string{"retail", "tv-installation", "bank-onboarding"} {
		j, err := journey.Load("../examples/" + name + "/journey.yaml")
		require.NoError(b, err)
		res, err := replayCSV(j, "../examples/"+name+"/events.csv")
		require.NoError(b, err)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				friction.Analyze(j, res, friction.Options{})
			}
		})
	}
}
