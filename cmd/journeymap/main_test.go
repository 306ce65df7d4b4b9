package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeymap/journeymap/journey"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCmd runs the command in-process and returns its exit code and outputs.
func runCmd(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestValidate(t *testing.T) {
	code, out, errOut := runCmd("validate", "../../examples/retail/journey.yaml")
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, "../../examples/retail/journey.yaml: ok: retail-omnichannel (4 stages, 17 touchpoints, 23 transitions, 0 warnings)\n", out)

	code, out, errOut = runCmd("validate", "../../journey/testdata/broken/typos.yaml")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	assert.Len(t, lines, 12, "every problem in the file, one per line:\n%s", errOut)
	assert.Contains(t, errOut, `typos.yaml:25:10: transition to unknown touchpoint "chekout" (did you mean "checkout"?)`)
	assert.NotContains(t, errOut, "goroutine", "no stack traces")
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"validate"}, "want one journey file, got 0 arguments"},
		{[]string{"validate", "a.yaml", "b.yaml"}, "want one journey file, got 2 arguments"},
		{[]string{"validate", "nope.yaml"}, "cannot open journey file: open nope.yaml: no such file or directory"},
		{[]string{"graph", "../../examples/retail/journey.yaml", "--format", "png"}, `unknown --format "png": use dot or mermaid`},
		{[]string{"graph", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	}
	for _, tc := range tests {
		code, out, errOut := runCmd(tc.args...)
		assert.Equal(t, 1, code, tc.args)
		assert.Empty(t, out, tc.args)
		assert.Contains(t, errOut, tc.want, tc.args)
	}
}

func TestGraph(t *testing.T) {
	journeyFile := "../../examples/tv-installation/journey.yaml"
	code, dot, errOut := runCmd("graph", journeyFile) // dot is the default
	require.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasPrefix(dot, `digraph "tv-installation" {`))

	// Flags may come after the file, and -o writes a file.
	outFile := filepath.Join(t.TempDir(), "tv.mmd")
	code, out, errOut := runCmd("graph", journeyFile, "--format", "mermaid", "-o", outFile)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, out)
	written, err := os.ReadFile(outFile)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(written), "flowchart TB\n"))
	assert.Equal(t, 19, strings.Count(string(written), " --> "), "one edge per transition")
}

func TestAnalyzeRetail(t *testing.T) {
	args := []string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv"}
	code, text, errOut := runCmd(args...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, text, "Findings (")
	assert.Contains(t, text, "inconsistent_handoff/stage_effort")
	_, again, _ := runCmd(args...)
	assert.Equal(t, text, again, "byte-identical output")

	dir := t.TempDir()
	before := filepath.Join(dir, "before.json")
	code, _, errOut = runCmd(append(args, "--format", "json", "-o", before, "--segment", "persona")...)
	require.Equal(t, 0, code, errOut)
	data, err := os.ReadFile(before)
	require.NoError(t, err)
	for _, key := range []string{`"journey"`, `"events"`, `"cases"`, `"fitness"`, `"touchpoints"`, `"stages"`, `"handoffs"`, `"findings"`, `"segments"`, `"segment": "new_customer"`} {
		assert.Contains(t, string(data), key)
	}

	// diff of a report with itself: nothing changed.
	code, out, errOut := runCmd("diff", before, before, "--fail-on-regression")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Unchanged (3)\n  = ")
	assert.NotContains(t, out, "Appeared")
	code, out, errOut = runCmd("diff", before, before, "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "## Journey retail-omnichannel: before and after\n\n| | before | after |")
	assert.Contains(t, out, "corrected together by Holm's method")

	code, _, errOut = runCmd("diff", before, "../../examples/retail/journey.yaml")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "journey.yaml")
}

func TestAnalyzeErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "--events", "x.csv"}, "--journey is required"},
		{[]string{"analyze", "--journey", "../../examples/retail/journey.yaml"}, "--events is required"},
		{[]string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "nope.csv"}, "cannot open event log: open nope.csv: no such file or directory"},
		{[]string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../go.mod"}, "cannot tell the log's format"},
		{[]string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../eventlog/testdata/malformed.csv", "--strict"}, "malformed.csv:3: empty case id"},
		{[]string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv", "--format", "pdf"}, `unknown --format "pdf": use text, json, markdown, html or dot`},
		{[]string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv", "--timezone", "Mars/Olympus"}, `unknown --timezone "Mars/Olympus"`},
		{[]string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv", "--examples", "-1"}, "--examples -1: give how many example cases to show, 0 or more"},
		{[]string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv", "--segment", "nosuchcol"}, `no event has a "nosuchcol" column or attribute to segment by; the log's columns are case_id, touchpoint, timestamp, channel, csat, ces, persona`},
		{[]string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv", "--time-format", "%Q"}, "bad --time-format: time format \"%Q\": unknown directive %Q"},
	}
	for _, tc := range tests {
		code, out, errOut := runCmd(tc.args...)
		assert.Equal(t, 1, code, tc.args)
		assert.Empty(t, out, tc.args)
		assert.Contains(t, errOut, tc.want, tc.args)
		assert.NotContains(t, errOut, "goroutine", "no stack traces")
	}
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	yamlPath := filepath.Join(dir, "as-is.yaml")
	code, _, errOut := runCmd("discover", "--events", "../../examples/tv-installation/events.csv", "-o", yamlPath)
	require.Equal(t, 0, code, errOut)
	code, out, errOut := runCmd("validate", yamlPath)
	require.Equal(t, 0, code, "the discovered journey validates: %s", errOut)
	assert.Contains(t, out, "ok: events")
	written, err := os.ReadFile(yamlPath)
	require.NoError(t, err)
	ends := strings.Count(string(written), "end here: a success, a designed end (outcome: ...), or a drop-off?")
	assert.Greater(t, ends, 1, "every end asks how cases end there")
	assert.Equal(t, 1, strings.Count(string(written), "goal: true"), "only the most common end is marked, for the draft to validate")

	// Lifecycle: by default every row, as PM4Py counts; --lifecycle complete keeps completions.
	logPath := filepath.Join(dir, "lifecycle.csv")
	require.NoError(t, os.WriteFile(logPath, []byte("case_id,touchpoint,timestamp,lifecycle\nc1,a,2024-05-01 10:00:00,start\nc1,a,2024-05-01 10:05:00,complete\nc1,b,2024-05-01 10:06:00,complete\n"), 0o644))
	code, js, _ := runCmd("discover", logPath, "--format", "json")
	require.Equal(t, 0, code)
	assert.Contains(t, js, `"events": 3`)
	code, js, _ = runCmd("discover", logPath, "--format", "json", "--lifecycle", "complete")
	require.Equal(t, 0, code)
	assert.Contains(t, js, `"events": 2`)
	code, _, errOut = runCmd("discover", logPath, "--lifecycle", "done")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `unknown --lifecycle "done": use all or complete`)

	code, js, errOut = runCmd("discover", "../../eventlog/testdata/shop.jsonl", "--format", "json")
	require.Equal(t, 0, code, errOut)
	for _, key := range []string{`"cases": 2`, `"events": 6`, `"touchpoints": 4`, `"dfg"`, `"start"`, `"end"`, `"variants"`, `"rework"`, `"case_duration_s"`} {
		assert.Contains(t, js, key)
	}
}

// Reports carry no case ids unless asked; --pseudonymize replaces every
// one with a keyed hash that is stable for a key.
func TestCaseIDsOnlyWhenAskedAndPseudonymized(t *testing.T) {
	base := []string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv", "--format", "json"}
	_, plain, _ := runCmd(base...)
	assert.NotContains(t, plain, `"C0`, "no case ids by default")
	assert.NotContains(t, plain, "example_cases")

	_, raw, _ := runCmd(append(base, "--examples", "3")...)
	assert.NotContains(t, raw, `"C0`, "examples without a key are paths and counts, never ids")
	assert.Contains(t, raw, `"example_paths"`)
	assert.Contains(t, raw, `"shared_by_fewer_than": 5`)

	const key1, key2 = "key-one-0123456789", "key-two-0123456789"
	_, p1, _ := runCmd(append(base, "--examples", "3", "--pseudonymize", key1)...)
	_, p1again, _ := runCmd(append(base, "--examples", "3", "--pseudonymize", key1)...)
	_, p2, _ := runCmd(append(base, "--examples", "3", "--pseudonymize", key2)...)
	assert.NotContains(t, p1, `"C0`, "every case id is replaced")
	assert.Contains(t, p1, `"p-`)
	assert.Equal(t, p1, p1again, "the same key gives the same pseudonyms: reports can be joined")
	assert.NotEqual(t, p1, p2, "another key, other pseudonyms")

	t.Setenv("JOURNEYMAP_PSEUDONYMIZE_KEY", key1)
	_, env, _ := runCmd(append(base, "--examples", "3")...)
	assert.Equal(t, p1, env, "the key may come from the environment")

	code, out, errOut := runCmd(append(base, "--examples", "3", "--pseudonymize", "k")...)
	assert.Equal(t, 1, code, "a one-byte key is refused")
	assert.Empty(t, out)
	assert.Contains(t, errOut, "a pseudonymization key of 1 bytes is too short")
}

// Names from a log are shown as text: control sequences cannot reach a
// terminal, two different invalid names stay two, and a column of ids
// taken for event names is counted, not listed.
func TestLogTextIsShownSafely(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "hostile.csv")
	rows := "case_id,touchpoint,timestamp\nc1,home,2024-05-01T10:00:00Z\nc1,a\xff,2024-05-01T10:01:00Z\nc1,a\xfe,2024-05-01T10:02:00Z\nc1,\x1b[2Jwiped,2024-05-01T10:03:00Z\n"
	require.NoError(t, os.WriteFile(logPath, []byte(rows), 0o644))
	args := []string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--events", logPath}
	code, text, errOut := runCmd(args...)
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, text, "\x1b[", "no raw escape sequence")
	assert.Contains(t, text, `"\x1b[2Jwiped"`)
	_, js, _ := runCmd(append(args, "--format", "json")...)
	assert.Contains(t, js, `"\"a\\xff\"": 1`)
	assert.Contains(t, js, `"\"a\\xfe\"": 1`)

	var ids strings.Builder
	ids.WriteString("case_id,touchpoint,timestamp\n")
	for i := range 300 {
		fmt.Fprintf(&ids, "c%d,home,2024-05-01T10:00:00Z\nc%d,jane.doe%d@example.com,2024-05-01T10:01:00Z\n", i, i, i)
	}
	require.NoError(t, os.WriteFile(logPath, []byte(ids.String()), 0o644))
	code, text, errOut = runCmd(args...)
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, text, "@example.com", "ids are not listed")
	assert.Contains(t, text, "300 distinct names: too many to be event names")
}

// The same log sorted by case (replayed a case at a time) or by time
// (held to the end, or with a horizon above every customer's pause) gives
// the same report; a horizon needs a log in time order.
func TestAnalyzeLogOrders(t *testing.T) {
	const journeyFile = "../../examples/retail/journey.yaml"
	data, err := os.ReadFile("../../examples/retail/events.csv")
	require.NoError(t, err)
	lines := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
	header, rows := lines[0], slices.Clone(lines[1:])
	rows[len(rows)-1] += "\n"
	slices.SortStableFunc(rows, func(a, b string) int {
		return strings.Compare(a[:strings.IndexByte(a, ',')], b[:strings.IndexByte(b, ',')])
	})
	byCase := filepath.Join(t.TempDir(), "by-case.csv")
	require.NoError(t, os.WriteFile(byCase, []byte(header+strings.Join(rows, "")), 0o644))

	analyze := func(extra ...string) string {
		t.Helper()
		code, out, errOut := runCmd(append([]string{"analyze", "--journey", journeyFile, "--format", "json"}, extra...)...)
		require.Equal(t, 0, code, errOut)
		return out
	}
	byTime := analyze("--events", "../../examples/retail/events.csv")
	assert.Equal(t, byTime, analyze("--events", byCase), "sorted by case")
	assert.Equal(t, byTime, analyze("--events", "../../examples/retail/events.csv", "--horizon", "30d"), "the longest pause is under 15 days")
	short := analyze("--events", "../../examples/retail/events.csv", "--horizon", "3d")
	assert.NotEqual(t, byTime, short, "customers pausing over 3 days start new cases")

	code, _, errOut := runCmd("analyze", "--journey", journeyFile, "--events", byCase, "--horizon", "30d")
	assert.Equal(t, 1, code)
	assert.Regexp(t, `by-case.csv: line \d+: the event is .* older than an event before it, more than the horizon \(30d\): the log is not in time order; sort it by time, or replay it without a horizon`, errOut)

	code, _, errOut = runCmd("analyze", "--journey", journeyFile, "--events", byCase, "--horizon", "soon")
	assert.Equal(t, 1, code)
	assert.Equal(t, "journeymap analyze: invalid value \"soon\" for flag -horizon: bad duration \"soon\": use Go syntax plus d for days, like 36h, 2d or 90m\nusage: "+commandNamed("analyze").usage+"\n", errOut, "one line and the usage, not the whole help")
}

// The README's sample report is what a fresh run prints, line for line
// (up to the "..." that cuts it short).
func TestREADMESampleIsFresh(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(readme), "## What you see\n\n```\n")
	require.True(t, ok, "the README has its sample report")
	block, _, _ = strings.Cut(block, "```")
	_, out, _ := runCmd("analyze", "--journey", "../../examples/retail/journey.yaml", "--events", "../../examples/retail/events.csv")
	for _, line := range strings.Split(strings.TrimRight(block, "\n"), "\n") {
		if strings.TrimSpace(line) == "..." {
			break
		}
		assert.Contains(t, out, line+"\n", "README line not in a fresh run")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// A failed write never destroys the file it was to replace, and output
// that cannot be written is an error, not exit 0.
func TestFailedWritesAreErrors(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	require.NoError(t, os.WriteFile(report, []byte("yesterday's report"), 0o644))
	err := writeOutput(report, nil, func(w io.Writer) error {
		io.WriteString(w, "half a rep")
		return errors.New("no space left on device")
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "it is left as it was")
	got, _ := os.ReadFile(report)
	assert.Equal(t, "yesterday's report", string(got))
	left, _ := os.ReadDir(dir)
	assert.Len(t, left, 1, "no temporary file left behind")

	for _, args := range [][]string{{"validate", "../../examples/retail/journey.yaml"}, {"help"}, {"graph", "../../examples/retail/journey.yaml"}} {
		var errOut strings.Builder
		code := run(args, failingWriter{}, &errOut)
		assert.Equal(t, 1, code, "%v with a stdout that fails", args)
		assert.Contains(t, errOut.String(), "cannot write the output: no space left on device")
	}
}

// `--events -` reads standard input once, in the format --log-format
// names, and gives the report the file gives; --log-format also overrides
// a misleading extension.
func TestEventsFromStandardInput(t *testing.T) {
	args := []string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--format", "json"}
	_, want, _ := runCmd(append(args, "--events", "../../examples/retail/events.csv")...)

	r, w, err := os.Pipe()
	require.NoError(t, err)
	data, err := os.ReadFile("../../examples/retail/events.csv")
	require.NoError(t, err)
	go func() { w.Write(data); w.Close() }()
	stdin := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = stdin }()
	code, got, errOut := runCmd(append(args, "--events", "-", "--log-format", "csv")...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, want, got)

	code, _, errOut = runCmd(append(args, "--events", "-")...)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "add --log-format csv, jsonl or xes")

	// A picture of a discovered journey reads the log twice: from a pipe,
	// that is said before anything is read (the pipe's writer stays open,
	// so a read would wait for ever).
	r2, w2, err := os.Pipe()
	require.NoError(t, err)
	defer w2.Close()
	os.Stdin = r2
	type result struct {
		code   int
		errOut string
	}
	res := make(chan result, 1)
	go func() {
		code, _, errOut := runCmd("discover", "--events", "-", "--log-format", "csv", "--format", "html")
		res <- result{code, errOut}
	}()
	select {
	case got := <-res:
		assert.Equal(t, 1, got.code)
		assert.Contains(t, got.errOut, "a picture of the as-is journey reads the log twice")
	case <-time.After(20 * time.Second):
		t.Fatal("discover --format html read standard input instead of refusing it")
	}

	misnamed := filepath.Join(t.TempDir(), "events.json.log")
	require.NoError(t, os.WriteFile(misnamed, data, 0o644))
	code, got, errOut = runCmd(append(args, "--events", misnamed, "--log-format", "csv")...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, want, got)

	dir := filepath.Join(t.TempDir(), "logs.csv")
	require.NoError(t, os.Mkdir(dir, 0o755))
	code, _, errOut = runCmd(append(args, "--events", dir)...)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "is a directory: give the event log's file")
}

// -o to a device or a FIFO writes into it: it is never replaced by a file.
func TestOutputToADevice(t *testing.T) {
	before, err := os.Stat(os.DevNull)
	if err != nil || before.Mode().IsRegular() {
		t.Skip("no null device")
	}
	code, _, errOut := runCmd("validate", "../../examples/retail/journey.yaml")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = runCmd("graph", "../../examples/retail/journey.yaml", "-o", os.DevNull)
	require.Equal(t, 0, code, errOut)
	after, err := os.Stat(os.DevNull)
	require.NoError(t, err)
	assert.Equal(t, before.Mode(), after.Mode(), "the null device is still a device")
}

// --segment shows every segment's breakdown and findings in every
// rendering a person reads.
func TestSegmentsInEveryRendering(t *testing.T) {
	base := []string{"analyze", "--journey", "../../examples/bank-onboarding/journey.yaml", "--events", "../../examples/bank-onboarding/events.csv"}
	for _, format := range []string{"text", "markdown", "html"} {
		_, plain, _ := runCmd(append(base, "--format", format)...)
		code, seg, errOut := runCmd(append(base, "--format", format, "--segment", "persona")...)
		require.Equal(t, 0, code, errOut)
		assert.NotEqual(t, plain, seg, format)
		for _, persona := range []string{"business", "new_customer", "returning"} {
			if format == "markdown" {
				persona = strings.ReplaceAll(persona, "_", `\_`)
			}
			assert.Contains(t, seg, persona, format)
		}
		assert.Regexp(t, `Segment[s ]`, seg, format)
	}
	_, text, _ := runCmd(append(base, "--segment", "persona")...)
	assert.Regexp(t, `\.\.\. and \d+ more`, text, "a cut list says how many it left out")
}

// discover draws the as-is journey with analyze's drawing code, in the
// frequency and the performance view, and proposes owners and channels
// from the log's columns.
func TestDiscoverPictures(t *testing.T) {
	log := "../../examples/tv-installation/events.csv"
	for _, format := range []string{"html", "markdown", "dot", "mermaid"} {
		code, out, errOut := runCmd("discover", log, "--format", format, "--coverage", "0.9")
		require.Equal(t, 0, code, "%s: %s", format, errOut)
		assert.NotEmpty(t, out, format)
	}
	_, freq, _ := runCmd("discover", log, "--format", "dot")
	_, perf, _ := runCmd("discover", log, "--format", "dot", "--view", "performance")
	assert.NotEqual(t, freq, perf, "the performance view labels edges with waits")
	assert.Regexp(t, `label="[0-9.]+[smhd]"`, perf)

	code, yaml, errOut := runCmd("discover", log, "--channel-col", "channel")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, yaml, "    channel: ", "channels proposed from the log's channel column")
	assert.Contains(t, yaml, "# The 5 most frequent variants cover")

	// --variants keeps the main flow's steps; the rest stay deviations.
	_, all, _ := runCmd("discover", log)
	code, top, errOut := runCmd("discover", log, "--variants", "1")
	require.Equal(t, 0, code, errOut)
	assert.Less(t, strings.Count(top, "- {from: "), strings.Count(all, "- {from: "), "fewer transitions")
	assert.Regexp(t, `# Kept .* and \d+ of \d+ steps`, top, "the draft says what it left out")
	code, _, errOut = runCmd("discover", log, "--variants", "-1")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "--variants -1: give a number of variants, such as 10, or 0 for every one")
}

// Where no organisational column names owners, discover says which
// columns could, on stderr and in the draft; where one does, it says
// nothing of the kind.
func TestDiscoverOwnerHint(t *testing.T) {
	dir := t.TempDir()
	var rows []string
	for c := range 40 {
		for k, step := range []string{"open", "triage", "fix", "close"} {
			rows = append(rows, fmt.Sprintf("c%d,%s,2026-01-0%dT10:0%d:00Z,team%d,cust%d", c, step, 1+c%5, k, k%2, c))
		}
	}
	noOrg := filepath.Join(dir, "tickets.csv")
	require.NoError(t, os.WriteFile(noOrg, []byte("case_id,touchpoint,timestamp,workgroup,customer\n"+strings.Join(rows, "\n")+"\n"), 0o644))
	code, draft, errOut := runCmd("discover", noOrg)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, `columns that could serve: "workgroup" (2 values)`)
	assert.Contains(t, errOut, "rerun with --owner-col workgroup")
	assert.NotContains(t, errOut, `"customer"`, "40 customers are not teams")
	assert.Contains(t, draft, "# no owner proposed:")
	_, err := journey.Parse(strings.NewReader(draft), "draft.yaml")
	require.NoError(t, err, "the draft with its hint is a valid journey file")

	code, draft, errOut = runCmd("discover", noOrg, "--owner-col", "workgroup")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, errOut, "no owner proposed")
	assert.Contains(t, draft, `owner: "team`)
}
