package journey_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/journey"
)

// An event no reader would give is an error, never a panic in a goroutine
// the caller cannot recover.
func TestReplayRefusesImpossibleScores(t *testing.T) {
	j := loadSmall(t)
	for _, mode := range []journey.ReplayOptions{{}, {Grouped: true}, {Horizon: 1000}} {
		e := ev("c1", "home", 0)
		e.CSAT, e.Line = 6, 7
		_, err := j.Replay(context.Background(), journey.SliceEvents([]journey.Event{e}), mode)
		var ee *journey.EventError
		require.ErrorAs(t, err, &ee)
		assert.Contains(t, err.Error(), "event at line 7: a score out of range (CSAT 6 of 1-5")
	}
}

// Mergeable results merge with a zero Result either way round.
func TestMergeZeroResults(t *testing.T) {
	j := loadSmall(t)
	res, err := j.Replay(context.Background(), journey.SliceEvents(handLog()), journey.ReplayOptions{})
	require.NoError(t, err)
	var zero journey.Result
	zero.Merge(res)
	assert.Equal(t, res.Cases.Total, zero.Cases.Total)
	assert.Equal(t, res.Touchpoints, zero.Touchpoints)
	assert.Equal(t, len(res.Transitions), len(zero.Transitions))
	before := res.Cases.Total
	res.Merge(&journey.Result{})
	res.Merge(nil)
	assert.Equal(t, before, res.Cases.Total)
}
