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

// -o keeps the permissions of the file it writes over, gives a new one
// what the umask allows, and writes through a symbolic link, which stays
// a link.
func TestOutputKeepsModesAndLinks(t *testing.T) {
	dir := t.TempDir()
	args := []string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv", "-o"}
	old := filepath.Join(dir, "old.txt")
	require.NoError(t, os.WriteFile(old, []byte("yesterday"), 0o600))
	code, _, errOut := runCmd(append(args, old)...)
	require.Equal(t, 0, code, errOut)
	st, err := os.Stat(old)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "a private report stays private")

	fresh := filepath.Join(dir, "new.txt")
	code, _, errOut = runCmd(append(args, fresh)...)
	require.Equal(t, 0, code, errOut)
	st, err = os.Stat(fresh)
	require.NoError(t, err)
	probe := filepath.Join(dir, "probe")
	require.NoError(t, os.WriteFile(probe, nil, 0o666)) // what the umask gives
	want, err := os.Stat(probe)
	require.NoError(t, err)
	assert.Equal(t, want.Mode().Perm(), st.Mode().Perm())

	target := filepath.Join(dir, "target.txt")
	require.NoError(t, os.WriteFile(target, []byte("x"), 0o640))
	link := filepath.Join(dir, "link.txt")
	require.NoError(t, os.Symlink(target, link))
	code, _, errOut = runCmd(append(args, link)...)
	require.Equal(t, 0, code, errOut)
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink, "the link stays a link")
	data, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "Journey "), "the report is in the file it names")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasSuffix(e.Name(), ".tmp"), "no temporary file left: %s", e.Name())
	}
}
