package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/internal/simulate"
)

// journeymap watch on weeks of a healthy journey and then a planted
// drop-off writes one alert, as a JSON line, for the planted touchpoint.
func TestWatchAlertsAsJSONLines(t *testing.T) {
	sc := simulate.Scenarios()[1]
	dir := t.TempDir()
	jpath := filepath.Join(dir, "journey.yaml")
	require.NoError(t, os.WriteFile(jpath, []byte(sc.Journey), 0o600))
	i := slices.IndexFunc(sc.Plants, func(p simulate.Plant) bool { return p.Reason == "outlier" })
	require.GreaterOrEqual(t, i, 0)
	week := 7 * 24 * time.Hour
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	type row struct {
		line string
		at   time.Time
	}
	var rows []row
	gen := func(b simulate.Behaviour, from time.Time, weeks int, prefix string, seed uint64) {
		b.Start, b.Span = from, time.Duration(weeks)*week
		require.NoError(t, simulate.Generate(b, 600*weeks, seed, func(e simulate.Event) error {
			line, err := json.Marshal(map[string]string{"case_id": prefix + e.Case, "touchpoint": e.Touchpoint, "timestamp": e.Time.Format(time.RFC3339)})
			rows = append(rows, row{string(line), e.Time})
			return err
		}))
	}
	gen(sc.Healthy(), start, 6, "h", 1)
	planted := sc.Healthy()
	sc.Plants[i].Apply(&planted)
	gen(planted, start.Add(6*week), 4, "p", 2)
	slices.SortStableFunc(rows, func(a, b row) int { return a.at.Compare(b.at) })
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.line + "\n")
	}
	log := filepath.Join(dir, "events.jsonl")
	require.NoError(t, os.WriteFile(log, []byte(b.String()), 0o600))

	code, out, errOut := runCmd("watch", "--journey", jpath, "--events", log, "--window", "7d")
	require.Equal(t, 0, code, errOut)
	// The first alert is the planted drop-off, in the first week judged
	// after the change; any other (a change in another window or on
	// another touchpoint passing the test by chance, at most 5% a window
	// across its findings) comes after it.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.NotEmpty(t, lines[0], "an alert:\n%s", out)
	var a struct {
		Window  struct{ Start, End time.Time }
		Change  string
		Finding struct {
			Kind, Reason string
			Touchpoints  []string
		}
		Summary string
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &a))
	assert.Contains(t, []string{"new", "regressed"}, a.Change)
	assert.Equal(t, "drop_off", a.Finding.Kind)
	assert.Equal(t, sc.Plants[i].Touchpoints[0], a.Finding.Touchpoints[0])
	assert.False(t, a.Window.Start.Before(start.Add(6*week)), "not before the change: %v", a.Window)
	assert.True(t, a.Window.Start.Before(start.Add(8*week)), "within two weeks of it: %v", a.Window)
	assert.Contains(t, errOut, fmt.Sprintf("%d events replayed, 0 later than --lateness", len(rows)))
	assert.Contains(t, errOut, fmt.Sprintf("; %d alerts", len(lines)))
}
