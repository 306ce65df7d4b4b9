package journeymap_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// Replaying a CSV log from parallel blocks of columns (blocks reused as
// they are handed back) gives the result of replaying it an event at a
// time: the same report, cases, counts and problems, in every mode, on
// CSV and JSON Lines logs of many blocks with lifecycle transitions,
// scores, unmatched names and malformed rows.
func TestReplayColumnsMatchesEvents(t *testing.T) {
	j, err := journey.Load("examples/retail/journey.yaml")
	require.NoError(t, err)
	dir := t.TempDir()
	logs := map[string]string{}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"time order": func(b *bytes.Buffer) error { return simulate.WriteCSV(b, simulate.Retail(), 12000, 3) },
		"by case":    func(b *bytes.Buffer) error { return simulate.WriteCSVByCase(b, simulate.Retail(), 12000, 3) },
	} {
		var buf bytes.Buffer
		require.NoError(t, write(&buf))
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		// Add a lifecycle and an NPS column; every 7th visit gets a
		// start before it, every 50th row a name no touchpoint has, every
		// 301st a timestamp that does not parse.
		var out strings.Builder
		out.WriteString(lines[0] + ",lifecycle,nps\n")
		for i, ln := range lines[1:] {
			f := strings.Split(ln, ",")
			nps := ""
			if i%3 == 0 {
				nps = fmt.Sprint(i % 11) // every score, 0 to 10
			}
			switch {
			case i%301 == 0:
				f[2] = "yesterday"
			case i%50 == 0:
				f[1] = "Unknown Step"
			case i%7 == 0:
				at, err := time.Parse(time.RFC3339, f[2])
				require.NoError(t, err)
				start := slices.Clone(f)
				start[2] = at.Add(-time.Minute).Format(time.RFC3339)
				out.WriteString(strings.Join(start, ",") + ",Start,\n")
			}
			out.WriteString(strings.Join(f, ",") + ",COMPLETE," + nps + "\n")
		}
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".csv")
		require.NoError(t, os.WriteFile(path, []byte(out.String()), 0o644))
		logs[name] = path
		// The same rows as JSON Lines, empty values left out.
		rows := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		keys := strings.Split(rows[0], ",")
		var jl strings.Builder
		for _, row := range rows[1:] {
			var kv []string
			for i, v := range strings.Split(row, ",") {
				if v != "" {
					kv = append(kv, fmt.Sprintf("%q:%q", keys[i], v))
				}
			}
			jl.WriteString("{" + strings.Join(kv, ",") + "}\n")
		}
		path = filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".jsonl")
		require.NoError(t, os.WriteFile(path, []byte(jl.String()), 0o644))
		logs[name+", JSON Lines"] = path
	}
	modes := map[string]replay.Options{
		"whole":               {KeepCases: true},
		"horizon":             {KeepCases: true, Horizon: 24 * time.Hour},
		"grouped":             {KeepCases: true, Grouped: true},
		"whole, by persona":   {KeepCases: true, BySegment: true},
		"grouped, by persona": {KeepCases: true, Grouped: true, BySegment: true},
	}
	for name, path := range logs {
		for mode, opts := range modes {
			if strings.HasPrefix(mode, "grouped") && !strings.HasPrefix(name, "by case") || mode == "horizon" && !strings.HasPrefix(name, "time order") {
				continue
			}
			what := name + ", " + mode
			segment := ""
			if opts.BySegment {
				segment = "persona"
			}
			byRow, rowReport, rowStats := replayWith(t, j, path, opts, segment, false)
			byCol, colReport, colStats := replayWith(t, j, path, opts, segment, true)
			if opts.BySegment {
				assert.Greater(t, len(byCol.Segments), 2, what)
			}
			assert.Equal(t, rowReport, colReport, what)
			assert.Equal(t, rowStats, colStats, what)
			assert.Equal(t, byRow.Events, byCol.Events, what)
			assert.Equal(t, byRow.CaseList, byCol.CaseList, what)
			assert.NotZero(t, byRow.Events.Malformed, what)
			assert.NotZero(t, byRow.Events.Unmatched, what)
		}
	}
}

// replayWith replays the log at path through its column reader or an
// event at a time (segmented by the column segment, if not empty), and
// returns the result, its report as JSON and the reader's stats.
func replayWith(t *testing.T, j *journey.Journey, path string, opts replay.Options, segment string, columns bool) (*replay.Result, string, eventlog.Stats) {
	t.Helper()
	eo := eventlog.Options{Attrs: []string{}}
	if segment != "" {
		eo.Attrs = []string{segment}
		if columns {
			eo.SegmentCol = segment
		}
	}
	r, err := eventlog.Open(path, eo)
	require.NoError(t, err)
	defer r.Close()
	var res *replay.Result
	var stats eventlog.Stats
	if columns {
		cr, ok := eventlog.AsColumnReader(r)
		require.True(t, ok)
		res, err = replay.RunColumns(t.Context(), j, journeymap.NewColumnSource(cr), opts)
		stats = cr.Stats()
	} else {
		src := journeymap.NewEventSource(r, segment)
		res, err = replay.Run(t.Context(), j, src, opts)
		stats = src.Stats()
	}
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, friction.Analyze(j, res, friction.Options{}).WriteJSON(&buf))
	return res, buf.String(), stats
}

// The last progress call has the whole file's count of rows, even when
// the last blocks are all malformed rows, in every format read in blocks.
func TestProgressEndsWithEveryRow(t *testing.T) {
	dir := t.TempDir()
	var csv, jl strings.Builder
	csv.WriteString("case_id,touchpoint,timestamp\n")
	for i := range 20000 {
		ts := fmt.Sprintf("2024-05-01T10:%02d:%02dZ", i/60%60, i%60)
		if i >= 12000 {
			ts = "not a time"
		}
		fmt.Fprintf(&csv, "c%d,home,%s\n", i/5, ts)
		fmt.Fprintf(&jl, `{"case_id":"c%d","touchpoint":"home","timestamp":%q}`+"\n", i/5, ts)
	}
	for name, data := range map[string]string{"log.csv": csv.String(), "log.jsonl": jl.String()} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
		var calls int
		var last int64
		report, err := journeymap.Analyze(t.Context(), "examples/retail/journey.yaml", path, journeymap.Options{Progress: func(rows int64) { calls, last = calls+1, rows }})
		require.NoError(t, err, name)
		assert.EqualValues(t, 20000, report.Events.Read, name)
		assert.EqualValues(t, 8000, report.Events.Malformed, name)
		assert.Greater(t, calls, 2, name)
		assert.EqualValues(t, 20000, last, name)
	}
}
