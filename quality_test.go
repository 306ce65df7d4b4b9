package journeymap_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap"
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
	qe, ok := errors.AsType[*journeymap.QualityError](err)
	require.True(t, ok, "%v", err)
	assert.InDelta(t, 0.61, float64(qe.Malformed)/float64(qe.Rows), 0.02)
	assert.Equal(t, "TimeFormat", qe.Option)
	assert.Contains(t, qe.Reason, `timestamp "…"`, "the reason, with no value of the log in it")

	rep, err := journeymap.Analyze(ctx, j, spoil(t, 0.10), journeymap.Options{})
	require.NoError(t, err)
	require.Len(t, rep.Warnings, 1)
	assert.Contains(t, rep.Warnings[0], "(10%) are malformed and were skipped")
	var text, md, html strings.Builder
	require.NoError(t, rep.WriteText(&text))
	require.NoError(t, rep.WriteMarkdown(&md))
	require.NoError(t, rep.WriteHTML(&html))
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
