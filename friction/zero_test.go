package friction_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// A zero Result, or one replayed through another journey, is an error,
// not a panic.
func TestAnalyzeRefusesAResultOfAnotherJourney(t *testing.T) {
	j, err := journey.Load("../examples/retail/journey.yaml")
	require.NoError(t, err)
	other, err := journey.Load("../examples/tv-installation/journey.yaml")
	require.NoError(t, err)
	res, err := replay.Run(context.Background(), other, replay.SliceEvents(nil), replay.Options{})
	require.NoError(t, err)
	for name, r := range map[string]*replay.Result{"zero": {}, "another journey's": res, "nil": nil} {
		var rep *friction.Report
		assert.NotPanics(t, func() { rep, err = friction.AnalyzeContext(context.Background(), j, r, friction.Options{}) }, name)
		assert.Error(t, err, name)
		assert.Nil(t, rep, name)
		assert.NotPanics(t, func() { friction.Analyze(j, r, friction.Options{}) }, name)
	}
}
