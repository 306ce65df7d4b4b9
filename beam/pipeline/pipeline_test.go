package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"
	parquetgo "github.com/parquet-go/parquet-go"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap"
)

func TestMain(m *testing.M) {
	// Prism logs every job's progress; keep the output to the tests'.
	beamlog.LogLevel, beamlog.LogKind = "error", "text"
	beam.Init()
	os.Exit(m.Run())
}

// onlyLoopback skips the test unless the machine's only network is the
// loopback: Prism's job server listens on every interface, and tests
// start servers on local addresses only. .ci/run runs these tests in a
// network namespace of their own (unshare -rn).
func onlyLoopback(t *testing.T) {
	t.Helper()
	if os.Getenv("JOURNEYMAP_BEAM_ANY_INTERFACE") != "" {
		return
	}
	ifs, err := net.Interfaces()
	if err != nil {
		t.Skipf("cannot list network interfaces: %v", err)
	}
	for _, i := range ifs {
		if i.Flags&net.FlagUp != 0 && i.Flags&net.FlagLoopback == 0 {
			t.Skipf("Prism listens on every interface and %s is up: run in a network namespace of loopback only (unshare -rn, as .ci/run does), or set JOURNEYMAP_BEAM_ANY_INTERFACE=1", i.Name)
		}
	}
}

var examples = []string{"retail", "tv-installation", "bank-onboarding"}

// want is what the library's own facade gives on the same file.
func wantAnalyze(t *testing.T, journeyPath, events string) []byte {
	t.Helper()
	rep, err := journeymap.Analyze(context.Background(), journeyPath, events, journeymap.Options{})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, rep.WriteJSON(&b))
	return b.Bytes()
}

func wantDiscover(t *testing.T, events string) []byte {
	t.Helper()
	d, _, err := journeymap.Discover(context.Background(), events, journeymap.Options{})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, d.WriteJSON(&b))
	return b.Bytes()
}

func run(t testing.TB, execute func(context.Context, *beam.Pipeline) (beam.PipelineResult, error), build func(beam.Scope) error) {
	t.Helper()
	p, s := beam.NewPipelineWithRoot()
	require.NoError(t, build(s))
	_, err := execute(context.Background(), p)
	require.NoError(t, err)
}

func analyzeOn(t testing.TB, execute func(context.Context, *beam.Pipeline) (beam.PipelineResult, error), journeyPath, glob string) []byte {
	t.Helper()
	y, err := os.ReadFile(journeyPath)
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "report.json")
	run(t, execute, func(s beam.Scope) error {
		return Analyze(s, Config{Events: glob, Journey: y, JourneyName: journeyPath, Out: out})
	})
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	return got
}

func discoverOn(t testing.TB, execute func(context.Context, *beam.Pipeline) (beam.PipelineResult, error), glob string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "discovery.json")
	run(t, execute, func(s beam.Scope) error { return Discover(s, Config{Events: glob, Out: out}) })
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	return got
}

// On the three examples, the pipeline on Prism writes what `journeymap
// analyze` and `journeymap discover --format json` write, byte for byte.
func TestExamplesOnPrism(t *testing.T) {
	onlyLoopback(t)
	for _, ex := range examples {
		t.Run(ex, func(t *testing.T) {
			jp, ev := "../../examples/"+ex+"/journey.yaml", "../../examples/"+ex+"/events.csv"
			require.Equal(t, string(wantAnalyze(t, jp, ev)), string(analyzeOn(t, prism.Execute, jp, ev)))
			require.Equal(t, string(wantDiscover(t, ev)), string(discoverOn(t, prism.Execute, ev)))
		})
	}
}

// splitLog writes a simulated log of the retail example, cases cases,
// into parts files (each case whole in one file, files in time order
// within), and the same log as one file; it returns the glob and the
// whole file.
func splitLog(t testing.TB, cases, parts int) (string, string) {
	t.Helper()
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.csv")
	cmd := exec.Command("go", "run", "../../examples/generate", "-example", "retail", "-cases", fmt.Sprint(cases), "-order", "case", "-o", whole)
	cmd.Dir = "."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	data, err := os.ReadFile(whole)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	header, rows := lines[0], lines[1:]
	files := make([]strings.Builder, parts)
	for i := range files {
		files[i].WriteString(header)
	}
	part, last := 0, ""
	for _, r := range rows {
		if r == "" {
			continue
		}
		id := r[:strings.IndexByte(r, ',')]
		if id != last { // a new case: spread cases over the files
			part = (part + 1) % parts
			last = id
		}
		files[part].WriteString(r)
	}
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "parts"), 0o755))
	for i := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "parts", fmt.Sprintf("part-%03d.csv", i)), []byte(files[i].String()), 0o644))
	}
	return filepath.Join(dir, "parts", "*.csv"), whole
}

// A simulated log of 200k cases in 16 files gives, on Prism, the report
// and discovery of the same log read whole by the library.
func TestSplitLogOnPrism(t *testing.T) {
	onlyLoopback(t)
	if testing.Short() {
		t.Skip("200k cases: not in -short")
	}
	glob, whole := splitLog(t, 200_000, 16)
	jp := "../../examples/retail/journey.yaml"
	require.Equal(t, string(wantAnalyze(t, jp, whole)), string(analyzeOn(t, prism.Execute, jp, glob)))
	require.Equal(t, string(wantDiscover(t, whole)), string(discoverOn(t, prism.Execute, glob)))
}

// Prism started as a job server of its own, the pipeline submitted
// through the portable runner in loopback mode: the path a Flink job
// server takes. Same bytes.
func TestPortableRunnerAgainstJobServer(t *testing.T) {
	onlyLoopback(t)
	endpoint, _ := jobServer(t)
	saved, savedEnv := *jobopts.Endpoint, *jobopts.EnvironmentType
	*jobopts.Endpoint, *jobopts.EnvironmentType = endpoint, "LOOPBACK"
	defer func() { *jobopts.Endpoint, *jobopts.EnvironmentType = saved, savedEnv }()

	jp, ev := "../../examples/retail/journey.yaml", "../../examples/retail/events.csv"
	require.Equal(t, string(wantAnalyze(t, jp, ev)), string(analyzeOn(t, universal.Execute, jp, ev)))
	require.Equal(t, string(wantDiscover(t, ev)), string(discoverOn(t, universal.Execute, ev)))
}

// jobServer starts Prism as a job server of its own on 127.0.0.1, for the
// test's length, and returns its endpoint.
func jobServer(t *testing.T) (endpoint string, log func() string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	bin := filepath.Join(t.TempDir(), "prism")
	build := exec.Command("go", "build", "-o", bin, "github.com/apache/beam/sdks/v2/go/cmd/prism")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	server := exec.CommandContext(ctx, bin, fmt.Sprintf("--job_port=%d", port), "--serve_http=false")
	// Its log goes to a file, not a pipe: the workers it starts inherit
	// it, and a pipe they hold open would keep Wait from returning.
	logFile, err := os.Create(filepath.Join(t.TempDir(), "prism.log"))
	require.NoError(t, err)
	server.Stdout, server.Stderr = logFile, logFile
	server.WaitDelay = time.Second
	log = func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
	require.NoError(t, server.Start())
	t.Cleanup(func() { cancel(); server.Wait() })
	endpoint = fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", endpoint)
		if err == nil {
			c.Close()
			break
		}
		require.Less(t, i, 300, "the job server did not start: %s", log())
		time.Sleep(100 * time.Millisecond)
	}
	return endpoint, log
}

// A job submitted through the portable runner with worker processes, as
// Flink and Spark run them: the job server starts Beam's Go boot program,
// which fetches this command's binary and starts it as a worker (it must
// run as one before it reads its own arguments). Same bytes as the
// command, reading two files; and a worker that fails fails the job, with
// the worker's error, instead of leaving it hanging.
func TestProcessEnvironment(t *testing.T) {
	onlyLoopback(t)
	if testing.Short() {
		t.Skip("builds the command and Beam's boot program: not in -short")
	}
	dir := t.TempDir()
	for pkg, out := range map[string]string{"../cmd/journeymap-beam": "journeymap-beam", "github.com/apache/beam/sdks/v2/go/container": "boot"} {
		b, err := exec.Command("go", "build", "-o", filepath.Join(dir, out), pkg).CombinedOutput()
		require.NoError(t, err, string(b))
	}
	// Prism starts the boot program with --id='ID', quotes and all (no
	// shell reads them); a shell in between takes them off.
	shim := filepath.Join(dir, "boot.sh")
	require.NoError(t, os.WriteFile(shim, []byte("#!/bin/sh\nfor a; do shift; case \"$a\" in --id=\\'*) a=\"--id=$(printf %s \"${a#--id=}\" | tr -d \"'\")\";; esac; set -- \"$@\" \"$a\"; done\nexec "+filepath.Join(dir, "boot")+" \"$@\"\n"), 0o755))
	endpoint, serverLog := jobServer(t)

	glob, whole := splitLog(t, 3000, 2)
	jp, _ := filepath.Abs("../../examples/retail/journey.yaml")
	out := filepath.Join(dir, "report.json")
	submit := func(extra ...string) ([]byte, error) {
		args := append([]string{"analyze", "--runner", "universal", "--endpoint", endpoint, "--environment_type", "PROCESS",
			"--environment_config", `{"command":"` + shim + `"}`, "--worker_binary", filepath.Join(dir, "journeymap-beam"),
			"--journey", jp, "--out", out}, extra...)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, filepath.Join(dir, "journeymap-beam"), args...)
		cmd.Dir = dir // the workers' directory is not the submitter's: paths go as absolute
		cmd.WaitDelay = time.Second
		b, err := cmd.CombinedOutput()
		require.NoError(t, ctx.Err(), "the job did not end: %s\njob server: %s", b, serverLog())
		return b, err
	}
	b, err := submit("--events", glob)
	require.NoError(t, err, string(b))
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, string(wantAnalyze(t, "../../examples/retail/journey.yaml", whole)), string(got))

	bad := filepath.Join(dir, "bad.csv")
	data, err := os.ReadFile(whole)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	lines[3] = "C9,home,not a time\n"
	require.NoError(t, os.WriteFile(bad, []byte(strings.Join(lines, "")), 0o644))
	b, err = submit("--events", bad, "--strict")
	require.Error(t, err, "the worker's failure fails the job: %s", b)
	assert.Contains(t, string(b), "bad.csv:4: 3 fields", "with the worker's error, naming the file and line")
}

// A glob that names nothing is an error when the pipeline is built, not
// a failed job.
func TestNoFiles(t *testing.T) {
	_, s := beam.NewPipelineWithRoot()
	err := Discover(s, Config{Events: filepath.Join(t.TempDir(), "*.csv")})
	require.ErrorContains(t, err, "names no file")
	var ge *GlobError
	require.ErrorAs(t, err, &ge, "the command names --events by this type")
}

// botLog is the retail example's log with a bot's case of n events
// added: far larger than any customer's.
func botLog(t *testing.T, n int) string {
	t.Helper()
	data, err := os.ReadFile("../../examples/retail/events.csv")
	require.NoError(t, err)
	header := string(data[:bytes.IndexByte(data, '\n')+1])
	require.True(t, strings.HasPrefix(header, "case_id,touchpoint,timestamp"), "the example's columns moved: %q", header)
	var b strings.Builder
	b.Write(data)
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	cols := strings.Count(header, ",")
	for i := range n {
		tp := []string{"home", "search", "product"}[i%3]
		b.WriteString("bot-1," + tp + "," + t0.Add(time.Duration(i)*time.Second).Format(time.RFC3339) + strings.Repeat(",", cols-2) + "\n")
	}
	path := filepath.Join(t.TempDir(), "with-bot.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// A bot's case of 300k events is replayed like any other, and the
// report is the library's; with MaxCaseEvents below its size, its events
// are counted as malformed instead, and nothing else changes.
func TestBotCase(t *testing.T) {
	onlyLoopback(t)
	if testing.Short() {
		t.Skip("300k events in one case: not in -short")
	}
	const n = 300_000
	ev := botLog(t, n)
	jp := "../../examples/retail/journey.yaml"
	want := wantAnalyze(t, jp, ev)
	require.Equal(t, string(want), string(analyzeOn(t, prism.Execute, jp, ev)))

	y, err := os.ReadFile(jp)
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "capped.json")
	deadPath := filepath.Join(t.TempDir(), "dead.csv")
	run(t, prism.Execute, func(s beam.Scope) error {
		return Analyze(s, Config{Events: ev, Journey: y, JourneyName: jp, Out: out, MaxCaseEvents: n - 1, DeadLetter: deadPath})
	})
	deadRows, err := os.ReadFile(deadPath)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(deadRows)), "\n")
	require.Len(t, lines, n, "every event of the case over the bound is a dead letter")
	assert.True(t, strings.HasPrefix(lines[0], "bot-1,home,"), lines[0])
	var full, capped struct {
		Events struct{ Read, Malformed int64 }
		Cases  struct{ Total int64 }
	}
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(want, &full))
	require.NoError(t, json.Unmarshal(got, &capped))
	require.Equal(t, full.Events.Malformed+n, capped.Events.Malformed)
	require.Equal(t, full.Events.Read, capped.Events.Read, "rows read, well-formed or not")
	require.Equal(t, full.Cases.Total-1, capped.Cases.Total)
}

// BenchmarkPipeline times analyze and discover on Prism, in process, over
// simulated logs split into 8 files; run it with -cpu 1,2 to see how it
// grows with workers as well as data.
func BenchmarkPipeline(b *testing.B) {
	if os.Getenv("JOURNEYMAP_BEAM_ANY_INTERFACE") == "" {
		ifs, _ := net.Interfaces()
		for _, i := range ifs {
			if i.Flags&net.FlagUp != 0 && i.Flags&net.FlagLoopback == 0 {
				b.Skip("Prism listens on every interface: run in a network namespace of loopback only (unshare -rn)")
			}
		}
	}
	jp := "../../examples/retail/journey.yaml"
	for _, cases := range []int{25_000, 50_000, 100_000, 200_000} {
		glob, _ := splitLog(b, cases, 8)
		b.Run(fmt.Sprintf("analyze/%dk", cases/1000), func(b *testing.B) {
			for b.Loop() {
				analyzeOn(b, prism.Execute, jp, glob)
			}
			b.ReportMetric(float64(cases)*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
		})
		b.Run(fmt.Sprintf("discover/%dk", cases/1000), func(b *testing.B) {
			for b.Loop() {
				discoverOn(b, prism.Execute, glob)
			}
			b.ReportMetric(float64(cases)*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
		})
	}
}

// Malformed rows are counted and listed, with their lines, as the
// library lists them.
func TestMalformedRows(t *testing.T) {
	onlyLoopback(t)
	data, err := os.ReadFile("../../examples/retail/events.csv")
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	lines[5] = "C0000001,home,not a time,web,,,new_customer\n"
	lines[9] = "C0000002,home,2024-03-01T08:00:00Z,web,9,,new_customer\n"
	ev := filepath.Join(t.TempDir(), "bad.csv")
	require.NoError(t, os.WriteFile(ev, []byte(strings.Join(lines, "")), 0o644))
	jp := "../../examples/retail/journey.yaml"
	want := wantAnalyze(t, jp, ev)
	require.Contains(t, string(want), `"malformed": 2`)
	require.Equal(t, string(want), string(analyzeOn(t, prism.Execute, jp, ev)))
}

// Every format the library reads, read by the pipeline: JSON Lines, XES
// and Parquet give the library's discovery byte for byte (the Parquet
// files are the public logs beside the project, skipped without them).
func TestFormats(t *testing.T) {
	onlyLoopback(t)
	logs := []string{"../../eventlog/testdata/shop.jsonl", "../../eventlog/testdata/shop.xes", "../../eventlog/testdata/shop.csv"}
	for _, p := range []string{"running-example.parquet", "receipt.parquet"} {
		p = filepath.Join("../../../shared/data/eventlogs", p)
		if _, err := os.Stat(p); err == nil {
			logs = append(logs, p)
		} else {
			t.Logf("%s is absent: its case is skipped", p)
		}
	}
	for _, ev := range logs {
		t.Run(filepath.Base(ev), func(t *testing.T) {
			require.Equal(t, string(wantDiscover(t, ev)), string(discoverOn(t, prism.Execute, ev)))
		})
	}
}

// A log with no events gives the library's report of no events, and its
// discovery of nothing, rather than no file at all.
func TestEmptyLog(t *testing.T) {
	onlyLoopback(t)
	ev := filepath.Join(t.TempDir(), "empty.csv")
	require.NoError(t, os.WriteFile(ev, []byte("case_id,touchpoint,timestamp\n"), 0o644))
	jp := "../../examples/retail/journey.yaml"
	// A header and no rows is "no events", from the command and the
	// pipeline alike (contract 2).
	_, err := journeymap.Analyze(context.Background(), jp, ev, journeymap.Options{})
	require.ErrorIs(t, err, journeymap.ErrNoEvents)
	y, err := os.ReadFile(jp)
	require.NoError(t, err)
	p, s := beam.NewPipelineWithRoot()
	require.NoError(t, Analyze(s, Config{Events: ev, Journey: y, JourneyName: jp, Out: filepath.Join(t.TempDir(), "report.json")}))
	_, err = prism.Execute(context.Background(), p)
	require.Error(t, err, "the pipeline refuses an empty log too")
	require.Equal(t, string(wantDiscover(t, ev)), string(discoverOn(t, prism.Execute, ev)))
}

// A case's rows come back from the shuffle in any order; events puts them
// back in the log's (file, then line), whatever the order they came in.
func TestEventsInLogOrder(t *testing.T) {
	rows := []Row{
		{Touchpoint: "c", File: 1, Line: 2}, {Touchpoint: "a", File: 0, Line: 7}, {Touchpoint: "d", File: 1, Line: 9},
		{Touchpoint: "b", File: 0, Line: 8}, {Touchpoint: "a2", File: 0, Line: 3},
	}
	for _, perm := range [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}} {
		i := 0
		iter := func(r *Row) bool {
			if i == len(perm) {
				return false
			}
			*r = rows[perm[i]]
			i++
			return true
		}
		_, evs := events("case", iter, nil, nil)
		var got []string
		for _, e := range evs {
			got = append(got, e.Touchpoint)
		}
		assert.Equal(t, []string{"a2", "a", "b", "c", "d"}, got, "order of arrival %v", perm)
	}
}

// A log none of whose events meets the journey is the command's error,
// not a report of nothing; malformed rows of several files are listed 20
// at most, as the command lists them, and all counted.
func TestNoMatchAndManyMalformed(t *testing.T) {
	onlyLoopback(t)
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("case_id,touchpoint,timestamp\n")
	for i := range 50 {
		fmt.Fprintf(&b, "c%d,nothing_we_know,2024-03-01T08:%02d:00Z\n", i, i%60)
	}
	ev := filepath.Join(dir, "other.csv")
	require.NoError(t, os.WriteFile(ev, []byte(b.String()), 0o644))
	jp := "../../examples/retail/journey.yaml"
	y, err := os.ReadFile(jp)
	require.NoError(t, err)
	_, libErr := journeymap.Analyze(context.Background(), jp, ev, journeymap.Options{})
	require.Error(t, libErr)
	p, s := beam.NewPipelineWithRoot()
	require.NoError(t, Analyze(s, Config{Events: ev, Journey: y, JourneyName: jp, Out: filepath.Join(dir, "report.json")}))
	_, err = prism.Execute(context.Background(), p)
	require.Error(t, err)
	assert.Contains(t, err.Error(), libErr.Error(), "the library's words")

	data, err := os.ReadFile("../../examples/retail/events.csv")
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	for f := range 2 {
		bad := slices.Clone(lines)
		for k := 2; k < 32; k++ {
			bad[k] = "C0000001,home,not a time,web,,,new_customer\n"
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("part-%d.csv", f)), []byte(strings.Join(bad, "")), 0o644))
	}
	var rep struct {
		Events    struct{ Malformed int64 } `json:"events"`
		Malformed []json.RawMessage         `json:"malformed_rows"`
	}
	got := analyzeOn(t, prism.Execute, jp, filepath.Join(dir, "part-*.csv"))
	require.NoError(t, json.Unmarshal(got, &rep))
	assert.Equal(t, int64(60), rep.Events.Malformed, "all counted")
	assert.Len(t, rep.Malformed, 20, "20 listed")
}

// parquetRow is an event as the Parquet tests write it.
type parquetRow struct {
	Case       string    `parquet:"case_id"`
	Touchpoint string    `parquet:"touchpoint"`
	Time       time.Time `parquet:"timestamp,timestamp(millisecond:utc)"`
}

// writeParquet is rows as a Parquet file.
func writeParquet(t *testing.T, rows []parquetRow, opts ...parquetgo.WriterOption) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquetgo.NewGenericWriter[parquetRow](&buf, opts...)
	_, err := w.Write(rows)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// A Parquet log on a filesystem that streams (Beam's memfs here, as
// gs:// and s3:// do) is copied to the worker and read there: the same
// discovery as the file read locally.
func TestRemoteParquet(t *testing.T) {
	onlyLoopback(t)
	var rows []parquetRow
	for c := range 200 {
		for k, tp := range []string{"home", "product", "cart"}[:1+c%3] {
			rows = append(rows, parquetRow{fmt.Sprint("c", c), tp, time.Unix(int64(1714557600+60*c+k), 0)})
		}
	}
	data := writeParquet(t, rows)
	local := filepath.Join(t.TempDir(), "log.parquet")
	require.NoError(t, os.WriteFile(local, data, 0o644))
	memfs.Write("memfs://remote/log.parquet", data)
	require.Equal(t, string(wantDiscover(t, local)), string(discoverOn(t, prism.Execute, "memfs://remote/*.parquet")))
}

// A Parquet file of many row groups is read a group to a worker: the
// same report as the library's of the whole file, its malformed rows
// listed in the file's order whichever group came first.
func TestParquetRowGroupsOnWorkers(t *testing.T) {
	onlyLoopback(t)
	var rows []parquetRow
	for c := range 600 {
		for k, tp := range []string{"home", "product", "cart", "login"}[:1+c%4] {
			id := fmt.Sprintf("C%04d", c)
			if (c*4+k)%131 == 0 {
				id = "" // malformed, in several groups
			}
			rows = append(rows, parquetRow{id, tp, time.Unix(int64(1714557600+3600*k+c), 0)})
		}
	}
	ev := filepath.Join(t.TempDir(), "groups.parquet")
	require.NoError(t, os.WriteFile(ev, writeParquet(t, rows, parquetgo.MaxRowsPerRowGroup(100)), 0o644))
	files, err := Files(context.Background(), ev)
	require.NoError(t, err)
	split, err := parts(files, "", 0)
	require.NoError(t, err)
	require.Greater(t, len(split), 5, "a part a row group")
	jp := "../../examples/retail/journey.yaml"
	want := wantAnalyze(t, jp, ev)
	require.Contains(t, string(want), `"malformed_rows"`)
	require.Equal(t, string(want), string(analyzeOn(t, prism.Execute, jp, ev)))
	require.Equal(t, string(wantDiscover(t, ev)), string(discoverOn(t, prism.Execute, ev)))
}

// A JSON Lines file larger than SplitBytes is read in byte ranges on
// different workers: each range reads the lines that begin in it, with
// the numbers they have in the file, so the report is the library's of
// the whole file, byte for byte, malformed lines and all.
func TestJSONLByteRanges(t *testing.T) {
	onlyLoopback(t)
	data, err := os.ReadFile("../../examples/retail/events.csv")
	require.NoError(t, err)
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
		f := strings.Split(line, ",")
		if i%997 == 5 {
			b.WriteString("{\"case_id\": \"" + f[0] + "\", \"touchpoint\": \"home\", \"timestamp\": \"not a time\"}\n")
			continue
		}
		fmt.Fprintf(&b, `{"case_id": %q, "touchpoint": %q, "timestamp": %q, "channel": %q}`+"\n", f[0], f[1], f[2], f[3])
	}
	ev := filepath.Join(t.TempDir(), "events.jsonl")
	require.NoError(t, os.WriteFile(ev, []byte(b.String()), 0o644))
	requireSplitRead(t, ev)
}

// requireSplitRead checks that the log at ev is read in ranges of 100 kB
// (more than ten) and that the report is the library's, malformed rows
// and all.
func requireSplitRead(t *testing.T, ev string) {
	t.Helper()
	files, err := Files(context.Background(), ev)
	require.NoError(t, err)
	split, err := parts(files, "", 100_000)
	require.NoError(t, err)
	require.Greater(t, len(split), 10, "a part a range")
	jp := "../../examples/retail/journey.yaml"
	want := wantAnalyze(t, jp, ev)
	require.Contains(t, string(want), `"malformed_rows"`)
	y, err := os.ReadFile(jp)
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "report.json")
	run(t, prism.Execute, func(s beam.Scope) error {
		return Analyze(s, Config{Events: ev, Journey: y, JourneyName: jp, Out: out, SplitBytes: 100_000})
	})
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}

// A CSV file without quotes is read in byte ranges as JSON Lines is (each
// range after the file's header); one with a quote is read whole, since a
// quoted cell may span lines.
func TestCSVByteRanges(t *testing.T) {
	onlyLoopback(t)
	data, err := os.ReadFile("../../examples/retail/events.csv")
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	for k := 7; k < len(lines)-1; k += 1013 {
		lines[k] = "C0000001,home,not a time,web,,,new_customer\n"
	}
	dir := t.TempDir()
	ev := filepath.Join(dir, "events.csv")
	require.NoError(t, os.WriteFile(ev, []byte(strings.Join(lines, "")), 0o644))
	requireSplitRead(t, ev)

	lines[3] = `C0000002,"home",2024-03-01T08:00:00Z,web,,,new_customer` + "\n"
	quoted := filepath.Join(dir, "quoted.csv")
	require.NoError(t, os.WriteFile(quoted, []byte(strings.Join(lines, "")), 0o644))
	files, err := Files(context.Background(), quoted)
	require.NoError(t, err)
	split, err := parts(files, "", 100_000)
	require.NoError(t, err)
	assert.Len(t, split, 1, "a CSV file with a quote is read whole")
}
