package journeymap_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// One journey, loaded once, serves many goroutines at once, as in a
// service; run with -race (CI does).
func TestJourneySharedBetweenGoroutines(t *testing.T) {
	j, err := journey.Load("examples/tv-installation/journey.yaml")
	require.NoError(t, err)
	reports := make([][]byte, 6)
	var wg sync.WaitGroup
	for i := range reports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := eventlog.Open("examples/tv-installation/events.csv", eventlog.Options{})
			if !assert.NoError(t, err) {
				return
			}
			defer r.Close()
			res, err := replay.Run(context.Background(), j, journeymap.NewEventSource(r, ""), replay.Options{KeepCases: true, Workers: 2})
			if !assert.NoError(t, err) {
				return
			}
			var buf bytes.Buffer
			assert.NoError(t, friction.Analyze(j, res, friction.Options{}).WriteJSON(&buf))
			_, _ = j.ShortestPath("showroom", "issue_resolved")
			_ = j.Loops()
			reports[i] = buf.Bytes()
		}()
	}
	wg.Wait()
	for _, r := range reports[1:] {
		assert.Equal(t, string(reports[0]), string(r))
	}
}

// Cancelling the context stops an analysis promptly, mid-read.
func TestAnalyzeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	opts := journeymap.Options{Progress: func(int64) {
		if calls++; calls == 2 {
			cancel()
		}
	}}
	start := time.Now()
	_, err := journeymap.Analyze(ctx, "examples/bank-onboarding/journey.yaml", "examples/bank-onboarding/events.csv", opts)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 5*time.Second)
}
