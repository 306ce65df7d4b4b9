package friction_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/friction/render"
	"github.com/journeymap/journeymap/internal/golden"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// The test journey: a -> b -> c -> d -> done, c -> done, b -> e -> done.
// Owners and channels: a, b, done: x/web; c: y/phone; d: z/store; e: y/chat.
const testJourney = `
id: t
stages: [s1, s2]
touchpoints:
  - {id: a, stage: s1, channel: web, owner: x, entry: true}
  - {id: b, stage: s1, channel: web, owner: x, expect: {max_dropoff: 0.1}}
  - {id: c, stage: s2, channel: phone, owner: y}
  - {id: e, stage: s2, channel: chat, owner: y}
  - {id: d, stage: s2, channel: store, owner: z}
  - {id: done, stage: s2, channel: web, owner: x, goal: true}
  - {id: limbo, stage: s2, channel: phone, owner: y}
transitions:
  - {from: a, to: b}
  - {from: b, to: e}
  - {from: b, to: c, expect: {max_wait: 1h}}
  - {from: c, to: [d, done, limbo]}
  - {from: e, to: [d, done]}
  - {from: d, to: done}
consistency: [[s1, s2]]
settings: {case_timeout: 1d, min_cases: 20}
`

// step is "tp@hours" or "tp@hours/csat".
func cases(n int, prefix string, steps ...string) []replay.Event {
	var evs []replay.Event
	for i := range n {
		for _, s := range steps {
			name, rest, _ := strings.Cut(s, "@")
			hours, csat, _ := strings.Cut(rest, "/")
			h, _ := strconv.ParseFloat(hours, 64)
			e := replay.Event{Case: fmt.Sprintf("%s%d", prefix, i), Touchpoint: name, Time: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(h * float64(time.Hour))), CSAT: -1, CES: -1, NPS: -1}
			if csat != "" {
				v, _ := strconv.Atoi(csat)
				e.CSAT = int8(v)
			}
			evs = append(evs, e)
		}
	}
	return evs
}

// endOfLog is one case, at the goal at hour 500, so that every case idle
// before hour 476 has dropped. It skips a, b and c (a deviation from the
// entry), which changes no finding.
var endOfLog = cases(1, "end", "done@500")

func analyze(t *testing.T, evs ...[]replay.Event) *friction.Report {
	t.Helper()
	j, err := journey.Parse(strings.NewReader(testJourney), "t.yaml")
	require.NoError(t, err)
	all := slices.Concat(append(evs, endOfLog)...)
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(all), replay.Options{KeepCases: true})
	require.NoError(t, err)
	return friction.Analyze(j, res, friction.Options{})
}

func keys(r *friction.Report) []string {
	var k []string
	for _, f := range r.Findings {
		k = append(k, f.Key())
	}
	slices.Sort(k)
	return k
}

func find(t *testing.T, r *friction.Report, key string) friction.Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.Key() == key {
			return f
		}
	}
	t.Fatalf("no finding %s in %v", key, keys(r))
	return friction.Finding{}
}

// The structural findings every log of this journey has: limbo is a dead
// end nobody meets, and (in logs that never use them) d and e are unused.
const deadEnd = "redundant_touchpoint/dead_end/limbo"

func TestFindingsByHand(t *testing.T) {
	tests := []struct {
		name string
		evs  [][]replay.Event
		want []string
	}{
		{
			name: "healthy: everyone goes a, b, c, done within the hour",
			evs:  [][]replay.Event{cases(60, "h", "a@0", "b@0.1", "c@0.5", "done@0.9")},
			want: []string{deadEnd, "redundant_touchpoint/unused/d", "redundant_touchpoint/unused/e", "redundant_touchpoint/unused/limbo"},
		},
		{
			name: "40 of 100 stop at b, which allows 10%",
			evs: [][]replay.Event{
				cases(40, "stop", "a@0", "b@0.1"),
				cases(60, "go", "a@0", "b@0.1", "c@0.5", "done@0.9"),
			},
			want: []string{deadEnd, "drop_off/above_expected/b", "redundant_touchpoint/unused/d", "redundant_touchpoint/unused/e", "redundant_touchpoint/unused/limbo"},
		},
		{
			name: "c and d bounce the customer back and forth",
			evs:  [][]replay.Event{cases(40, "pp", "a@0", "b@0.1", "c@0.5", "d@1", "c@2", "d@3", "done@4")},
			want: []string{deadEnd,
				// 40 of 40 go back to c after c -> d; the undesigned d -> c and
				// the rework at c and d are that bounce, in its evidence.
				"inconsistent_handoff/ping_pong/c/d",
				"inconsistent_handoff/stage_effort/stage:s2", // s2: 5 steps, 4 handoffs, 4 switches against 2, 0, 0
				"redundant_touchpoint/unused/e", "redundant_touchpoint/unused/limbo"},
		},
		{
			name: "half skip b and complete as often",
			evs: [][]replay.Event{
				cases(30, "skip", "a@0", "c@0.5", "done@0.9"),
				cases(30, "thru", "a@0", "b@0.1", "c@0.5", "done@0.9"),
			},
			// The undesigned a -> c is the shortcut that skips b: the
			// bypassable finding's evidence, not a finding of its own.
			want: []string{deadEnd, "redundant_touchpoint/bypassable/b",
				"redundant_touchpoint/unused/d", "redundant_touchpoint/unused/e", "redundant_touchpoint/unused/limbo"},
		},
		{
			name: "b -> c takes 5 hours against 1 allowed, and CSAT falls from 5 to 2",
			evs:  [][]replay.Event{cases(30, "slow", "a@0", "b@0.1/5", "c@5.1/2", "done@5.5")},
			want: []string{deadEnd, "inconsistent_handoff/score_drop/b/c", "inconsistent_handoff/slow_handoff/b/c",
				"redundant_touchpoint/unused/d", "redundant_touchpoint/unused/e", "redundant_touchpoint/unused/limbo"},
		},
		{
			name: "40 of 100 give up right after being handed to c",
			evs: [][]replay.Event{
				cases(40, "lost", "a@0", "b@0.1", "c@0.5"),
				cases(60, "go", "a@0", "b@0.1", "c@0.5", "done@0.9"),
			},
			// Every customer reaches c from b: the drop-off is c's, with the
			// handoff in its evidence, not a second finding.
			want: []string{deadEnd, "drop_off/outlier/c",
				"redundant_touchpoint/unused/d", "redundant_touchpoint/unused/e", "redundant_touchpoint/unused/limbo"},
		},
		{
			name: "c loses those handed over from b, not those who come from e",
			evs: [][]replay.Event{
				cases(40, "lost", "a@0", "b@0.1", "c@0.5"),
				cases(60, "go", "a@0", "b@0.1", "c@0.5", "done@0.9"),
				cases(100, "other", "a@0", "b@0.1", "e@0.3", "c@0.5", "done@0.9"),
			},
			// The other route, b -> e -> c, is not designed, and those
			// customers meet both e and c: two findings of their own. The
			// drop-off at c is the handoff's consequence (those arriving
			// from e do not drop): one finding, the handoff, with the
			// drop-off in its evidence.
			want: []string{deadEnd, "inconsistent_handoff/drop_after_handoff/b/c",
				"inconsistent_handoff/undesigned/e/c", "redundant_touchpoint/duplicate_channel/c/e",
				"redundant_touchpoint/unused/d", "redundant_touchpoint/unused/limbo"},
		},
		{
			name: "customers ask on the phone and on chat for the same thing",
			evs: [][]replay.Event{
				cases(30, "dup", "a@0", "b@0.1", "c@0.5", "e@1", "done@1.5"),
				cases(30, "one", "a@0", "b@0.1", "e@0.5", "done@0.9"),
			},
			want: []string{deadEnd, "inconsistent_handoff/undesigned/c/e", "redundant_touchpoint/duplicate_channel/c/e",
				"redundant_touchpoint/unused/d", "redundant_touchpoint/unused/limbo"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyze(t, tc.evs...)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			assert.Equal(t, want, keys(r))
			for i := 1; i < len(r.Findings); i++ {
				a, b := r.Findings[i-1], r.Findings[i]
				lossA := a.Kind == friction.DropOff || a.Reason == friction.DropAfterHandoff
				lossB := b.Kind == friction.DropOff || b.Reason == friction.DropAfterHandoff
				if lossA == lossB {
					assert.GreaterOrEqual(t, a.Score, b.Score, "ranked by score within customers lost, then effort")
				} else {
					assert.True(t, lossA, "customers lost rank before effort")
				}
			}
			for _, f := range r.Findings {
				assert.NotEmpty(t, f.Summary)
				assert.NotEmpty(t, f.Recommendation)
				assert.Contains(t, []friction.Severity{friction.High, friction.Medium, friction.Low}, f.Severity)
			}
		})
	}
}

func TestFindingNumbersByHand(t *testing.T) {
	r := analyze(t, cases(40, "stop", "a@0", "b@0.1"), cases(60, "go", "a@0", "b@0.1", "c@0.5", "done@0.9"))
	f := find(t, r, "drop_off/above_expected/b")
	assert.Equal(t, int64(40), f.Cases)
	assert.Equal(t, 30.0, f.Score, "40 lost, 10 of 100 allowed")
	assert.Equal(t, friction.High, f.Severity, "a score of 30 of 101 cases: 30%, past 5%")
	assert.Equal(t, int64(100), f.Evidence["reached"])
	assert.Equal(t, 0.4, f.Evidence["rate"])
	assert.Equal(t, "a", f.Evidence["most_came_from"])
	assert.Equal(t, `40 of 100 customers (40%) who reached "b" give up there, above the 10% the journey allows.`, f.Summary)

	r = analyze(t, cases(40, "pp", "a@0", "b@0.1", "c@0.5", "d@1", "c@2", "d@3", "done@4"))
	f = find(t, r, "inconsistent_handoff/ping_pong/c/d")
	assert.Equal(t, int64(40), f.Cases)
	assert.Equal(t, 20.0, f.Score, "40 cases at weight 0.5")
	// c is reworked (back by the undesigned d -> c) only because of the
	// bounce: that rework is folded into the ping-pong, not a second finding.
	assert.Equal(t, int64(40), f.Evidence["rework_cases_at_c"])
	f = find(t, r, "inconsistent_handoff/stage_effort/stage:s2")
	// contacts: (40 x 3 + 1) / 41 = 2.95 against 2, under the 1-contact floor.
	assert.ElementsMatch(t, []string{"steps", "handoffs", "channel_switches", "elapsed_median_h"}, f.Evidence["worse_on"])
	assert.Equal(t, [2]float64{2, 4.9}, f.Evidence["steps"], "s2: (40 cases x 5 steps + the end case's 1) / 41")

	// The report's own tables.
	assert.Equal(t, friction.CaseCounts{Total: 41, Completed: 41, Ended: map[string]int64{}}, r.Cases)
	assert.Equal(t, int64(40*7+1), r.Events.Read)
	b := r.Touchpoints[1]
	assert.Equal(t, "b", b.ID)
	assert.Equal(t, int64(40), b.Visits)
	assert.Equal(t, int64(1), b.Skipped, "the end case starts at the goal, skipping a, b and c")
}

func TestWilson(t *testing.T) {
	tests := []struct {
		k, n   int64
		lo, hi float64
	}{
		{20, 40, 0.3520, 0.6480},
		{0, 10, 0, 0.2775},
		{10, 10, 0.7225, 1},
		{1, 100, 0.0018, 0.0545},
	}
	for _, tc := range tests {
		lo, hi := friction.Wilson(tc.k, tc.n)
		assert.InDelta(t, tc.lo, lo, 5e-4, "%d/%d", tc.k, tc.n)
		assert.InDelta(t, tc.hi, hi, 5e-4, "%d/%d", tc.k, tc.n)
	}
}

// The bundled retail example: the planted friction (the exchange bounces
// customers between store and phone) comes first, nothing blames the
// healthy purchase, and the JSON report is byte-identical run after run
// and equal to the golden file.
func TestRetailReport(t *testing.T) {
	j, err := journey.Load("../examples/retail/journey.yaml")
	require.NoError(t, err)
	res, err := replayCSV(j, "../examples/retail/events.csv")
	require.NoError(t, err)
	r := friction.Analyze(j, res, friction.Options{})
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "inconsistent_handoff/stage_effort/stage:exchange", r.Findings[0].Key())
	for _, f := range r.Findings {
		assert.Equal(t, "exchange", f.Stage, "a finding outside the exchange: %s: %s", f.Key(), f.Summary)
	}
	var a, b bytes.Buffer
	require.NoError(t, r.WriteJSON(&a))
	res2, err := replayCSV(j, "../examples/retail/events.csv")
	require.NoError(t, err)
	require.NoError(t, friction.Analyze(j, res2, friction.Options{}).WriteJSON(&b))
	assert.Equal(t, a.String(), b.String(), "same input, same bytes")
	goldenFile(t, "retail.json", a.Bytes())

	var txt bytes.Buffer
	require.NoError(t, render.Text(&txt, r))
	goldenFile(t, "retail.txt", txt.Bytes())

	back, err := friction.ReadJSON(&a)
	require.NoError(t, err)
	assert.Equal(t, r.Findings[0].Key(), back.Findings[0].Key())
}

func goldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// One group of customers lost is one finding: where only those handed
// over from b drop at c, the handoff is the cause and the drop-off its
// evidence; where those arriving from e drop at c too (at twice the
// journey's rate), c is the cause and the handoff its evidence.
func TestDropAfterHandoffFoldsWithItsDropOff(t *testing.T) {
	r := analyze(t,
		cases(40, "lost", "a@0", "b@0.1", "c@0.5"),
		cases(60, "go", "a@0", "b@0.1", "c@0.5", "done@0.9"),
		cases(100, "other", "a@0", "b@0.1", "e@0.3", "c@0.5", "done@0.9"))
	h := find(t, r, "inconsistent_handoff/drop_after_handoff/b/c")
	assert.Equal(t, map[string]any{"touchpoint": "c", "dropped": int64(40), "rate": 0.2}, h.Evidence["drop_off_at"])

	r = analyze(t,
		cases(60, "lostb", "a@0", "b@0.1", "c@0.5"),
		cases(40, "gob", "a@0", "b@0.1", "c@0.5", "done@0.9"),
		cases(30, "loste", "a@0", "b@0.1", "e@0.3", "c@0.5"),
		cases(70, "goe", "a@0", "b@0.1", "e@0.3", "c@0.5", "done@0.9"))
	assert.NotContains(t, keys(r), "inconsistent_handoff/drop_after_handoff/b/c")
	d := find(t, r, "drop_off/outlier/c")
	before, ok := d.Evidence["handoff_before"].(map[string]any)
	require.True(t, ok, "the drop-off names the handoff before it: %v", d.Evidence)
	assert.Equal(t, "b", before["from"])
	assert.Equal(t, int64(60), before["dropped_after"])
	assert.Contains(t, d.Summary, "60 of them gave up right after the handoff from")
}
