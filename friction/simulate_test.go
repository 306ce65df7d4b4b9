package friction_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// analyzeSimulated simulates cases of behaviour b with the given seed,
// replays them through j and returns the friction report.
func analyzeSimulated(t *testing.T, j *journey.Journey, b simulate.Behaviour, cases int, seed uint64) *friction.Report {
	t.Helper()
	var evs []replay.Event
	require.NoError(t, simulate.Generate(b, cases, seed, func(e simulate.Event) error {
		evs = append(evs, replay.Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time, Channel: e.Channel, CSAT: answer(e.CSAT), CES: answer(e.CES), NPS: -1})
		return nil
	}))
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{KeepCases: true})
	require.NoError(t, err)
	return friction.Analyze(j, res, friction.Options{})
}

// answer maps the simulator's 0 (not answered) to replay's -1.
func answer(v int) int8 {
	if v == 0 {
		return -1
	}
	return int8(v)
}
