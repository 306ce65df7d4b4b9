package friction_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/friction/render"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
)

// Small samples say what they cannot tell (contract 4.5). On every
// scenario shape, healthy, at 300 customers: nothing medium or high is
// raised but what the design forces; the checks that lack cases are
// listed under insufficient, each with fewer cases than it needs; and
// every rendering says "not enough evidence" rather than "no friction".
// Under the minimum, the whole journey is one insufficient check.
func TestSmallSamplesSayWhatTheyCannotTell(t *testing.T) {
	for _, sc := range simulate.Scenarios() {
		j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
		require.NoError(t, err)
		for _, seed := range []uint64{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/seed%d", sc.Name, seed), func(t *testing.T) {
				r := analyzeSimulated(t, j, sc.Healthy(), 300, seed)
				for _, f := range r.Findings {
					if f.Severity != friction.Low {
						assert.True(t, designForced(f), "healthy journey at 300 customers: %s %s: %s", f.Severity, f.Key(), f.Summary)
					}
				}
				require.NotEmpty(t, r.Insufficient, "300 customers spread over %d touchpoints leave some check short", len(j.Touchpoints()))
				for _, c := range r.Insufficient {
					assert.Less(t, c.Cases, c.Needed, "%+v", c)
					assert.Equal(t, int64(30), c.Needed)
				}
				assertSaysNotEnough(t, r)

				tiny := analyzeSimulated(t, j, sc.Healthy(), 20, seed)
				assert.Empty(t, tiny.Findings, "20 customers raise nothing")
				require.Len(t, tiny.Insufficient, 1)
				assert.Equal(t, friction.Insufficient{Check: "journey", Touchpoints: []string{}, Cases: 20, Needed: 30}, tiny.Insufficient[0])
				assertSaysNotEnough(t, tiny)
			})
		}
	}
}

// assertSaysNotEnough checks that text, Markdown, HTML and JSON each carry
// every insufficient check, and that none says "no friction found" bare.
func assertSaysNotEnough(t *testing.T, r *friction.Report) {
	t.Helper()
	render := map[string]func(*strings.Builder) error{
		"text":     func(b *strings.Builder) error { return render.Text(b, r) },
		"markdown": func(b *strings.Builder) error { return render.Markdown(b, r) },
		"html":     func(b *strings.Builder) error { return render.HTML(b, r) },
	}
	for name, write := range render {
		var b strings.Builder
		require.NoError(t, write(&b))
		out := b.String()
		assert.Contains(t, out, "Not enough evidence", name)
		assert.NotContains(t, out, "No friction found: no touchpoint", name)
		for _, c := range r.Insufficient {
			s := c.Sentence()
			if name == "markdown" {
				s = strings.ReplaceAll(s, "_", `\_`)
			}
			assert.Contains(t, out, s, name)
		}
	}
	var b strings.Builder
	require.NoError(t, r.WriteJSON(&b))
	back, err := friction.ReadJSON(strings.NewReader(b.String()))
	require.NoError(t, err)
	assert.Equal(t, r.Insufficient, back.Insufficient)
}

// A large healthy sample can make every check: nothing is insufficient
// where every touchpoint and handoff is well travelled, and the report
// says "no friction found" plainly.
func TestLargeHealthySampleHasEvidenceForEveryCheck(t *testing.T) {
	j, err := journey.Parse(strings.NewReader(`
id: plain
stages: [{id: ask}, {id: get}]
touchpoints:
  - {id: form, stage: ask, channel: web, owner: sales, entry: true}
  - {id: check, stage: ask, channel: web, owner: sales}
  - {id: review, stage: get, channel: email, owner: ops}
  - {id: done, stage: get, channel: email, owner: ops, goal: true}
transitions:
  - {from: form, to: check}
  - {from: check, to: review}
  - {from: review, to: done}
`), "plain.yaml")
	require.NoError(t, err)
	b := simulate.Behaviour{
		Start: simStart, Span: 60 * day,
		Entries: map[string]float64{"form": 1},
		Steps: map[string]simulate.Step{
			"form":   {Next: map[string]float64{"check": 1}, Drop: 0.05, Wait: hour},
			"check":  {Next: map[string]float64{"review": 1}, Drop: 0.05, Wait: hour},
			"review": {Next: map[string]float64{"done": 1}, Drop: 0.05, Wait: hour},
		},
	}
	r := analyzeSimulated(t, j, b, 2000, 7)
	assert.Empty(t, r.Findings)
	assert.Empty(t, r.Insufficient)
	var out strings.Builder
	require.NoError(t, render.Text(&out, r))
	assert.Contains(t, out.String(), "No friction found: no touchpoint")
	assert.NotContains(t, out.String(), "Not enough evidence")
}

var simStart = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

const hour, day = time.Hour, 24 * time.Hour
