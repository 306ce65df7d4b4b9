package replay_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

var t0 = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

func ev(caseID, tp string, hours float64) replay.Event {
	return replay.Event{Case: caseID, Touchpoint: tp, Time: t0.Add(time.Duration(hours * float64(time.Hour))), CSAT: -1, CES: -1, NPS: -1}
}

// handLog is replayed through testdata/good/small.yaml; every expected
// number in TestReplayByHand was worked out on paper from it. Touchpoints:
// home(entry) search product(entry) | cart help paid(goal); designed:
// home->search, home->product, search->product, product->cart,
// cart->paid, cart->help, help->cart, help->help. case_timeout 2d.
func handLog() []replay.Event {
	return []replay.Event{
		// c1: the happy path. Handoffs: home->product (owner), cart->paid (channel).
		ev("c1", "home", 0), ev("c1", "pdp", 1), ev("c1", "cart", 2), ev("c1", "paid", 3),
		// c2: bounces between cart and help (designed both ways), drops at help.
		ev("c2", "product", 0), ev("c2", "cart", 1), ev("c2", "help", 2), ev("c2", "cart", 3), ev("c2", "help", 4),
		// c3: home -> cart skips product, then pays.
		ev("c3", "home", 0), ev("c3", "cart", 1), ev("c3", "paid", 2),
		// c4: starts at search (skipping the entry home), repeats it, an
		// unknown event, product; drops there. Interleaved with c5 on purpose.
		ev("c4", "search", 0), ev("c4", "search", 0), ev("c4", "unknown_event", 1),
		// c5: starts at help, an hour before the log ends: in progress.
		ev("c5", "help", 99),
		ev("c4", "product", 5),
		// c6: nothing it did is on the map.
		ev("c6", "ghost", 100),
		// c7: starts at the goal, then goes back to home: off-journey; drops.
		ev("c7", "paid", 10), ev("c7", "home", 11),
	}
}

func replayHand(t *testing.T, opts replay.Options) *replay.Result {
	t.Helper()
	j := loadSmall(t)
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(handLog()), opts)
	require.NoError(t, err)
	return res
}

func TestReplayByHand(t *testing.T) {
	j := loadSmall(t)
	res := replayHand(t, replay.Options{KeepCases: true})

	assert.Equal(t, int64(20), res.Events.Read)
	assert.Equal(t, int64(18), res.Events.Replayed)
	assert.Equal(t, int64(2), res.Events.Unmatched)
	assert.Equal(t, int64(1), res.Events.Duplicates, "c4's two searches at hour 0")
	assert.Equal(t, map[string]int64{"unknown_event": 1, "ghost": 1}, res.UnmatchedNames)
	assert.Equal(t, int64(6), res.Cases.Total)
	assert.Equal(t, int64(2), res.Cases.Completed)
	assert.Equal(t, int64(3), res.Cases.Dropped)
	assert.Equal(t, int64(1), res.Cases.InProgress)
	assert.Equal(t, int64(1), res.Cases.UnmatchedOnly)
	assert.Equal(t, replay.Counts{Steps: 18, Conforming: 12, Repeats: 1, Deviations: 4, OffJourney: 1, Skipped: 6, Handoffs: 9, ChannelSwitches: 6}, res.Counts)
	assert.InDelta(t, 12.0/18, res.Fitness(), 1e-12)
	assert.Equal(t, t0, res.LogStart)
	assert.Equal(t, t0.Add(100*time.Hour), res.LogEnd)

	// Per case.
	type caseWant struct {
		outcome replay.Outcome
		path    []string
		counts  replay.Counts
		dur     time.Duration
	}
	wantCases := map[string]caseWant{
		"c1": {replay.Completed, []string{"home", "product", "cart", "paid"}, replay.Counts{Steps: 4, Conforming: 4, Handoffs: 2, ChannelSwitches: 1}, 3 * time.Hour},
		"c2": {replay.Dropped, []string{"product", "cart", "help", "cart", "help"}, replay.Counts{Steps: 5, Conforming: 5, Handoffs: 3, ChannelSwitches: 3}, 4 * time.Hour},
		"c3": {replay.Completed, []string{"home", "cart", "paid"}, replay.Counts{Steps: 3, Conforming: 2, Deviations: 1, Skipped: 1, Handoffs: 2, ChannelSwitches: 1}, 2 * time.Hour},
		"c4": {replay.Dropped, []string{"search", "search", "product"}, replay.Counts{Steps: 3, Conforming: 1, Repeats: 1, Deviations: 1, Skipped: 1, Handoffs: 1}, 5 * time.Hour},
		"c5": {replay.InProgress, []string{"help"}, replay.Counts{Steps: 1, Deviations: 1, Skipped: 2}, 0},
		"c7": {replay.Dropped, []string{"paid", "home"}, replay.Counts{Steps: 2, Deviations: 1, OffJourney: 1, Skipped: 2, Handoffs: 1, ChannelSwitches: 1}, time.Hour},
	}
	require.Len(t, res.CaseList, len(wantCases))
	var order []string
	for _, c := range res.CaseList {
		order = append(order, c.ID)
		w := wantCases[c.ID]
		var path []string
		for _, i := range c.Path {
			path = append(path, j.At(int(i)).ID)
		}
		assert.Equal(t, w.outcome, c.Outcome, c.ID)
		assert.Equal(t, w.path, path, c.ID)
		assert.Equal(t, w.counts, c.Counts, c.ID)
		assert.Equal(t, w.dur, c.Duration(), c.ID)
	}
	assert.Equal(t, []string{"c1", "c2", "c3", "c4", "c5", "c7"}, order, "cases in order of first appearance")
	assert.Equal(t, int64(1), res.CaseList[3].Unmatched, "c4's unknown event")

	// Per touchpoint: visits, cases, entries, exits, completed, dropped,
	// in progress, repeat cases, extra visits, skipped cases, skipped completed.
	tp := func(id string) replay.TouchpointStats { return res.Touchpoints[j.Index(id)] }
	wantTP := map[string][11]int64{
		"home":    {3, 3, 2, 1, 2, 1, 0, 0, 0, 1, 0},
		"search":  {2, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0},
		"product": {3, 3, 1, 1, 1, 1, 0, 0, 0, 3, 1},
		"cart":    {4, 3, 0, 0, 2, 0, 0, 1, 1, 2, 0},
		"help":    {3, 2, 1, 2, 0, 1, 1, 1, 1, 0, 0},
		"paid":    {3, 3, 1, 2, 2, 0, 0, 0, 0, 0, 0},
	}
	for id, w := range wantTP {
		s := tp(id)
		got := [11]int64{s.Visits, s.Cases, s.Entries, s.Exits, s.Completed, s.Dropped, s.InProgress, s.RepeatCases, s.ExtraVisits, s.SkippedCases, s.SkippedCompleted}
		assert.Equal(t, w, got, id)
	}
	assert.Equal(t, int64(1), tp("search").ReworkCases, "c4 came back to search along no designed step")
	assert.Zero(t, tp("cart").ReworkCases, "c2's second cart visit was designed (help -> cart)")
	assert.Zero(t, tp("help").ReworkCases)
	assert.Equal(t, map[int32]int64{int32(j.Index("paid")): 1}, tp("home").DropPrev)
	assert.Equal(t, map[int32]int64{int32(j.Index("search")): 1}, tp("product").DropPrev)
	assert.Equal(t, map[int32]int64{int32(j.Index("cart")): 1}, tp("help").DropPrev)
	homeDwell := tp("home").Dwell
	assert.Equal(t, int64(2), homeDwell.Count())
	assert.Equal(t, time.Hour, homeDwell.Median())
	productDrop := tp("product").TimeToDrop
	assert.Equal(t, 5*time.Hour, productDrop.Median())

	// Per observed transition: count, cases, handoffs, switches, drop after,
	// ping-pong, owner ping-pong, designed.
	type trWant struct {
		n        [7]int64
		designed bool
	}
	wantTr := map[[2]string]trWant{
		{"home", "product"}: {[7]int64{1, 1, 1, 0, 0, 0, 0}, true},
		{"product", "cart"}: {[7]int64{2, 2, 0, 0, 0, 0, 0}, true},
		{"cart", "paid"}:    {[7]int64{2, 2, 2, 2, 0, 0, 0}, true},
		// c2 bounces between cart and help, but along the designed loop: no ping-pong.
		{"cart", "help"}:      {[7]int64{2, 1, 2, 2, 1, 0, 0}, true},
		{"help", "cart"}:      {[7]int64{1, 1, 1, 1, 0, 0, 0}, true},
		{"home", "cart"}:      {[7]int64{1, 1, 1, 0, 0, 0, 0}, false},
		{"search", "search"}:  {[7]int64{1, 1, 0, 0, 0, 0, 0}, false},
		{"search", "product"}: {[7]int64{1, 1, 1, 0, 1, 0, 0}, true},
		{"paid", "home"}:      {[7]int64{1, 1, 1, 1, 1, 0, 0}, false},
	}
	require.Len(t, res.Transitions, len(wantTr))
	for k, w := range wantTr {
		s := res.Transitions[[2]int32{int32(j.Index(k[0])), int32(j.Index(k[1]))}]
		require.NotNil(t, s, k)
		assert.Equal(t, w.n, [7]int64{s.Count, s.Cases, s.Handoffs, s.ChannelSwitches, s.DropAfter, s.PingPongCases, s.OwnerPingPongCases}, k)
		assert.Equal(t, w.designed, s.Designed, k)
	}

	// Per stage: cases, completed, dropped, in progress, steps, contacts.
	// A step is booked to the stage the customer is living (the furthest
	// reached): c7 starts at paid, in buy, so its later home is buy's
	// effort and its drop buy's, and c7 never lived discover.
	discover, buy := res.Stages[0], res.Stages[1]
	assert.Equal(t, [6]int64{4, 2, 1, 0, 7, 6}, [6]int64{discover.Cases, discover.Completed, discover.Dropped, discover.InProgress, discover.Steps, discover.Contacts})
	assert.Equal(t, [6]int64{5, 2, 2, 1, 11, 9}, [6]int64{buy.Cases, buy.Completed, buy.Dropped, buy.InProgress, buy.Steps, buy.Contacts})
}

// The aggregates kept of whole cases (so that friction needs no case
// list), worked out on paper from handLog's paths: c1 home product | cart
// paid; c2 product | cart help cart help; c3 home | cart paid; c4 search
// search product; c5 | help; c7 | paid, then home.
func TestReplayCaseAggregatesByHand(t *testing.T) {
	j := loadSmall(t)
	res := replayHand(t, replay.Options{})
	met := func(a, b string) int64 { return res.MetBoth(j.Index(a), j.Index(b)) }
	assert.Equal(t, int64(1), met("home", "product"), "c1")
	assert.Equal(t, int64(1), met("product", "home"), "either order")
	assert.Equal(t, int64(1), met("search", "product"), "c4")
	assert.Zero(t, met("home", "search"))
	assert.Equal(t, int64(2), met("cart", "paid"), "c1 and c3")
	assert.Equal(t, int64(1), met("cart", "help"), "c2")
	assert.Zero(t, met("help", "paid"))
	assert.Zero(t, met("home", "cart"), "different stages are not counted")
	assert.Zero(t, met("home", "home"))

	// The one consistency pair, [buy, discover], is stored as [discover,
	// buy]: c1, c2 and c3 lived both stages, all on the web in discover
	// (c7 started in buy, so its home visit is buy's).
	require.Equal(t, [][2]string{{"discover", "buy"}}, j.Consistency())
	both, byMain := res.ChannelConsistency(0)
	assert.Equal(t, int64(3), both)
	assert.Equal(t, map[string]int64{"web": 3}, byMain)
	both, byMain = res.ChannelConsistency(1)
	assert.Zero(t, both)
	assert.Empty(t, byMain)

	// Time to resolution: c1 (3h) and c3 (2h) completed.
	assert.Equal(t, int64(2), res.Resolution.Count())
	assert.Equal(t, 2*time.Hour+30*time.Minute, res.Resolution.Mean())
}

// The main channel of a stage is the designed channel met most often;
// ties go to the channel first by name.
func TestReplayMainChannel(t *testing.T) {
	j, err := journey.Parse(strings.NewReader(`
id: tie
stages: [{id: s1}, {id: s2}]
touchpoints:
  - {id: a, stage: s1, channel: web, entry: true}
  - {id: b, stage: s1, channel: phone}
  - {id: c, stage: s2, channel: store, goal: true}
transitions:
  - {from: a, to: [b, c]}
  - {from: b, to: c}
consistency: [[s1, s2]]
`), "tie.yaml")
	require.NoError(t, err)
	evs := []replay.Event{
		ev("x", "a", 0), ev("x", "b", 1), ev("x", "c", 2), // web 1, phone 1: phone
		ev("y", "a", 0), ev("y", "a", 1), ev("y", "b", 2), ev("y", "c", 3), // web 2: web
		ev("z", "b", 0), ev("z", "b", 1), ev("z", "a", 2), ev("z", "c", 3), // phone 2: phone
		ev("w", "a", 0), ev("w", "b", 1), // never reaches s2: not counted
	}
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{})
	require.NoError(t, err)
	both, byMain := res.ChannelConsistency(0)
	assert.Equal(t, int64(3), both)
	assert.Equal(t, map[string]int64{"phone": 2, "web": 1}, byMain)
	assert.Equal(t, int64(4), res.MetBoth(0, 1), "x, y, z and w met a and b")
}

// The accounting invariants hold on any log.
func TestReplayInvariants(t *testing.T) {
	j := loadSmall(t)
	for seed := range uint64(20) {
		evs := randomLog(seed, 300)
		res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{})
		require.NoError(t, err)
		assert.Equal(t, res.Events.Read, res.Events.Replayed+res.Events.Unmatched+res.Events.Malformed)
		assert.Equal(t, res.Cases.Total, res.Cases.Completed+res.Cases.Dropped+res.Cases.InProgress)
		assert.Equal(t, res.Events.Replayed, res.Counts.Steps)
		assert.Equal(t, res.Counts.Steps, res.Counts.Conforming+res.Counts.Repeats+res.Counts.Deviations+res.Counts.OffJourney)
		var transitions, visits, exits int64
		for _, tr := range res.Transitions {
			transitions += tr.Count
		}
		for _, s := range res.Touchpoints {
			visits += s.Visits
			exits += s.Exits
		}
		assert.Equal(t, res.Counts.Steps-res.Cases.Total, transitions, "every step but a case's first is a transition")
		assert.Equal(t, res.Events.Replayed, visits)
		assert.Equal(t, res.Cases.Total, exits)
	}
}

// randomLog makes n events over a few dozen cases, with unknown names,
// ties and shuffled order.
func randomLog(seed uint64, n int) []replay.Event {
	rng := rand.New(rand.NewPCG(seed, 7))
	names := []string{"home", "search", "product", "pdp", "cart", "help", "paid", "landing", "nope"}
	evs := make([]replay.Event, n)
	for i := range evs {
		e := ev(fmt.Sprintf("c%d", rng.IntN(n/8+1)), names[rng.IntN(len(names))], float64(rng.IntN(200)))
		if rng.IntN(4) == 0 {
			e.CSAT = int8(1 + rng.IntN(5))
			e.Channel = []string{"web", "phone", "store"}[rng.IntN(3)]
		}
		evs[i] = e
	}
	return evs
}

// Replaying shards of a log (split by case) and merging gives exactly the
// single-pass result, whatever the split and however many workers.
func TestReplayShardsMerge(t *testing.T) {
	j := loadSmall(t)
	ctx := context.Background()
	for seed := range uint64(10) {
		evs := randomLog(seed, 2000)
		whole, err := replay.Run(ctx, j, replay.SliceEvents(evs), replay.Options{Workers: 1})
		require.NoError(t, err)
		var a, b []replay.Event
		for _, e := range evs {
			if len(e.Case)%2 == 0 || e.Case[len(e.Case)-1]%3 == 0 {
				a = append(a, e)
			} else {
				b = append(b, e)
			}
		}
		ra, err := replay.Run(ctx, j, replay.SliceEvents(a), replay.Options{Workers: 3, LogEnd: whole.LogEnd})
		require.NoError(t, err)
		rb, err := replay.Run(ctx, j, replay.SliceEvents(b), replay.Options{Workers: 2, LogEnd: whole.LogEnd})
		require.NoError(t, err)
		ra.Merge(rb)
		ra.Channels, whole.Channels = nil, nil // channel numbering is per shard
		assert.Equal(t, replay.Canonical(whole), replay.Canonical(ra), "seed %d", seed)

		par, err := replay.Run(ctx, j, replay.SliceEvents(evs), replay.Options{Workers: 8})
		require.NoError(t, err)
		par.Channels = nil
		assert.Equal(t, replay.Canonical(whole), replay.Canonical(par), "seed %d, 8 workers", seed)
	}
}

func TestReplayCancelled(t *testing.T) {
	j := loadSmall(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := replay.Run(ctx, j, replay.SliceEvents(randomLog(1, 10000)), replay.Options{})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestDurations(t *testing.T) {
	var d replay.Durations
	assert.Equal(t, time.Duration(0), d.Median())
	for _, h := range []int{4, 1, 3, 2} {
		d.Add(time.Duration(h) * time.Hour)
	}
	assert.Equal(t, 150*time.Minute, d.Median(), "even count: the mean of the middle two")
	assert.Equal(t, 150*time.Minute, d.Mean())
	assert.Equal(t, time.Hour, d.Min())
	assert.Equal(t, 4*time.Hour, d.Max())

	// Past the exact limit, quantiles stay within 1%, and merging any
	// split gives the same answers.
	var all, x, y replay.Durations
	for i := 1; i <= 5000; i++ {
		v := time.Duration(i) * time.Minute
		all.Add(v)
		if i%3 == 0 {
			x.Add(v)
		} else {
			y.Add(v)
		}
	}
	x.Merge(&y)
	assert.InEpsilon(t, float64(2500*time.Minute), float64(all.Median()), 0.01)
	assert.Equal(t, all.Median(), x.Median())
	assert.Equal(t, all.Quantile(0.9), x.Quantile(0.9))
	assert.Equal(t, all.Mean(), x.Mean())
	assert.Equal(t, all.Count(), x.Count())
}

// Segments partition the cases, and their results add up to the total.
func TestReplayBySegment(t *testing.T) {
	j := loadSmall(t)
	evs := randomLog(3, 3000)
	for i := range evs {
		evs[i].Segment = []string{"", "gold", "silver"}[len(evs[i].Case)%3]
	}
	plain, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{})
	require.NoError(t, err)
	seg, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{BySegment: true, Workers: 2})
	require.NoError(t, err)
	require.Len(t, seg.Segments, 3)
	var total int64
	for _, s := range seg.Segments {
		total += s.Cases.Total
		assert.Positive(t, s.Cases.Total)
	}
	assert.Equal(t, plain.Cases.Total, total)
	segments := seg.Segments
	seg.Segments, plain.Segments = map[string]*replay.Result{}, map[string]*replay.Result{}
	seg.Channels, plain.Channels = nil, nil
	assert.Equal(t, replay.Canonical(plain), replay.Canonical(seg), "the segments add up to the whole")
	assert.NotEqual(t, segments["gold"].Cases, segments["silver"].Cases)
}
