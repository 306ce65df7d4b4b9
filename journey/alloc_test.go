package journey

import (
	"strings"
	"testing"
	"time"
)

// The per-event cost of replay, walking a case through the journey, is
// allocation-free once the walker's scratch state and the result's maps
// have grown: replaying a 9-event case with rework, a deviation and
// handoffs, again and again, allocates nothing.
func TestWalkAllocationFree(t *testing.T) {
	j, err := Load("testdata/good/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector(func(name string) int32 { return int32(j.LookupIndex(name)) })
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var evs []Event
	for i, tp := range strings.Fields("home product cart help cart help help home cart paid") {
		evs = append(evs, Event{Case: "c", Touchpoint: tp, Time: t0.Add(time.Duration(i) * time.Hour), CSAT: int8(1 + i%5), CES: -1, NPS: -1})
	}
	if err := c.collect(t.Context(), SliceEvents(evs)); err != nil {
		t.Fatal(err)
	}
	tpChan := make([]int16, j.Len())
	for i := range tpChan {
		tpChan[i] = c.channel(j.At(i).Channel)
	}
	r := j.newResult(c)
	w := j.newWalker(r, c, tpChan, DefaultCaseTimeout)
	cb := &c.cases[0]
	w.walk(cb, nil) // warm up: scratch state and maps grow once
	allocs := testing.AllocsPerRun(200, func() { w.walk(cb, nil) })
	if allocs != 0 {
		t.Fatalf("walking a case allocates %.1f times; want 0", allocs)
	}
	if r.Cases.Total != 202 || r.Counts.Steps != 202*int64(len(evs)) {
		t.Fatalf("the walks were not counted: %d cases, %d steps", r.Cases.Total, r.Counts.Steps)
	}
}
