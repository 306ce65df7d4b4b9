package friction_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// A journey whose file promises times: "Upload documents" within an hour,
// the "apply" stage within five.
const timedJourney = `
id: timed
stages:
  - id: apply
    expect: {max_duration: 5h}
  - id: decide
touchpoints:
  - {id: start, stage: apply, entry: true, owner: web}
  - {id: upload, name: Upload documents, stage: apply, owner: web, expect: {max_dwell: 1h}}
  - {id: check, stage: apply, owner: web}
  - {id: review, stage: decide, owner: back-office}
  - {id: done, stage: decide, goal: true, owner: back-office}
transitions:
  - {from: start, to: upload}
  - {from: upload, to: check}
  - {from: check, to: review}
  - {from: review, to: done}
`

// timedReport replays cases that spend about dwellStart at start and
// dwellUpload at upload (each ±20%), the rest of the journey quick; past
// the first goOn cases, customers leave after start.
func timedReport(t *testing.T, cases, goOn int, dwellStart, dwellUpload time.Duration) *friction.Report {
	t.Helper()
	j, err := journey.Parse(strings.NewReader(timedJourney), "timed.yaml")
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(7, uint64(cases)))
	jitter := func(d time.Duration) time.Duration { return time.Duration(float64(d) * (0.8 + 0.4*rng.Float64())) }
	var evs []replay.Event
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	for c := range cases {
		at := t0.Add(time.Duration(c) * time.Minute)
		for _, step := range []struct {
			tp   string
			stay time.Duration
		}{{"start", jitter(dwellStart)}, {"upload", jitter(dwellUpload)}, {"check", 5 * time.Minute}, {"review", 10 * time.Minute}, {"done", 0}} {
			evs = append(evs, replay.Event{Case: fmt.Sprintf("c%d", c), Touchpoint: step.tp, Time: at, CSAT: -1, CES: -1, NPS: -1})
			at = at.Add(step.stay)
			if c >= goOn {
				break
			}
		}
	}
	res, err := replay.Run(t.Context(), j, replay.SliceEvents(evs), replay.Options{})
	require.NoError(t, err)
	return friction.Analyze(j, res, friction.Options{})
}

func slowKeys(r *friction.Report) []string {
	k := []string{}
	for _, f := range r.Findings {
		if f.Kind == friction.SlowStep {
			k = append(k, f.Key())
		}
	}
	return k
}

// max_dwell and max_duration are read: a touchpoint or a stage surely over
// its time is one finding, a slow stage that a slow touchpoint explains is
// that touchpoint's finding, and the clean twin, a coin flip and a handful
// of cases raise nothing.
func TestSlowSteps(t *testing.T) {
	for _, tc := range []struct {
		name                string
		cases, goOn         int
		dwellStart, dwellUp time.Duration
		want                []string
		short               []string // insufficient checks
	}{
		{"clean twin", 400, 400, 30 * time.Minute, 20 * time.Minute, []string{}, nil},
		{"slow touchpoint", 400, 400, 30 * time.Minute, 3 * time.Hour, []string{"slow_step/slow_touchpoint/upload"}, nil},
		{"slow stage explained by its touchpoint", 400, 400, 30 * time.Minute, 6 * time.Hour, []string{"slow_step/slow_touchpoint/upload"}, nil},
		{"slow stage, no one touchpoint", 400, 400, 4*time.Hour + 30*time.Minute, 50 * time.Minute, []string{"slow_step/slow_stage/stage:apply"}, nil},
		{"half the visits over: not sure", 400, 400, 30 * time.Minute, time.Hour, []string{}, nil},
		{"too few cases", 40, 12, 30 * time.Minute, 3 * time.Hour, []string{}, []string{"max_dwell"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := timedReport(t, tc.cases, tc.goOn, tc.dwellStart, tc.dwellUp)
			assert.Equal(t, tc.want, slowKeys(r))
			var short []string
			for _, in := range r.Insufficient {
				if in.Check == "max_dwell" || in.Check == "max_duration" {
					short = append(short, in.Check)
					assert.Contains(t, in.Sentence(), "Not enough evidence for the time customers")
				}
			}
			assert.Equal(t, tc.short, short)
			for _, f := range r.Findings {
				if f.Kind != friction.SlowStep {
					continue
				}
				require.NotNil(t, f.WhatIf, "a slow step says what fixing it is worth")
				assert.Positive(t, f.WhatIf.HoursSaved)
				assert.Zero(t, f.WhatIf.Completed, "time saved does not make customers complete")
				if f.Reason == friction.SlowTouchpoint {
					assert.Contains(t, f.Summary, `"Upload documents"`)
					assert.Contains(t, f.Summary, "over the 1h the journey allows")
				}
			}
			if tc.name == "slow stage explained by its touchpoint" {
				f := r.Findings[slicesIndex(r, "slow_step/slow_touchpoint/upload")]
				assert.InDelta(t, 5*3600, f.Evidence["stage_max_duration_s"], 1, "the stage's slowness is the touchpoint's evidence")
			}
			if tc.name != "too few cases" {
				_, measured := r.Measures["slow_step/slow_touchpoint/upload"]
				assert.True(t, measured, "the rate is measured for Compare and live alerts, raised or not")
			}
		})
	}
}

func slicesIndex(r *friction.Report, key string) int {
	for i, f := range r.Findings {
		if f.Key() == key {
			return i
		}
	}
	return -1
}
