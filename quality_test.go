package journeymap_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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
	"github.com/journeymap/journeymap/friction/render"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// spoil writes the retail example's log with the timestamps of a share of
// its rows made garbage.
func spoil(t *testing.T, share float64) string {
	t.Helper()
	data, err := os.ReadFile("examples/retail/events.csv")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	ti := strings.Index(lines[0], "timestamp")
	require.GreaterOrEqual(t, ti, 0)
	col := strings.Count(lines[0][:ti], ",")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 1; i < len(lines); i++ {
		if rng.Float64() < share {
			f := strings.Split(lines[i], ",")
			f[col] = "garbage"
			lines[i] = strings.Join(f, ",")
		}
	}
	path := filepath.Join(t.TempDir(), "events.csv")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600))
	return path
}

// A log that is mostly broken gets a clear no; one partly broken gets a
// report that says so in every rendering; one with no rows is no events.
func TestDataQuality(t *testing.T) {
	ctx := context.Background()
	const j = "examples/retail/journey.yaml"

	_, err := journeymap.Analyze(ctx, j, spoil(t, 0.61), journeymap.Options{})
	var qe *journeymap.QualityError
	ok := errors.As(err, &qe)
	require.True(t, ok, "%v", err)
	assert.InDelta(t, 0.61, float64(qe.Malformed)/float64(qe.Rows), 0.02)
	assert.Equal(t, "TimeFormat", qe.Option)
	assert.Contains(t, qe.Reason, `timestamp "…"`, "the reason, with no value of the log in it")

	rep, err := journeymap.Analyze(ctx, j, spoil(t, 0.10), journeymap.Options{})
	require.NoError(t, err)
	require.Len(t, rep.Warnings, 1)
	assert.Contains(t, rep.Warnings[0], "(10%) are malformed and were skipped")
	var text, md, html strings.Builder
	require.NoError(t, render.Text(&text, rep))
	require.NoError(t, render.Markdown(&md, rep))
	require.NoError(t, render.HTML(&html, rep))
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String(), "html": html.String()} {
		assert.Contains(t, out, "Warning", name)
		assert.Contains(t, out, "are malformed and were skipped", name)
	}

	clean, err := journeymap.Analyze(ctx, j, "examples/retail/events.csv", journeymap.Options{})
	require.NoError(t, err)
	assert.Empty(t, clean.Warnings)

	empty := filepath.Join(t.TempDir(), "empty.csv")
	require.NoError(t, os.WriteFile(empty, []byte("case_id,touchpoint,timestamp\n"), 0o600))
	_, err = journeymap.Analyze(ctx, j, empty, journeymap.Options{})
	assert.ErrorIs(t, err, journeymap.ErrNoEvents)
	assert.ErrorContains(t, err, "the log has no events")
}

// The exports a CX team has on its disk give the report the plain CSV
// gives: Excel in a European locale, a .tsv, a .json array, a header and
// names written as a CRM writes them.
func TestExportsGiveThePlainReport(t *testing.T) {
	ctx := context.Background()
	const j = "examples/retail/journey.yaml"
	data, err := os.ReadFile("examples/retail/events.csv")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	header := strings.Split(lines[0], ",")
	var rows [][]string
	for _, l := range lines[1:] {
		rows = append(rows, strings.Split(l, ","))
	}
	join := func(sep, eol string, head []string, cell func(col int, v string) string) string {
		var b strings.Builder
		b.WriteString(strings.Join(head, sep) + eol)
		for _, r := range rows {
			out := make([]string, len(r))
			for i, v := range r {
				out[i] = cell(i, v)
			}
			b.WriteString(strings.Join(out, sep) + eol)
		}
		return b.String()
	}
	same := func(_ int, v string) string { return v }
	score := func(col int, v string) bool { return header[col] == "csat" || header[col] == "ces" }
	var arr strings.Builder
	arr.WriteString("[\n")
	for k, r := range rows {
		arr.WriteString("  {")
		for i, v := range r {
			if i > 0 {
				arr.WriteString(", ")
			}
			val := `"` + v + `"`
			if score(i, v) {
				if v == "" {
					val = "null"
				} else {
					val = v
				}
			}
			arr.WriteString(`"` + header[i] + `": ` + val)
		}
		arr.WriteString("}")
		if k < len(rows)-1 {
			arr.WriteString(",")
		}
		arr.WriteString("\n")
	}
	arr.WriteString("]\n")
	tpCol := slices.Index(header, "touchpoint")
	crmName := func(v string) string { // select_shipping -> Select Shipping
		words := strings.Split(v, "_")
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
		return strings.Join(words, " ")
	}
	exports := map[string]string{
		"excel.csv": "\xef\xbb\xbf" + join(";", "\r\n", header, func(col int, v string) string {
			if score(col, v) && v != "" && !strings.Contains(v, ".") {
				return v + ",0" // Excel writes 4 as 4,0 in a European locale
			}
			return strings.ReplaceAll(v, ".", ",")
		}),
		"export.tsv":  join("\t", "\n", header, same),
		"export.json": arr.String(),
		"crm.csv": join(",", "\n", []string{"Case ID", "Touchpoint", "TimeStamp", "Channel", "CSAT", "CES", "Persona"}, func(col int, v string) string {
			if col == tpCol {
				return crmName(v)
			}
			return v
		}),
	}
	require.Equal(t, []string{"case_id", "touchpoint", "timestamp", "channel", "csat", "ces", "persona"}, header, "the example's columns, as the exports above assume")
	plain, err := journeymap.Analyze(ctx, j, "examples/retail/events.csv", journeymap.Options{})
	require.NoError(t, err)
	var want strings.Builder
	require.NoError(t, render.Text(&want, plain))
	dir := t.TempDir()
	for name, log := range exports {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(path, []byte(log), 0o600))
			rep, err := journeymap.Analyze(ctx, j, path, journeymap.Options{})
			require.NoError(t, err)
			var got strings.Builder
			require.NoError(t, render.Text(&got, rep))
			if name == "crm.csv" {
				// The same report, and the names met loosely listed.
				require.NotEmpty(t, rep.LooseNames)
				assert.Equal(t, plain.Findings, rep.Findings)
				assert.Equal(t, plain.Events, rep.Events)
				return
			}
			assert.Equal(t, want.String(), got.String())
		})
	}
}

// A horizon shorter than the case timeout splits pausing customers into
// two cases: the report says so, and says nothing where it is long enough.
func TestHorizonShorterThanTimeoutWarns(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		horizon time.Duration
		warns   bool
	}{{24 * time.Hour, true}, {30 * 24 * time.Hour, false}} {
		var opts journeymap.Options
		opts.Replay.Horizon = tc.horizon
		rep, err := journeymap.Analyze(ctx, "examples/retail/journey.yaml", "examples/retail/events.csv", opts)
		require.NoError(t, err)
		var found bool
		for _, w := range rep.Warnings {
			found = found || strings.Contains(w, "is shorter than the journey's case_timeout (5d)")
		}
		assert.Equal(t, tc.warns, found, "horizon %v: %q", tc.horizon, rep.Warnings)
	}
}

// A log truncated while it is read gives no report: it would describe
// neither the log before nor the log after.
func TestLogTruncatedWhileReadIsAnError(t *testing.T) {
	data, err := os.ReadFile("examples/retail/events.csv")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "events.csv")
	// Sorted by case, so that it is read once, a case at a time, and big
	// enough to be read in several batches.
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var rows []string
	for k := range 4 {
		for _, l := range lines[1:] {
			rows = append(rows, fmt.Sprintf("k%d%s", k, l))
		}
	}
	slices.SortStableFunc(rows, func(a, b string) int {
		return strings.Compare(a[:strings.IndexByte(a, ',')], b[:strings.IndexByte(b, ',')])
	})
	log := []byte(lines[0] + "\n" + strings.Join(rows, "\n") + "\n")
	require.NoError(t, os.WriteFile(path, log, 0o600))
	truncated := false
	opts := journeymap.Options{Progress: func(int64) {
		if !truncated {
			truncated = true
			require.NoError(t, os.Truncate(path, int64(len(log)/2)))
		}
	}}
	_, err = journeymap.Analyze(context.Background(), "examples/retail/journey.yaml", path, opts)
	require.True(t, truncated, "the read was watched")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the file changed while it was read")
}

// panicky is a caller's reader that panics after a few events.
type panicky struct{ n int }

func (p *panicky) Read() (eventlog.Event, error) {
	if p.n++; p.n > 3 {
		panic("a bug in the caller's reader")
	}
	return eventlog.Event{Case: "c", Touchpoint: "home", Time: time.Date(2024, 1, 1, 0, p.n, 0, 0, time.UTC), CSAT: eventlog.NoScore, CES: eventlog.NoScore, NPS: eventlog.NoScore}, nil
}
func (p *panicky) Stats() eventlog.Stats { return eventlog.Stats{} }
func (p *panicky) Close() error          { return nil }

// A caller's reader that panics is an error of the replay, not the end of
// the caller's process: it runs on a goroutine of the library's.
func TestPanickingReaderIsAnError(t *testing.T) {
	j, err := journey.Load("examples/retail/journey.yaml")
	require.NoError(t, err)
	src := journeymap.NewEventSource(&panicky{}, "")
	defer src.Stop()
	_, err = replay.Run(context.Background(), j, src, replay.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the event reader panicked: a bug in the caller's reader")
}
