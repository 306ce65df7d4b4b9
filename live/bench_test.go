package live_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/live"
)

// BenchmarkReplayerAdd: events a second into a live replay, in time
// order, and the memory held: bytes per event held and per case in flight
// (the heap after a GC, less the replayer's before).
func BenchmarkReplayerAdd(b *testing.B) {
	sc := simulate.Scenarios()[0]
	j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
	require.NoError(b, err)
	evs := traffic(b, sc.Healthy(), 20_000, 1)
	ctx := context.Background()
	var held, open, mid, end float64
	for b.Loop() {
		r, err := live.New(j, live.Options{Lateness: time.Hour})
		require.NoError(b, err)
		var base, m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&base)
		for lo := 0; lo < len(evs); lo += 256 {
			require.NoError(b, r.AddBatch(ctx, evs[lo:min(lo+256, len(evs))]))
			if lo/256 == len(evs)/512 { // half way: cases in flight
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&m)
				st := r.Stats()
				held, open, mid = float64(st.Held), float64(st.Open), float64(m.HeapAlloc)-float64(base.HeapAlloc)
				b.StartTimer()
			}
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&m)
		end = float64(m.HeapAlloc) - float64(base.HeapAlloc) // the aggregates, a few cases left
		runtime.KeepAlive(r)
		b.StartTimer()
	}
	b.ReportMetric(float64(len(evs))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(open, "cases-in-flight")
	b.ReportMetric(held, "events-held")
	b.ReportMetric(mid, "B-half-way")
	b.ReportMetric(end, "B-aggregates")
	b.ReportMetric((mid-end)/held, "B/event-held")
}
