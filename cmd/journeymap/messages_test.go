package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeymap/journeymap/internal/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// retailRows is the retail example's log as a header and rows.
func retailRows(t *testing.T) (string, []string) {
	t.Helper()
	data, err := os.ReadFile("../../examples/retail/events.csv")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return lines[0], lines[1:]
}

// spoilColumn rewrites column col of a share of the rows with bad.
func spoilColumn(rows []string, col int, share float64, bad func(string) string) []string {
	rng := rand.New(rand.NewPCG(7, 8))
	out := make([]string, len(rows))
	for i, r := range rows {
		f := strings.Split(r, ",")
		if rng.Float64() < share {
			f[col] = bad(f[col])
		}
		out[i] = strings.Join(f, ",")
	}
	return out
}

// The command's answer to the inputs a user really gives it — exit code,
// and every word on stderr — is golden (testdata/messages/*.txt; rewrite
// with -update). The scratch directory is written $DIR.
func TestMessagesGolden(t *testing.T) {
	dir := t.TempDir()
	header, rows := retailRows(t)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	lines := func(rs []string) string { return header + "\n" + strings.Join(rs, "\n") + "\n" }
	const j = "../../examples/retail/journey.yaml"
	garbage := func(string) string { return "garbage" }
	typo := func(s string) string { return s + "x" }
	cases := []struct {
		name string
		args []string
	}{
		{"mostly-malformed", []string{"analyze", "--journey", j, "--events", write("broken.csv", lines(spoilColumn(rows, 2, 0.61, garbage)))}},
		{"some-malformed", []string{"analyze", "--journey", j, "--events", write("some.csv", lines(spoilColumn(rows, 2, 0.10, garbage)))}},
		{"mostly-unmatched", []string{"analyze", "--journey", j, "--events", write("names.csv", lines(spoilColumn(rows, 1, 0.70, typo)))}},
		{"no-header", []string{"analyze", "--journey", j, "--events", write("nohdr.csv", strings.Join(rows[:20], "\n")+"\n")}},
		{"header-only", []string{"analyze", "--journey", j, "--events", write("empty.csv", header+"\n")}},
		{"missing-columns", []string{"analyze", "--journey", j, "--events", write("cols.csv", "case_idd,activity,when\nc1,home,2024-05-01\n")}},
		{"output-is-input", []string{"analyze", "--journey", j, "--events", write("in.csv", lines(rows)), "-o", filepath.Join(dir, "in.csv")}},
		{"short-horizon", []string{"analyze", "--journey", j, "--events", write("h.csv", lines(rows)), "--horizon", "1d", "-o", filepath.Join(dir, "h.txt")}},
		{"spreadsheet-workbook", []string{"analyze", "--journey", j, "--events", write("log.xlsx", "x")}},
		{"unknown-extension", []string{"analyze", "--journey", j, "--events", write("log.txt", "x")}},
		{"empty-period", []string{"analyze", "--journey", j, "--events", write("p.csv", lines(rows)), "--since", "2030-01-01"}},
		{"bad-period", []string{"analyze", "--journey", j, "--events", write("p2.csv", lines(rows)), "--since", "2024-04-01", "--until", "2024-03-01"}},
		{"segment-by-case-id", []string{"analyze", "--journey", j, "--events", write("sc.csv", lines(rows)), "--segment", "case_id", "-o", filepath.Join(dir, "sc.txt")}},
		{"segment-by-an-id", []string{"analyze", "--journey", j, "--events", write("si.csv", header+",ticket\n"+strings.Join(numbered(rows), "\n")+"\n"), "--segment", "ticket", "-o", filepath.Join(dir, "si.txt")}},
		{"no-segment-column", []string{"analyze", "--journey", j, "--events", write("seg.csv", lines(rows)), "--segment", "region", "-o", filepath.Join(dir, "seg.txt")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCmd(tc.args...)
			got := fmt.Sprintf("exit %d\n%s", code, strings.ReplaceAll(errOut, dir, "$DIR"))
			path := filepath.Join("testdata", "messages", tc.name+".txt")
			golden.Check(t, path, []byte(got))
			assert.NotContains(t, errOut, "goroutine", "no stack trace")
		})
	}
}

// numbered gives every row a value of its own in a last column: an id.
func numbered(rows []string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%s,T%d", r, i)
	}
	return out
}
