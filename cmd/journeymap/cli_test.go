package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/journeymap/journeymap/internal/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goVersion is the Go a binary was built with, which --version prints and
// the golden files cannot know.
var goVersion = regexp.MustCompile(`go1\.[0-9]+(\.[0-9]+)?\S*`)

// Every subcommand's stdout, stderr and exit code, for help, --version,
// usage errors and diff's exits, are golden (testdata/cli/*.txt; rewrite
// with -update), as benchstat tests its own.
func TestCommandLineGolden(t *testing.T) {
	dir := t.TempDir()
	report := func(name, events string) string {
		p := filepath.Join(dir, name)
		code, _, errOut := runCmd("analyze", "--journey", "../../examples/retail/journey.yaml", "--events", events, "--format", "json", "-o", p)
		require.Equal(t, 0, code, errOut)
		return p
	}
	before := report("before.json", "../../examples/retail/events.csv")
	// After: the exchange's store step loses most of its customers.
	data, err := os.ReadFile("../../examples/retail/events.csv")
	require.NoError(t, err)
	var kept []string
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if i > 0 && strings.Contains(line, ",store_exchange,") && i%3 != 0 {
			continue
		}
		kept = append(kept, line)
	}
	worse := filepath.Join(dir, "worse.csv")
	require.NoError(t, os.WriteFile(worse, []byte(strings.Join(kept, "\n")+"\n"), 0o600))
	after := report("after.json", worse)
	cut := filepath.Join(dir, "cut.json")
	b, err := os.ReadFile(before)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cut, b[:len(b)/2], 0o600))

	cases := []struct {
		name string
		args []string
	}{
		{"bare", nil},
		{"help", []string{"help"}},
		{"dash-h", []string{"-h"}},
		{"version", []string{"--version"}},
		{"version-word", []string{"version"}},
		{"unknown-command", []string{"frobnicate"}},
		{"bad-flag", []string{"graph", "--bogus"}},
		{"help-validate", []string{"help", "validate"}},
		{"diff-same", []string{"diff", before, before}},
		{"diff-regressed", []string{"diff", before, after}},
		{"diff-cut-short", []string{"diff", before, cut}},
		{"diff-one-file", []string{"diff", before}},
		{"completion-no-shell", []string{"completion"}},
		{"completion-bad-shell", []string{"completion", "tcsh"}},
	}
	for _, c := range commands() {
		cases = append(cases, struct {
			name string
			args []string
		}{c.name + "-help", []string{c.name, "--help"}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(tc.args...)
			norm := func(s string) string { return goVersion.ReplaceAllString(strings.ReplaceAll(s, dir, "$DIR"), "goX") }
			got := fmt.Sprintf("exit %d\n-- stdout --\n%s-- stderr --\n%s", code, norm(out), norm(errOut))
			path := filepath.Join("testdata", "cli", tc.name+".txt")
			golden.Check(t, path, []byte(got))
		})
	}
}

// The README's "The command" block is `journeymap help`, word for word.
func TestREADMEUsageIsHelp(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(readme), "## The command\n\n```\n")
	require.True(t, ok, "the README has a \"## The command\" section with a code block")
	block, _, _ := strings.Cut(rest, "```\n")
	_, help, _ := runCmd("help")
	assert.Equal(t, help, block, "regenerate the block from: go run ./cmd/journeymap help")
}
