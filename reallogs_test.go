package journeymap_test

import (
	"cmp"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/discover"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/friction/render"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// Real logs with lifecycle data, each replayed through a journey written
// as its team would (testdata/reallogs). What each case and touchpoint
// must come to is worked out here from the log's rows alone: a visit is a
// completed work item, and a case ends as the last outcome it reached.
func TestRealLogsOutcomesAndVisits(t *testing.T) {
	dir := publicLogs(t)
	tests := []struct {
		log, journey string
		ended        map[string]int64 // designed ends, as the log has them
		completed    int64
	}{
		// 2246 loans approved; every other application was declined or
		// cancelled, except the 399 still open when the log ends.
		{"bpic2012.xes.gz", "testdata/reallogs/bpic2012.yaml", map[string]int64{"declined": 7635, "cancelled": 2807}, 2246},
		{"03_repairExample.xes.gz", "testdata/reallogs/repair.yaml", nil, 1000},
	}
	for _, tc := range tests {
		t.Run(tc.log, func(t *testing.T) {
			path := filepath.Join(dir, tc.log)
			j, res, _, err := journeymap.Replay(context.Background(), tc.journey, path, journeymap.Options{Replay: replay.Options{KeepCases: true}})
			require.NoError(t, err)

			want := fromRows(t, j, path)
			assert.Equal(t, want.rows, res.Events.Read)
			assert.Equal(t, res.Events.Read, res.Events.Replayed+res.Events.Unmatched+res.Events.Malformed, "nothing lost")
			assert.Equal(t, want.folded, res.Events.Folded, "every lifecycle row but complete is folded into a visit")
			for i := range j.Len() {
				assert.Equal(t, want.visits[j.At(i).ID], res.Touchpoints[i].Visits, "visits of %s = its completed work items", j.At(i).ID)
			}

			require.Len(t, res.CaseList, len(want.outcome))
			mismatch := 0
			for _, c := range res.CaseList {
				got := c.Outcome.String()
				if c.Outcome == replay.Ended {
					got = c.EndedAs
				}
				if w := want.outcome[c.ID]; got != w && !(w == "open" && (got == "dropped" || got == "in_progress")) {
					if mismatch++; mismatch <= 5 {
						t.Errorf("case %s: %s, the log says %s", c.ID, got, w)
					}
				}
			}
			assert.Zero(t, mismatch, "cases whose outcome is not the one the log shows")
			assert.Equal(t, tc.completed, res.Cases.Completed)
			for word, n := range tc.ended {
				assert.Equal(t, n, res.Cases.Ended[word], word)
			}

			rep := friction.Analyze(j, res, friction.Options{})
			for _, f := range rep.Findings {
				for _, id := range f.Touchpoints {
					tp, _ := j.Touchpoint(id)
					if f.Kind == friction.DropOff {
						assert.Empty(t, tp.Outcome, "no drop-off at a designed end: %s", f.Summary)
					}
				}
			}
		})
	}
}

// rowTruth is what a log's rows say, read without replay.
type rowTruth struct {
	rows, folded int64
	visits       map[string]int64  // touchpoint id -> completed work items
	outcome      map[string]string // case -> success's "completed", a designed end's word, or "open"
}

func fromRows(t *testing.T, j *journey.Journey, path string) rowTruth {
	t.Helper()
	r, err := eventlog.Open(path, eventlog.Options{})
	require.NoError(t, err)
	defer r.Close()
	type row struct {
		tp string
		t  int64
	}
	byCase := map[string][]row{}
	truth := rowTruth{visits: map[string]int64{}, outcome: map[string]string{}}
	for {
		ev, err := r.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		truth.rows++
		tp, ok := j.Lookup(ev.Touchpoint)
		if !ok {
			continue
		}
		complete := ev.Lifecycle == "" || ev.Lifecycle == "complete"
		if !complete {
			truth.folded++
			continue
		}
		truth.visits[tp.ID]++
		byCase[ev.Case] = append(byCase[ev.Case], row{tp.ID, ev.Time.UnixNano()})
	}
	for id, rows := range byCase {
		slices.SortStableFunc(rows, func(a, b row) int { return cmp.Compare(a.t, b.t) })
		out := "open"
		for _, rw := range rows {
			tp, _ := j.Touchpoint(rw.tp)
			switch {
			case tp.Outcome == "success":
				out = "completed"
			case tp.Outcome != "":
				out = tp.Outcome
			}
		}
		if last, _ := j.Touchpoint(rows[len(rows)-1].tp); last.Goal && last.Outcome == "" {
			out = "completed"
		}
		truth.outcome[id] = out
	}
	return truth
}

// The README's bpic2012 report is what a fresh run prints.
func TestREADMERealLogReportIsFresh(t *testing.T) {
	dir := publicLogs(t)
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(readme), "```\nJourney Personal loan application")
	require.True(t, ok)
	block, _, _ = strings.Cut("Journey Personal loan application"+block, "```")
	rep, err := journeymap.Analyze(context.Background(), "testdata/reallogs/bpic2012.yaml", filepath.Join(dir, "bpic2012.xes.gz"), journeymap.Options{})
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, render.Text(&b, rep))
	assert.Equal(t, b.String(), block)
}

// From a raw log to a first journey map: discover --coverage 0.9 writes a
// draft that validates, in several stages, whose analysis against the same
// log reports the steps left out as deviations (not fitness 1.00).
func TestDiscoveredDraftsOfRealLogs(t *testing.T) {
	dir := publicLogs(t)
	for _, log := range []string{"helpdesk.xes.gz", "bpic2012.xes.gz"} {
		t.Run(log, func(t *testing.T) {
			path := filepath.Join(dir, log)
			d, _, err := journeymap.Discover(context.Background(), path, journeymap.Options{})
			require.NoError(t, err)
			var draft strings.Builder
			sum, err := d.WriteDraft(&draft, discover.DraftOptions{ID: "draft", Coverage: 0.9})
			require.NoError(t, err)
			assert.Less(t, sum.StepsKept, sum.Steps, "coverage leaves the rare steps out")
			assert.Equal(t, sum.Names, sum.NamesKept, "every name stays a touchpoint")
			file := filepath.Join(t.TempDir(), "draft.yaml")
			require.NoError(t, os.WriteFile(file, []byte(draft.String()), 0o644))
			j, err := journey.Load(file)
			require.NoError(t, err, "the draft validates")
			assert.Empty(t, j.Warnings())
			assert.GreaterOrEqual(t, len(j.Stages()), 3, "stages are proposed")
			assert.Len(t, j.Goals(), 1, "one goal marked; the other ends ask")
			_, res, _, err := journeymap.Replay(context.Background(), file, path, journeymap.Options{})
			require.NoError(t, err)
			assert.Less(t, res.Fitness(), 0.97, "the steps left out show as deviations")
			assert.Zero(t, res.Events.Unmatched, "no name is left out")
		})
	}
}
