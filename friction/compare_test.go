package friction_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
)

// Fix the exchange (the store desk finishes the job instead of sending
// customers to the phone) and the comparison says the bounce is gone.
func TestCompareFixedExchange(t *testing.T) {
	j, err := journey.Load("../examples/retail/journey.yaml")
	require.NoError(t, err)
	before := analyzeSimulated(t, j, simulate.Retail(), 4000, 1)
	fixed := simulate.Retail()
	st := fixed.Steps["store_exchange"]
	st.Next = map[string]float64{"exchange_shipped": 0.65, "refund_issued": 0.3, "contact_centre": 0.05}
	st.CSAT, st.CES = 4.2, 2.5
	fixed.Steps["store_exchange"] = st
	after := analyzeSimulated(t, j, fixed, 4000, 1)

	c := friction.Compare(before, after)
	var gone []string
	for _, f := range c.Disappeared {
		gone = append(gone, f.Key())
	}
	// One bounce between customer service and the store desk, named by its
	// busiest pair; the store desk to contact centre leg is in its evidence.
	assert.Contains(t, gone, "inconsistent_handoff/ping_pong/exchange_request/store_exchange")
	assert.Empty(t, c.Appeared, "fixing the exchange creates no new friction")
	assert.False(t, c.Regressions())
	assert.Less(t, c.After.Findings, c.Before.Findings)
	assert.Greater(t, c.After.CompletionRate, c.Before.CompletionRate)

	// The other way round, everything that disappeared has appeared.
	back := friction.Compare(after, before)
	assert.Len(t, back.Appeared, len(c.Disappeared))
	assert.True(t, back.Regressions())

	var buf bytes.Buffer
	require.NoError(t, c.WriteText(&buf))
	assert.Contains(t, buf.String(), "Disappeared (")
	assert.Contains(t, buf.String(), "- 125 of 241 customers handed from") // the bounce's summary, before
	assert.Contains(t, buf.String(), "corrected together by Holm's method")
}

// halves analyzes two halves of a simulated log: n cases each, drawn
// independently over the same months, the second with after's behaviour.
func halves(t *testing.T, j *journey.Journey, before, after simulate.Behaviour, n int, seed uint64) (*friction.Report, *friction.Report) {
	t.Helper()
	return analyzeSimulated(t, j, before, n, seed), analyzeSimulated(t, j, after, n, seed+1000)
}

// Two halves of a log whose customers behave the same: no regression, and
// no improvement, on any scenario and seed, whatever the number of
// findings compared (Holm's correction keeps the family-wise error at 5%).
func TestCompareStationaryHalvesShowNoChange(t *testing.T) {
	for _, sc := range simulate.Scenarios() {
		j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
		require.NoError(t, err)
		for _, seed := range []uint64{1, 2, 3} {
			for _, b := range []func() simulate.Behaviour{sc.Healthy, sc.Planted} {
				r1, r2 := halves(t, j, b(), b(), 5000, seed)
				c := friction.Compare(r1, r2)
				assert.False(t, c.Regressions(), "%s seed %d: noise called a regression: %+v %+v %+v", sc.Name, seed, c.Appeared, c.Regressed, c.Touchpoints)
				assert.Empty(t, c.Improved, "%s seed %d", sc.Name, seed)
				assert.Greater(t, c.Tests, 5, "a family of tests, not one")
			}
		}
	}
}

// A drop-off 10 points worse in the second half is found, and nothing else.
func TestComparePlantedDropChange(t *testing.T) {
	for _, sc := range simulate.Scenarios() {
		j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
		require.NoError(t, err)
		target := sc.Plants[0].Touchpoints[0] // the scenario's drop-off touchpoint
		worse := sc.Healthy()
		st := worse.Steps[target]
		st.Drop += 0.10
		worse.Steps[target] = st
		for _, seed := range []uint64{1, 2, 3} {
			r1, r2 := halves(t, j, sc.Healthy(), worse, 5000, seed)
			c := friction.Compare(r1, r2)
			require.True(t, c.Regressions(), "%s seed %d: a 10-point rise in the drop-off at %s is missed", sc.Name, seed, target)
			var moved []string
			for _, tp := range c.Touchpoints {
				moved = append(moved, tp.Touchpoint)
			}
			for _, f := range c.Appeared {
				moved = append(moved, f.Key())
			}
			for _, d := range c.Regressed {
				moved = append(moved, d.Key)
			}
			for _, m := range moved {
				assert.True(t, strings.HasSuffix(m, target), "%s seed %d: %s changed too, beside %s", sc.Name, seed, m, target)
			}
		}
	}
}

func TestAnalyzeContextCancelled(t *testing.T) {
	j, err := journey.Load("../examples/retail/journey.yaml")
	require.NoError(t, err)
	res, err := replayCSV(j, "../examples/retail/events.csv")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := friction.AnalyzeContext(ctx, j, res, friction.Options{})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Nil(t, r)
	r, err = friction.AnalyzeContext(context.Background(), j, res, friction.Options{})
	require.NoError(t, err)
	assert.Equal(t, friction.Analyze(j, res, friction.Options{}), r)
}
