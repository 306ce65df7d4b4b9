package replay_test

import (
	"context"
	"testing"
	"time"

	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An event no reader would give is an error, never a panic in a goroutine
// the caller cannot recover.
func TestReplayRefusesImpossibleScores(t *testing.T) {
	j := loadSmall(t)
	for _, mode := range []replay.Options{{}, {Grouped: true}, {Horizon: 1000}} {
		e := ev("c1", "home", 0)
		e.CSAT, e.Line = 6, 7
		_, err := replay.Run(context.Background(), j, replay.SliceEvents([]replay.Event{e}), mode)
		var ee *replay.EventError
		require.ErrorAs(t, err, &ee)
		assert.Contains(t, err.Error(), "event at line 7: a score out of range (CSAT 6 of 1-5")
	}
}

// Mergeable results merge with a zero Result either way round.
func TestMergeZeroResults(t *testing.T) {
	j := loadSmall(t)
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(handLog()), replay.Options{})
	require.NoError(t, err)
	var zero replay.Result
	zero.Merge(res)
	assert.Equal(t, res.Cases.Total, zero.Cases.Total)
	assert.Equal(t, res.Touchpoints, zero.Touchpoints)
	assert.Equal(t, len(res.Transitions), len(zero.Transitions))
	before := res.Cases.Total
	res.Merge(&replay.Result{})
	res.Merge(nil)
	assert.Equal(t, before, res.Cases.Total)
}

// A nil or zero Journey is an error that says to load one, never a panic.
func TestZeroJourneyIsAnError(t *testing.T) {
	for _, j := range []*journey.Journey{nil, {}} {
		_, err := replay.Run(t.Context(), j, replay.SliceEvents(nil), replay.Options{})
		require.ErrorContains(t, err, "journey.Load")
		_, err = replay.NewCaseReplayer(j, replay.Options{LogEnd: time.Unix(1, 0)})
		require.ErrorContains(t, err, "journey.Load")
		_, err = replay.Decode(j, nil)
		require.ErrorContains(t, err, "journey.Load")
		require.ErrorContains(t, (&replay.Result{}).Check(j), "journey.Load")
	}
}
