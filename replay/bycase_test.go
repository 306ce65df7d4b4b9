package replay_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/discover"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// simulated is a log of the retail example, case by case, with the
// persona as segment.
func simulated(t *testing.T, cases int) ([]replay.Event, [][]replay.Event) {
	t.Helper()
	var evs []replay.Event
	var byCase [][]replay.Event
	require.NoError(t, simulate.Generate(simulate.Retail(), cases, 11, func(e simulate.Event) error {
		ev := replay.Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time, Channel: e.Channel, Segment: e.Persona, CSAT: int8(e.CSAT), CES: int8(e.CES), NPS: -1, Line: int64(len(evs) + 2)}
		if e.CSAT == 0 {
			ev.CSAT = -1
		}
		if e.CES == 0 {
			ev.CES = -1
		}
		if len(evs) > 0 && evs[len(evs)-1].Case == e.Case {
			byCase[len(byCase)-1] = append(byCase[len(byCase)-1], ev)
		} else {
			byCase = append(byCase, []replay.Event{ev})
		}
		evs = append(evs, ev)
		return nil
	}))
	return evs, byCase
}

func reportJSON(t *testing.T, j *journey.Journey, r *replay.Result) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, friction.Analyze(j, r, friction.Options{}).WriteJSON(&b))
	return b.String()
}

// Cases replayed one at a time on several replayers, each result sent
// through MarshalBinary and Decode and then merged, give the report
// of replaying the whole log at once.
func TestCaseReplayerEqualsReplay(t *testing.T) {
	j, err := journey.Load("../examples/retail/journey.yaml")
	require.NoError(t, err)
	evs, byCase := simulated(t, 3000)
	for _, opts := range []replay.Options{{}, {BySegment: true}} {
		whole, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), opts)
		require.NoError(t, err)
		want := reportJSON(t, j, whole)

		opts.LogEnd = whole.LogEnd
		parts := make([]*replay.CaseReplayer, 4)
		for i := range parts {
			parts[i], err = replay.NewCaseReplayer(j, opts)
			require.NoError(t, err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for _, c := range byCase {
			require.NoError(t, parts[rng.IntN(len(parts))].Replay(c[0].Case, c))
		}
		merged := &replay.Result{}
		for _, p := range parts {
			b, err := p.Result().MarshalBinary()
			require.NoError(t, err)
			r, err := replay.Decode(j, b)
			require.NoError(t, err)
			merged.Merge(r)
		}
		require.Equal(t, want, reportJSON(t, j, merged), "BySegment %v", opts.BySegment)
	}
}

func TestCaseReplayerRefuses(t *testing.T) {
	j, err := journey.Load("../examples/retail/journey.yaml")
	require.NoError(t, err)
	_, err = replay.NewCaseReplayer(j, replay.Options{})
	require.ErrorContains(t, err, "LogEnd")

	p, err := replay.NewCaseReplayer(j, replay.Options{LogEnd: time.Now()})
	require.NoError(t, err)
	err = p.Replay("a", []replay.Event{{Case: "a", Touchpoint: "home", Time: time.Now(), CSAT: 6, Line: 9}})
	var ee *replay.EventError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, int64(9), ee.Line)
	require.ErrorContains(t, p.Replay("a", []replay.Event{{Case: "b", Touchpoint: "home"}}), "another case")

	other, err := journey.Load("../examples/tv-installation/journey.yaml")
	require.NoError(t, err)
	b, err := p.Result().MarshalBinary()
	require.NoError(t, err)
	_, err = replay.Decode(other, b)
	require.ErrorContains(t, err, "another journey")
	_, err = replay.Decode(j, []byte("not a result"))
	require.ErrorContains(t, err, "decoding a result")
}

// Tallies of parts of a log, sent through MarshalBinary and merged, give
// what Discover gives on the whole log.
func TestDiscoveryTallyEqualsDiscover(t *testing.T) {
	evs, byCase := simulated(t, 3000)
	want, err := discover.Run(context.Background(), replay.SliceEvents(evs), discover.Options{})
	require.NoError(t, err)
	parts := make([]discover.Tally, 3)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range byCase {
		parts[rng.IntN(len(parts))].AddCase(c)
	}
	var merged discover.Tally
	for i := range parts {
		b, err := parts[i].MarshalBinary()
		require.NoError(t, err)
		var d discover.Tally
		require.NoError(t, d.UnmarshalBinary(b))
		merged.Merge(&d)
	}
	require.Equal(t, want, merged.Discovery())
	require.Error(t, new(discover.Tally).UnmarshalBinary([]byte{0xff}))
}

// FuzzDecodeResult feeds arbitrary bytes to Decode, seeded with a
// real encoding: it must never panic, and what it accepts must encode
// again.
func FuzzDecodeResult(f *testing.F) {
	j, err := journey.Load("../examples/retail/journey.yaml")
	if err != nil {
		f.Fatal(err)
	}
	evs := []replay.Event{
		{Case: "a", Touchpoint: "home", Time: time.Unix(100, 0), CSAT: 4, CES: -1, NPS: -1},
		{Case: "a", Touchpoint: "search", Time: time.Unix(200, 0), CSAT: -1, CES: 2, NPS: 9},
	}
	p, err := replay.NewCaseReplayer(j, replay.Options{LogEnd: time.Unix(300, 0), BySegment: true})
	if err != nil {
		f.Fatal(err)
	}
	if err := p.Replay("a", evs); err != nil {
		f.Fatal(err)
	}
	b, err := p.Result().MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := replay.Decode(j, data)
		if err != nil {
			return
		}
		if _, err := r.MarshalBinary(); err != nil {
			t.Fatalf("a decoded result does not encode: %v", err)
		}
		friction.Analyze(j, r, friction.Options{ExampleCases: 2}) // what it accepts, the report can read
		r.Merge(r)
	})
}

// FuzzDiscoveryTally feeds arbitrary bytes to UnmarshalBinary, seeded
// with a real encoding: it must never panic, and what it accepts must
// give a Discovery.
func FuzzDiscoveryTally(f *testing.F) {
	var d discover.Tally
	d.AddCase([]replay.Event{{Touchpoint: "a", Time: time.Unix(1, 0)}, {Touchpoint: "b", Time: time.Unix(5, 0)}, {Touchpoint: "a", Time: time.Unix(9, 0)}})
	b, err := d.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d discover.Tally
		if d.UnmarshalBinary(data) != nil {
			return
		}
		d.Discovery()
		d.AddCase([]replay.Event{{Touchpoint: "z", Time: time.Unix(1, 0)}})
	})
}
