package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// -o never overwrites an input of the run, however it is named: the same
// path, ./ in front, a symbolic link, a hard link.
func TestOutputNeverOverwritesAnInput(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../../examples/retail/events.csv")
	require.NoError(t, err)
	log := filepath.Join(dir, "events.csv")
	require.NoError(t, os.WriteFile(log, data, 0o600))
	require.NoError(t, os.Symlink(log, filepath.Join(dir, "link.csv")))
	require.NoError(t, os.Link(log, filepath.Join(dir, "hard.csv")))
	for _, out := range []string{log, filepath.Join(dir, ".", "events.csv"), filepath.Join(dir, "link.csv"), filepath.Join(dir, "hard.csv")} {
		code, _, errOut := runCmd("analyze", "--journey", "../../examples/retail/journey.yaml", "--events", log, "-o", out)
		assert.NotEqual(t, 0, code, out)
		assert.Contains(t, errOut, "is the file --events reads", out)
		after, err := os.ReadFile(log)
		require.NoError(t, err)
		assert.Equal(t, data, after, "the log is intact after -o %s", out)
	}
	code, _, errOut := runCmd("analyze", "--journey", "../../examples/retail/journey.yaml", "--events", log, "-o", "../../examples/retail/journey.yaml")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errOut, "is the file --journey reads")
}

// Without --format, -o's extension says the format.
func TestOutputFormatFromExtension(t *testing.T) {
	dir := t.TempDir()
	for ext, start := range map[string]string{".html": "<!DOCTYPE html>", ".json": "{", ".md": "# Journey friction", ".dot": "digraph", ".txt": "Journey "} {
		out := filepath.Join(dir, "report"+ext)
		code, _, errOut := runCmd("analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv", "-o", out)
		require.Equal(t, 0, code, errOut)
		got, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(got), start), "%s starts %q", ext, string(got[:min(40, len(got))]))
	}
	// --format wins over the extension.
	out := filepath.Join(dir, "report.html")
	code, _, _ := runCmd("analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv", "--format", "json", "-o", out)
	require.Equal(t, 0, code)
	got, _ := os.ReadFile(out)
	assert.True(t, strings.HasPrefix(string(got), "{"))
}
