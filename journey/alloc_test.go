package journey

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"
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
	c := newCollector(func(string) int32 { return 0 })
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := c.collect(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	limit := int64(cases*perCase*HeldEventBytes + cases*HeldCaseBytes)
	t.Logf("held %d bytes: %.1f an event with its case's share", held, float64(held)/float64(cases*perCase))
	if held > limit {
		t.Fatalf("collecting %d events of %d cases holds %d bytes; HeldEventBytes and HeldCaseBytes promise at most %d", cases*perCase, cases, held, limit)
	}
	runtime.KeepAlive(c)
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
		c := newCollector(func(string) int32 { return 0 })
		if err := c.collect(b.Context(), src); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cases*perCase), "ns/event")
}
