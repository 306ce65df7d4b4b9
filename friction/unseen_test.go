package friction_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
)

// A journey the detectors were not tuned on, with three kinds of friction
// planted under its own names: customers re-upload photos (rework), half of
// those asked for extra information give up (a drop-off, with no
// max_dropoff set anywhere), and the garage sends a third of claims back to
// the assessor (ping-pong between two teams, by an undesigned step).
// Everything else is healthy, with some noise. Every planted friction must
// be found, and nothing healthy blamed.
func TestUnseenJourney(t *testing.T) {
	j, err := journey.Load("testdata/unseen/claim.yaml")
	require.NoError(t, err)
	const h, d = time.Hour, 24 * time.Hour
	b := simulate.Behaviour{
		Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Span: 90 * d,
		Entries: map[string]float64{"fnol_call": 0.45, "fnol_app": 0.55},
		Steps: map[string]simulate.Step{
			"fnol_call":        {Next: map[string]float64{"claim_registered": 1}, Drop: 0.02, Wait: 2 * h, Channel: "phone"},
			"fnol_app":         {Next: map[string]float64{"photos_upload": 1}, Drop: 0.04, Wait: 10 * time.Minute, Channel: "app"},
			"photos_upload":    {Next: map[string]float64{"claim_registered": 1}, Drop: 0.03, Repeat: 0.4, Wait: 20 * time.Minute, Channel: "app"},
			"claim_registered": {Next: map[string]float64{"assessor_review": 1}, Drop: 0.01, Wait: d, Channel: "email"},
			"assessor_review":  {Next: map[string]float64{"garage_quote": 0.5, "extra_info": 0.15, "approval": 0.35}, Drop: 0.02, Wait: 2 * d},
			"extra_info":       {Next: map[string]float64{"assessor_review": 1}, Drop: 0.5, Wait: 3 * d, Channel: "email"},
			"garage_quote":     {Next: map[string]float64{"approval": 0.65, "assessor_review": 0.35}, Drop: 0.03, Wait: 2 * d, Channel: "garage"},
			"approval":         {Next: map[string]float64{"repair_booked": 0.6, "payout": 0.4}, Drop: 0.02, Wait: d, Channel: "email"},
			"repair_booked":    {Next: map[string]float64{"repaired": 1}, Drop: 0.02, Wait: 4 * d, Channel: "phone"},
		},
	}
	r := analyzeSimulated(t, j, b, 3000, 7)

	planted := map[string]bool{"photos_upload": false, "extra_info": false, "garage_quote": false}
	for _, f := range r.Findings {
		hit := false
		for _, tp := range f.Touchpoints {
			if _, ok := planted[tp]; ok {
				planted[tp] = true
				hit = true
			}
		}
		assert.True(t, hit, "blames something healthy: %s: %s", f.Key(), f.Summary)
	}
	for tp, found := range planted {
		assert.True(t, found, "planted friction at %s not found; findings: %v", tp, keys(r))
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, string(f.Kind)+"/"+string(f.Reason))
	}
	assert.Contains(t, got, "redundant_touchpoint/repeated")
	assert.Contains(t, got, "drop_off/outlier")
	assert.Contains(t, got, "inconsistent_handoff/ping_pong")

	// The same journey with the friction taken out, noise left in (a few
	// re-uploads, a few drop-outs everywhere, the odd claim sent back):
	// nothing is blamed.
	healthy := b
	healthy.Steps = map[string]simulate.Step{}
	for k, v := range b.Steps {
		healthy.Steps[k] = v
	}
	fix := func(tp string, f func(*simulate.Step)) {
		s := healthy.Steps[tp]
		f(&s)
		healthy.Steps[tp] = s
	}
	fix("photos_upload", func(s *simulate.Step) { s.Repeat = 0.04 })
	fix("extra_info", func(s *simulate.Step) { s.Drop = 0.05 })
	fix("garage_quote", func(s *simulate.Step) { s.Next = map[string]float64{"approval": 0.97, "assessor_review": 0.03} })
	r = analyzeSimulated(t, j, healthy, 3000, 8)
	for _, f := range r.Findings {
		t.Errorf("healthy journey blamed: %s: %s", f.Key(), f.Summary)
	}
}
