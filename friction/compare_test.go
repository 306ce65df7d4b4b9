package friction_test

import (
	"bytes"
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
