package replay

import (
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/journeymap/journeymap/internal/arena"
	"github.com/journeymap/journeymap/internal/design"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The per-event cost of replay, walking a case through the journey, is
// allocation-free once the walker's scratch state and the result's maps
// have grown: replaying a 9-event case with rework, a deviation and
// handoffs, again and again, allocates nothing.
func TestWalkAllocationFree(t *testing.T) {
	j, err := journey.Load("../journey/testdata/good/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector(func(name string) (int32, bool) { return int32(j.LookupIndex(name)), false })
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var evs []Event
	for i, tp := range strings.Fields("home product cart help cart help help home cart paid") {
		evs = append(evs, Event{Case: "c", Touchpoint: tp, Time: t0.Add(time.Duration(i) * time.Hour), CSAT: int8(1 + i%5), CES: -1, NPS: -1})
	}
	if err := c.collect(t.Context(), &eventBlocks{src: SliceEvents(evs), full: true}); err != nil {
		t.Fatal(err)
	}
	laid, _ := c.lay(0, len(c.cases), nil, nil)
	tpChan := make([]int16, j.Len())
	for i := range tpChan {
		tpChan[i] = c.channel(j.At(i).Channel)
	}
	r := newResult(design.Of(j), c)
	w := newWalker(design.Of(j), r, c, tpChan, Options{CaseTimeout: journey.DefaultCaseTimeout})
	buf := c.caseBuf(0, laid, false)
	cb := &buf
	w.walk(cb, nil) // warm up: scratch state and maps grow once
	allocs := testing.AllocsPerRun(200, func() { w.walk(cb, nil) })
	if allocs != 0 {
		t.Fatalf("walking a case allocates %.1f times; want 0", allocs)
	}
	if r.Cases.Total != 202 || r.Counts.Steps != 202*int64(len(evs)) {
		t.Fatalf("the walks were not counted: %d cases, %d steps", r.Cases.Total, r.Counts.Steps)
	}
}

// What replay holds, as documented in HeldEventBytes and HeldCaseBytes,
// is what the runtime measures: collecting 2^19 events of 2^15 cases in
// time order (ids of 8 bytes) grows the live heap by no more than the
// documented bytes, and an event's compact form is exactly its share.
func TestHeldBytesAsDocumented(t *testing.T) {
	if got := unsafe.Sizeof(cev{}); got != HeldEventBytes {
		t.Fatalf("an event is held in %d bytes; HeldEventBytes says %d", got, HeldEventBytes)
	}
	const cases, perCase = 1 << 15, 16
	ids := make([]string, cases)
	for i := range ids {
		ids[i] = fmt.Sprintf("c%07d", i)
	}
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var before, after runtime.MemStats
	k := 0
	src := eventsFunc(func() (Event, error) {
		if k == cases*perCase {
			// measured while everything is held, before it is laid out by case
			runtime.GC()
			runtime.ReadMemStats(&after)
			return Event{}, io.EOF
		}
		// time order: every case is in flight until the end
		ev := Event{Case: ids[k%cases], Touchpoint: "home", Time: t0.Add(time.Duration(k) * time.Second), CSAT: -1, CES: -1, NPS: -1}
		k++
		return ev, nil
	})
	c := newCollector(func(string) (int32, bool) { return 0, false })
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := c.collect(t.Context(), &eventBlocks{src: src, full: true}); err != nil {
		t.Fatal(err)
	}
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	// plus the block being read: at most eventBlock events of about 64
	// bytes (a case id of its own each, here, as every event is of
	// another case than the one before)
	limit := int64(cases*perCase*HeldEventBytes+cases*HeldCaseBytes) + eventBlock*64
	t.Logf("held %d bytes: %.1f an event with its case's share", held, float64(held)/float64(cases*perCase))
	if held > limit {
		t.Fatalf("collecting %d events of %d cases holds %d bytes; HeldEventBytes and HeldCaseBytes promise at most %d", cases*perCase, cases, held, limit)
	}
	runtime.KeepAlive(c)
}

// Laying a collected log out by case and walking it allocates a batch
// (an eighth of the events, at least layoutBatch), not a second copy of
// every event.
func TestLayoutAllocatesABatch(t *testing.T) {
	defer func(b, p int) { layoutBatch, layoutPasses = b, p }(layoutBatch, layoutPasses)
	layoutBatch = 1 << 12
	j, err := journey.Load("../journey/testdata/good/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const cases, perCase = 1 << 14, 16
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	evs := make([]Event, 0, cases*perCase)
	for k := range cases * perCase {
		evs = append(evs, Event{Case: fmt.Sprintf("c%06d", k%cases), Touchpoint: "home", Time: t0.Add(time.Duration(k) * time.Second), CSAT: -1, CES: -1, NPS: -1})
	}
	c := newCollector(func(name string) (int32, bool) { return resolveName(design.Of(j), name) })
	tpChan := designedChannels(design.Of(j), c)
	if err := c.collect(t.Context(), &eventBlocks{src: SliceEvents(evs), full: true}); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := replayCollected(t.Context(), design.Of(j), c, tpChan, Options{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	all := int64(cases * perCase * HeldEventBytes)
	got := int64(after.TotalAlloc - before.TotalAlloc)
	t.Logf("allocated %d bytes laying out and walking %d bytes of events", got, all)
	if got > all/4 {
		t.Fatalf("laying out %d bytes of events allocated %d: more than a batch", all, got)
	}
}

type eventsFunc func() (Event, error)

func (f eventsFunc) Next() (Event, error) { return f() }

// BenchmarkCollectTimeOrder groups 2^23 events of 2^20 cases arriving in
// time order (every case in flight until the end, each event's case found
// by its id): the critical path of analyze on a log in time order.
func BenchmarkCollectTimeOrder(b *testing.B) {
	const cases, perCase = 1 << 20, 8
	ids := make([]string, cases)
	for i := range ids {
		ids[i] = fmt.Sprintf("C%08d", i*7919%cases)
	}
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		k := 0
		src := eventsFunc(func() (Event, error) {
			if k == cases*perCase {
				return Event{}, io.EOF
			}
			ev := Event{Case: ids[k%cases], Touchpoint: "home", Time: t0.Add(time.Duration(k) * time.Second), CSAT: -1, CES: -1, NPS: -1}
			k++
			return ev, nil
		})
		c := newCollector(func(string) (int32, bool) { return 0, false })
		if err := c.collect(b.Context(), &eventBlocks{src: src, full: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cases*perCase), "ns/event")
}

// figures is what a result says, in a form that does not depend on the
// order its cases were walked in.
func figures(r *Result) string {
	d := func(x *Durations) string {
		return fmt.Sprintf("%d %v %v %v %v", x.Count(), x.Mean(), x.Median(), x.Min(), x.Max())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%+v %+v %+v %v\n", r.Events, r.Cases, r.Counts, d(&r.Durations))
	for i := range r.Touchpoints {
		t := r.Touchpoints[i]
		fmt.Fprintf(&b, "tp %d %v %v %v %+v\n", i, d(&t.Dwell), d(&t.TimeToDrop), t.DropPrev, t.Scores)
		t.Dwell, t.TimeToDrop, t.DropPrev = Durations{}, Durations{}, nil
		fmt.Fprintf(&b, "%+v\n", t)
	}
	for _, k := range slices.SortedFunc(maps.Keys(r.Transitions), cmpPair) {
		t := *r.Transitions[k]
		fmt.Fprintf(&b, "tr %v %v %v\n", k, d(&t.Wait), d(&t.DropWait))
		t.Wait, t.DropWait = Durations{}, Durations{}
		fmt.Fprintf(&b, "%+v\n", t)
	}
	for i := range r.Stages {
		s := r.Stages[i]
		fmt.Fprintf(&b, "st %d %v\n", i, d(&s.Elapsed))
		s.Elapsed = Durations{}
		fmt.Fprintf(&b, "%+v\n", s)
	}
	fmt.Fprintf(&b, "%v %v\n", r.together, r.consistency)
	return b.String()
}

// Laying out in batches of any size, down to one event, gives the
// result of laying out every case at once.
func TestLayoutBatchesAgree(t *testing.T) {
	j, err := journey.Load("../examples/retail/journey.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var evs []Event
	err = simulate.Generate(simulate.Retail(), 12000, 5, func(e simulate.Event) error {
		evs = append(evs, Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time, Channel: e.Channel, CSAT: -1, CES: -1, NPS: -1})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(evs, func(a, b Event) int { return a.Time.Compare(b.Time) }) // time order: cases interleave
	if len(evs) < 2*arena.BlockLen {
		t.Fatalf("%d events fill fewer than 2 arena blocks: batches would skip none", len(evs))
	}
	want, err := Run(t.Context(), j, SliceEvents(evs), Options{KeepCases: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func(b, p, l int) { layoutBatch, layoutPasses, layParallel = b, p, l }(layoutBatch, layoutPasses, layParallel)
	layoutPasses = len(evs)
	batches := []int{1, 50, 5000, 1 << 20}
	if testing.Short() { // under the race detector, a batch of one is 12,000 passes
		batches = batches[1:]
	}
	for _, batch := range batches {
		layoutBatch = batch
		layParallel = batch / 2 // laid out on every core, batches of one excepted
		got, err := Run(t.Context(), j, SliceEvents(evs), Options{KeepCases: true})
		if err != nil {
			t.Fatal(err)
		}
		if figures(got) != figures(want) {
			t.Fatalf("batches of %d events: the result differs", batch)
		}
		if !slices.EqualFunc(got.CaseList, want.CaseList, func(a, b Case) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
			t.Fatalf("batches of %d events: the case list differs", batch)
		}
	}
}

// A case's unmatched events are counted past what its 4-byte record
// holds.
func TestUnmatchedPastTheCap(t *testing.T) {
	defer func(old uint32) { unmatchedCap = old }(unmatchedCap)
	unmatchedCap = 3
	j, err := journey.Load("../journey/testdata/good/small.yaml")
	require.NoError(t, err)
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var evs []Event
	for i := range 10 {
		evs = append(evs, Event{Case: "c1", Touchpoint: "nowhere", Time: t0.Add(time.Duration(i) * time.Minute), CSAT: -1, CES: -1, NPS: -1})
	}
	evs = append(evs, Event{Case: "c2", Touchpoint: "nowhere", Time: t0, CSAT: -1, CES: -1, NPS: -1},
		Event{Case: "c1", Touchpoint: "home", Time: t0, CSAT: -1, CES: -1, NPS: -1},
		Event{Case: "c2", Touchpoint: "home", Time: t0, CSAT: -1, CES: -1, NPS: -1})
	res, err := Run(t.Context(), j, SliceEvents(evs), Options{KeepCases: true})
	require.NoError(t, err)
	require.Len(t, res.CaseList, 2)
	assert.EqualValues(t, 10, res.CaseList[0].Unmatched)
	assert.EqualValues(t, 1, res.CaseList[1].Unmatched)
	assert.EqualValues(t, 11, res.Events.Unmatched)
}
