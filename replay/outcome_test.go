package replay_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// lendingYAML: apply -> verify -> decide, which approves (success, then
// paperwork follows), declines or is cancelled. phone and verify may call
// each other only one way: verify -> phone is not designed.
const lendingYAML = `
id: lending
stages: [apply, check, decide, after]
touchpoints:
  - {id: apply, stage: apply, entry: true}
  - {id: phone, stage: check}
  - {id: verify, stage: check}
  - {id: approve, stage: decide, outcome: success}
  - {id: decline, stage: decide, outcome: declined}
  - {id: cancel, stage: decide, outcome: cancelled}
  - {id: paperwork, stage: after}
  - {id: loop_a, stage: check}
  - {id: loop_b, stage: check}
transitions:
  - {from: apply, to: [phone, verify, cancel]}
  - {from: phone, to: verify}
  - {from: verify, to: [approve, decline, loop_a]}
  - {from: loop_a, to: loop_b}
  - {from: loop_b, to: [loop_a, verify]}
  - {from: approve, to: paperwork}
settings: {case_timeout: 1d}
`

func loadLending(t *testing.T) *journey.Journey {
	t.Helper()
	j, err := journey.Parse(strings.NewReader(lendingYAML), "lending.yaml")
	require.NoError(t, err)
	return j
}

func lc(e replay.Event, transition string) replay.Event {
	e.Lifecycle = transition
	return e
}

func TestOutcomes(t *testing.T) {
	j := loadLending(t)
	evs := []replay.Event{
		// a: approved, then paperwork, then quiet for days: completed, not dropped.
		ev("a", "apply", 0), ev("a", "verify", 1), ev("a", "approve", 2), ev("a", "paperwork", 3),
		// b: declined: ended, and never a drop-off at decline.
		ev("b", "apply", 0), ev("b", "verify", 1), ev("b", "decline", 2),
		// c: cancelled right after applying.
		ev("c", "apply", 0), ev("c", "cancel", 1),
		// d: approved, then cancelled: the last outcome reached settles it.
		ev("d", "apply", 0), ev("d", "verify", 1), ev("d", "approve", 2), ev("d", "cancel", 3),
		// e: gives up at verify.
		ev("e", "apply", 0), ev("e", "verify", 1),
		// f: the log's last event, at verify: in progress.
		ev("f", "apply", 99), ev("f", "verify", 100),
	}
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{KeepCases: true})
	require.NoError(t, err)
	assert.Equal(t, int64(6), res.Cases.Total)
	assert.Equal(t, int64(1), res.Cases.Completed, "a")
	assert.Equal(t, map[string]int64{"declined": 1, "cancelled": 2}, res.Cases.Ended, "b; c and d")
	assert.Equal(t, int64(1), res.Cases.Dropped, "e")
	assert.Equal(t, int64(1), res.Cases.InProgress, "f")

	got := map[string]string{}
	for _, c := range res.CaseList {
		got[c.ID] = c.Outcome.String() + " " + c.EndedAs
	}
	assert.Equal(t, map[string]string{"a": "completed ", "b": "ended declined", "c": "ended cancelled", "d": "ended cancelled", "e": "dropped ", "f": "in_progress "}, got)

	at := func(id string) replay.TouchpointStats { return res.Touchpoints[j.Index(id)] }
	assert.Equal(t, int64(0), at("decline").Dropped, "a designed end is not a drop-off")
	assert.Equal(t, int64(1), at("decline").Ended)
	assert.Equal(t, int64(2), at("cancel").Ended)
	assert.Equal(t, int64(0), at("paperwork").Dropped, "aftercare of a success is not a drop-off")
	assert.Equal(t, int64(1), at("verify").Dropped, "e")
	assert.Equal(t, 2*time.Hour, res.Resolution.Median(), "a is resolved when approved, not when the paperwork ends")
}

// A visit is one complete; the start before it sets when it began; other
// transitions fold into it. Every event is still accounted for.
func TestLifecycleFolding(t *testing.T) {
	j := loadLending(t)
	evs := []replay.Event{
		ev("a", "apply", 0),
		lc(ev("a", "verify", 1), "schedule"),
		lc(ev("a", "verify", 2), "START"),
		lc(ev("a", "verify", 3), "suspend"),
		lc(ev("a", "verify", 4), "resume"),
		lc(ev("a", "verify", 5), "complete"),
		lc(ev("a", "approve", 6), "complete"),
		// b: verify started twice and completed twice: two visits, a
		// designed loop through loop_a and loop_b; then a schedule that
		// never completes (folded, not a visit).
		ev("b", "apply", 0),
		lc(ev("b", "verify", 1), "start"), lc(ev("b", "verify", 2), "complete"),
		ev("b", "loop_a", 3), ev("b", "loop_b", 4),
		lc(ev("b", "verify", 5), "start"), lc(ev("b", "verify", 7), "complete"),
		lc(ev("b", "phone", 8), "schedule"),
		// c: only scheduled work: no visit at all.
		lc(ev("c", "apply", 0), "schedule"),
	}
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{KeepCases: true})
	require.NoError(t, err)
	assert.Equal(t, int64(len(evs)), res.Events.Read)
	assert.Equal(t, int64(len(evs)), res.Events.Replayed, "folded events are replayed, not lost")
	assert.Equal(t, int64(4+3+1), res.Events.Folded)
	assert.Equal(t, int64(2), res.Cases.Total)
	assert.Equal(t, int64(1), res.Cases.NoVisit, "c")

	verify := res.Touchpoints[j.Index("verify")]
	assert.Equal(t, int64(3), verify.Visits, "one complete in a, two in b")
	assert.Equal(t, int64(0), verify.ReworkCases, "b's return is a designed loop")
	assert.Equal(t, int64(0), res.Touchpoints[j.Index("phone")].Visits, "a schedule is not a visit")
	// Dwell at verify is the service time, start to complete: 3h, 1h, 2h.
	assert.Equal(t, 2*time.Hour, verify.Dwell.Median())
	assert.Equal(t, int64(3), verify.Dwell.Count())
	// The wait into verify runs from apply's complete to verify's start
	// (not its schedule): 2h in a, 1h in b.
	tr := res.Transitions[[2]int32{int32(j.Index("apply")), int32(j.Index("verify"))}]
	require.NotNil(t, tr)
	assert.Equal(t, 90*time.Minute, tr.Wait.Median())
	for _, c := range res.CaseList {
		if c.ID == "a" {
			assert.Equal(t, int64(3), c.Steps, "apply, verify, approve")
			assert.Equal(t, replay.Completed, c.Outcome)
		}
	}
}

// CONTRACT §3: a return is rework at the touchpoint it lands on when the
// round trip since the last visit there took an undesigned step, whichever
// step brought the customer back.
func TestReworkRoundTrips(t *testing.T) {
	j := loadLending(t)
	tests := []struct {
		name string
		path []string
		want []string // touchpoints redone
	}{
		{"phone, verify, phone, verify: both redone", []string{"apply", "phone", "verify", "phone", "verify"}, []string{"phone", "verify"}},
		{"a designed loop is not rework", []string{"apply", "verify", "loop_a", "loop_b", "loop_a", "loop_b", "verify"}, nil},
		{"an undesigned jump back into a loop", []string{"apply", "verify", "loop_a", "loop_b", "apply", "verify"}, []string{"apply", "verify"}},
		{"verify twice in a row, undesigned", []string{"apply", "verify", "verify"}, []string{"verify"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var evs []replay.Event
			for i, tp := range tc.path {
				evs = append(evs, ev("x", tp, float64(i)))
			}
			res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{})
			require.NoError(t, err)
			var got []string
			for i, s := range res.Touchpoints {
				if s.ReworkCases > 0 {
					got = append(got, j.At(i).ID)
				}
			}
			assert.ElementsMatch(t, tc.want, got)
		})
	}
}

// A log whose event names are ids (the wrong column) is an error that does
// not show them.
func TestNoMatchHidesIDs(t *testing.T) {
	j := loadLending(t)
	var evs []replay.Event
	for i := range 300 {
		evs = append(evs, ev(fmt.Sprint("c", i), fmt.Sprintf("jane%d@example.com", i), 1))
	}
	_, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{})
	var nm *replay.NoMatchError
	require.ErrorAs(t, err, &nm)
	assert.Equal(t, 300, nm.Distinct)
	assert.NotContains(t, err.Error(), "@example.com")
	assert.Contains(t, err.Error(), "300 distinct event names, too many to be touchpoints")
}

// Past its memory budget a replay stops with an error that says how to
// replay the log in less, in whole-log and case-at-a-time modes alike (a
// case of a million events outgrows it as surely as a million cases).
func TestMemoryBudget(t *testing.T) {
	j := loadLending(t)
	var many, oneBig []replay.Event
	for i := range 200_000 {
		many = append(many, ev(fmt.Sprint("c", i), "apply", float64(i)/1000))
		oneBig = append(oneBig, ev("bot", "verify", float64(i)/1000))
	}
	for _, tc := range []struct {
		evs  []replay.Event
		opts replay.Options
	}{{many, replay.Options{}}, {oneBig, replay.Options{Grouped: true}}} {
		tc.opts.MemoryBudget = 1 << 20
		_, err := replay.Run(context.Background(), j, replay.SliceEvents(tc.evs), tc.opts)
		var me *replay.MemoryError
		require.ErrorAs(t, err, &me)
		assert.Greater(t, me.Bytes, me.Budget)
		assert.Contains(t, err.Error(), "past the memory budget of 1 MiB: a log sorted by case")
		tc.opts.MemoryBudget = 0
		_, err = replay.Run(context.Background(), j, replay.SliceEvents(tc.evs), tc.opts)
		assert.NoError(t, err, "no budget, no limit")
	}
}

// The budget holds at the end of a log as on its way: a log too small to
// reach the every-65,536-events check is held to it too, and the batch of
// one huge case is counted by what its slice holds, not what it uses.
func TestMemoryBudgetAtTheEnd(t *testing.T) {
	j := loadLending(t)
	var few []replay.Event
	for i := range 1000 {
		few = append(few, ev(fmt.Sprint("c", i), "apply", float64(i)/1000))
	}
	_, err := replay.Run(context.Background(), j, replay.SliceEvents(few), replay.Options{MemoryBudget: 10_000})
	var me *replay.MemoryError
	require.ErrorAs(t, err, &me, "1,000 events of 1,000 cases are more than 10 kB")
	assert.Zero(t, me.Line, "found at the end of the log")
	_, err = replay.Run(context.Background(), j, replay.SliceEvents(few), replay.Options{MemoryBudget: 10 << 20})
	require.NoError(t, err, "and within 10 MB")
}
