package friction_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
)

// Broadband: the credit check can be skipped without hurting completion
// (bypassable), engineers come a median 8 days after the contract against
// 3 allowed (slow handoff), and satisfaction collapses when the first bill
// sends customers to the billing line (score drop). Its healthy twin
// raises nothing.
func TestUnseenBroadband(t *testing.T) {
	j, err := journey.Load("testdata/unseen/broadband.yaml")
	require.NoError(t, err)
	const h, d = time.Hour, 24 * time.Hour
	build := func(planted bool) simulate.Behaviour {
		skip, visit, billCSAT := 0.4, 8*d, 1.8
		if !planted {
			skip, visit, billCSAT = 0.0, 2*d, 4.0
		}
		return simulate.Behaviour{
			Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Span: 120 * d,
			Entries: map[string]float64{"availability_check": 1},
			Steps: map[string]simulate.Step{
				"availability_check": {Next: map[string]float64{"order_form": 1}, Drop: 0.1, Wait: 5 * time.Minute},
				"order_form":         {Next: map[string]float64{"credit_check": 1 - skip, "contract_signed": skip}, Drop: 0.05, Wait: 10 * time.Minute},
				"credit_check":       {Next: map[string]float64{"contract_signed": 1}, Drop: 0.03, Wait: h},
				"contract_signed":    {Next: map[string]float64{"engineer_visit": 1}, Drop: 0.02, Wait: visit},
				"engineer_visit":     {Next: map[string]float64{"router_setup": 1}, Drop: 0.01, Wait: 2 * h, CSAT: 4.3, Survey: 0.4},
				"router_setup":       {Next: map[string]float64{"line_live": 1}, Drop: 0.02, Wait: h},
				"line_live":          {Next: map[string]float64{"first_bill": 1}, Drop: 0.3, Wait: 20 * d},
				"first_bill":         {Next: map[string]float64{"billing_query": 0.3, "bill_settled": 0.7}, Drop: 0.02, Wait: 5 * d, CSAT: 4.2, Survey: 0.5},
				"billing_query":      {Next: map[string]float64{"bill_settled": 1}, Drop: 0.04, Wait: 2 * d, CSAT: billCSAT, Survey: 0.6},
			},
		}
	}
	r := analyzeSimulated(t, j, build(true), 3000, 11)
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Key())
	}
	for _, want := range []string{
		"redundant_touchpoint/bypassable/credit_check",
		"inconsistent_handoff/slow_handoff/contract_signed/engineer_visit",
		"inconsistent_handoff/score_drop/first_bill/billing_query",
	} {
		assert.Contains(t, got, want)
	}
	for _, f := range r.Findings {
		switch f.Key() {
		case "redundant_touchpoint/bypassable/credit_check",
			"inconsistent_handoff/slow_handoff/contract_signed/engineer_visit",
			"inconsistent_handoff/score_drop/first_bill/billing_query",
			"inconsistent_handoff/undesigned/order_form/contract_signed": // the skip itself: 40% take an undesigned step
		default:
			t.Errorf("blames something healthy: %s: %s", f.Key(), f.Summary)
		}
	}

	healthy := analyzeSimulated(t, j, build(false), 3000, 12)
	for _, f := range healthy.Findings {
		t.Errorf("healthy broadband blamed: %s: %s", f.Key(), f.Summary)
	}
}
