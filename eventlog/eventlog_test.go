package eventlog_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/eventlog"
)

func readFile(t *testing.T, path string, opts eventlog.Options) ([]eventlog.Event, eventlog.Stats) {
	t.Helper()
	r, err := eventlog.Open(path, opts)
	require.NoError(t, err)
	defer r.Close()
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	return evs, r.Stats()
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// The same six events written as CSV, JSON Lines and XES read the same.
func TestSameLogInEveryFormat(t *testing.T) {
	want := []struct {
		caseID, tp string
		at         string
		channel    string
		csat, ces  int8
		nps        int8
		persona    string
	}{
		{"c1", "home", "2024-05-01T10:00:00Z", "web", -1, -1, -1, "bargain_hunter"},
		{"c1", "product", "2024-05-01T10:05:00Z", "web", -1, -1, -1, "bargain_hunter"},
		{"c1", "checkout", "2024-05-01T10:10:00Z", "web", 5, 2, 9, "bargain_hunter"},
		{"c2", "home", "2024-05-01T10:00:00Z", "app", -1, -1, -1, "loyal"},
		{"c2", "product", "2024-05-01T10:05:00Z", "app", -1, -1, -1, "loyal"},
		{"c2", "help", "2024-05-01T10:20:00.5Z", "phone", 2, 6, 3, "loyal"},
	}
	for _, file := range []string{"testdata/shop.csv", "testdata/shop.jsonl", "testdata/shop.xes"} {
		t.Run(file, func(t *testing.T) {
			evs, st := readFile(t, file, eventlog.Options{})
			assert.Equal(t, int64(6), st.Rows)
			assert.Zero(t, st.Malformed, st.Problems)
			require.Len(t, evs, len(want))
			for i, w := range want {
				ev := evs[i]
				assert.Equal(t, w.caseID, ev.Case, "event %d", i)
				assert.Equal(t, w.tp, ev.Touchpoint, "event %d", i)
				assert.True(t, utc(w.at).Equal(ev.Time), "event %d: %v, want %v", i, ev.Time, w.at)
				assert.Equal(t, w.channel, ev.Channel, "event %d", i)
				assert.Equal(t, []int8{w.csat, w.ces, w.nps}, []int8{ev.CSAT, ev.CES, ev.NPS}, "event %d", i)
				persona, ok := ev.Attr("persona")
				if !ok {
					persona, ok = ev.Attr("case:persona") // XES trace attributes
				}
				assert.True(t, ok, "event %d has persona", i)
				assert.Equal(t, w.persona, persona, "event %d", i)
				assert.Positive(t, ev.Line)
			}
		})
	}
}

func TestCSVLineNumbersAndQuirks(t *testing.T) {
	evs, st := readFile(t, "testdata/crlf.csv", eventlog.Options{})
	require.Len(t, evs, 2, st.Problems)
	assert.Equal(t, int64(2), evs[0].Line)
	assert.Equal(t, int64(3), evs[1].Line, "a row's line is where it starts")
	assert.Equal(t, `pro"duct`, evs[1].Touchpoint)
	note, _ := evs[0].Attr("note")
	assert.Equal(t, "a, b", note)
	note, _ = evs[1].Attr("note")
	assert.Equal(t, "multi\nline", note, "a quoted line break reads as \\n, as encoding/csv does")

	evs, _ = readFile(t, "testdata/bom.csv", eventlog.Options{})
	require.Len(t, evs, 1, "BOM stripped, process-mining column names recognised")
	assert.Equal(t, "1", evs[0].Case)
}

// Every malformed row is counted with its line and reason; the good ones
// still come through; rows = events + malformed.
func TestMalformedRows(t *testing.T) {
	evs, st := readFile(t, "testdata/malformed.csv", eventlog.Options{})
	wantProblems := []struct {
		line   int64
		reason string
	}{
		{3, "empty case id"},
		{4, "empty touchpoint name"},
		{5, `timestamp "yesterday" does not parse`},
		{6, `csat "9" is not a whole number from 1 to 5`},
		{7, "3 fields, the header has 4"},
		{8, "stray quote"},
		{10, `timestamp "2024-02-30T10:00:00Z" does not parse`},
	}
	require.Len(t, st.Problems, len(wantProblems))
	for i, w := range wantProblems {
		assert.Equal(t, w.line, st.Problems[i].Line, "problem %d", i)
		assert.Contains(t, st.Problems[i].Reason, w.reason, "problem %d", i)
		assert.Equal(t, "testdata/malformed.csv", st.Problems[i].File)
	}
	require.Len(t, evs, 2)
	assert.Equal(t, int64(2), evs[0].Line)
	assert.Equal(t, int64(11), evs[1].Line, "the blank line 9 is not a row")
	assert.Equal(t, int64(9), st.Rows)
	assert.Equal(t, int64(7), st.Malformed)
	assert.Equal(t, st.Rows, int64(len(evs))+st.Malformed)

	// MaxProblems caps the list, never the count.
	_, st = readFile(t, "testdata/malformed.csv", eventlog.Options{MaxProblems: 2})
	assert.Len(t, st.Problems, 2)
	assert.Equal(t, int64(7), st.Malformed)
}

func TestStrict(t *testing.T) {
	r, err := eventlog.Open("testdata/malformed.csv", eventlog.Options{Strict: true})
	require.NoError(t, err)
	defer r.Close()
	_, err = r.Read()
	require.NoError(t, err)
	_, err = r.Read()
	var rowErr *eventlog.RowError
	require.ErrorAs(t, err, &rowErr)
	assert.Equal(t, int64(3), rowErr.Line)
	assert.Equal(t, "testdata/malformed.csv:3: empty case id (a strict read stops at the first malformed row; otherwise they are counted and skipped)", err.Error())
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "the file is empty"},
		{"no case column", "who,touchpoint,timestamp\n", `no case id column: the header has "who","touchpoint","timestamp"; name it case_id or case:concept:name, or name the log's own column (Options.CaseCol)`},
		{"two missing", "a,b\n", "no touchpoint column"},
	}
	for _, tc := range tests {
		_, err := eventlog.NewReader(strings.NewReader(tc.data), "log.csv", eventlog.CSV, eventlog.Options{})
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
		assert.True(t, strings.HasPrefix(err.Error(), "log.csv"), "error names the file: %v", err)
	}
}

func TestConfigurableColumnsAndAttrFilter(t *testing.T) {
	data := "who,what,when,region,tier\nu1,login,2024-01-01 09:00:00,eu,gold\n"
	r, err := eventlog.NewReader(strings.NewReader(data), "x.csv", eventlog.CSV,
		eventlog.Options{CaseCol: "who", TouchpointCol: "what", TimeCol: "when", Attrs: []string{"tier"}})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, "u1", evs[0].Case)
	assert.Equal(t, []eventlog.Attr{{Key: "tier", Value: "gold"}}, evs[0].Attrs)
}

func TestLocationForZonelessTimes(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database")
	}
	data := "case_id,touchpoint,timestamp\nc,a,2024-03-10 01:30:00\nc,b,2024-03-10 03:30:00\n"
	r, err := eventlog.NewReader(strings.NewReader(data), "dst.csv", eventlog.CSV, eventlog.Options{Location: ny})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, time.Hour, evs[1].Time.Sub(evs[0].Time), "the night clocks go forward, two wall-clock hours are one real hour")
}

func TestGzipAndTruncation(t *testing.T) {
	raw, err := os.ReadFile("testdata/shop.xes")
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(raw)
	require.NoError(t, zw.Close())

	r, err := eventlog.NewReader(bytes.NewReader(buf.Bytes()), "shop.xes.gz", eventlog.XES, eventlog.Options{})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	assert.Len(t, evs, 6)

	cut := buf.Bytes()[:buf.Len()/2]
	r, err = eventlog.NewReader(bytes.NewReader(cut), "shop.xes.gz", eventlog.XES, eventlog.Options{})
	require.NoError(t, err)
	_, err = eventlog.ReadAll(r)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "shop.xes.gz")
	assert.Contains(t, err.Error(), "truncated")
}

func TestXESErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"doctype", `<?xml version="1.0"?><!DOCTYPE log [<!ENTITY a "aaaa">]><log></log>`, "DOCTYPE declarations are not accepted"},
		{"truncated", "<log>\n<trace>\n<event>\n<string key=\"concept:name\" value=\"x\"/>", "x.xes:4: broken XES: the file ends inside <event>"},
		{"not xes", "hello world", ""},
		{"cut tag", `<log><trace><string key="concept:name" value="c`, "the file ends inside a tag"},
		{"stray end", "<log></trace>", ""},
		{"mismatched end", "<log><trace><event></trace></event></log>", "</trace> closes <event>: the file is not well-formed XML"},
	}
	for _, tc := range tests {
		r, err := eventlog.NewReader(strings.NewReader(tc.data), "x.xes", eventlog.XES, eventlog.Options{})
		require.NoError(t, err)
		evs, err := eventlog.ReadAll(r)
		if tc.want == "" {
			assert.Empty(t, evs, tc.name)
			continue
		}
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
	}
}

func TestXESMalformedEvents(t *testing.T) {
	data := `<log>
<trace><string key="concept:name" value="c1"/>
  <event><string key="concept:name" value="a"/></event>
  <event><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event>
  <event><string key="concept:name" value="a &amp; b"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event>
</trace>
<trace>
  <event><string key="concept:name" value="a"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event>
</trace>
</log>`
	r, err := eventlog.NewReader(strings.NewReader(data), "m.xes", eventlog.XES, eventlog.Options{})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, "a & b", evs[0].Touchpoint)
	assert.Equal(t, int64(5), evs[0].Line)
	st := r.Stats()
	assert.Equal(t, int64(4), st.Rows)
	assert.Equal(t, int64(3), st.Malformed)
	var reasons []string
	for _, p := range st.Problems {
		reasons = append(reasons, p.String())
	}
	assert.Equal(t, []string{
		"m.xes:3: event has no time:timestamp",
		"m.xes:4: event has no concept:name (the touchpoint)",
		"m.xes:8: the event's trace has no concept:name (the case id)",
	}, reasons)
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]eventlog.Format{
		"a.csv": eventlog.CSV, "A.CSV.GZ": eventlog.CSV, "b.jsonl": eventlog.JSONL, "b.ndjson": eventlog.JSONL,
		"c.xes": eventlog.XES, "c.xes.gz": eventlog.XES, "d.parquet": eventlog.Parquet,
	} {
		got, err := eventlog.FormatOf(path)
		assert.NoError(t, err, path)
		assert.Equal(t, want, got, path)
	}
	_, err := eventlog.FormatOf("log.txt")
	assert.ErrorContains(t, err, "use a .csv, .tsv, .json, .jsonl, .xes (optionally .gz) or .parquet file, or name the format")
}

// Without package eventlog/parquet, a Parquet file is recognised by its
// magic bytes and the error says what to import.
func TestParquetNeedsItsPackage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.csv") // a misleading name
	require.NoError(t, os.WriteFile(path, []byte("PAR1 rest of a parquet file"), 0o644))
	_, err := eventlog.Open(path, eventlog.Options{})
	assert.ErrorContains(t, err, "is a Parquet log: import github.com/journeymap/journeymap/eventlog/parquet to read it")
	_, err = eventlog.Open("-", eventlog.Options{Format: eventlog.Parquet})
	assert.ErrorContains(t, err, "cannot be read from standard input")
}

func TestLongLine(t *testing.T) {
	long := "case_id,touchpoint,timestamp\nc,a,2024-01-01T00:00:00Z\nc," + strings.Repeat("x", eventlog.MaxLineBytes+10) + ",2024-01-01T00:00:00Z\nc,b,2024-01-01T00:00:01Z\n"
	r, err := eventlog.NewReader(strings.NewReader(long), "long.csv", eventlog.CSV, eventlog.Options{})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, int64(4), evs[1].Line)
	st := r.Stats()
	assert.Equal(t, int64(1), st.Malformed)
	assert.Equal(t, int64(3), st.Problems[0].Line)
	assert.Contains(t, st.Problems[0].Reason, "line longer than")
}

func TestReadAfterEOF(t *testing.T) {
	r, err := eventlog.Open("testdata/shop.csv", eventlog.Options{})
	require.NoError(t, err)
	_, err = eventlog.ReadAll(r)
	require.NoError(t, err)
	_, err = r.Read()
	assert.True(t, errors.Is(err, io.EOF))
	assert.NoError(t, r.Close())
}

// A gzipped log is decompressed a few chunks ahead of the parser, in a
// goroutine of its own: the events are the same as the plain file's, over
// many chunks, and closing the reader part way stops that goroutine.
func TestGzipReadAhead(t *testing.T) {
	var plain bytes.Buffer
	plain.WriteString("case_id,touchpoint,timestamp\n")
	for i := range 60000 { // about 2 MB: eight chunks
		fmt.Fprintf(&plain, "c%d,step%d,2024-05-01T10:%02d:%02dZ\n", i/7, i%7, i/60%60, i%60)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(plain.Bytes())
	require.NoError(t, zw.Close())

	read := func(data []byte) []eventlog.Event {
		r, err := eventlog.NewReader(bytes.NewReader(data), "big.csv", eventlog.CSV, eventlog.Options{})
		require.NoError(t, err)
		evs, err := eventlog.ReadAll(r)
		require.NoError(t, err)
		return evs
	}
	want := read(plain.Bytes())
	require.Len(t, want, 60000)
	assert.Equal(t, want, read(gz.Bytes()))

	before := runtime.NumGoroutine()
	r, err := eventlog.NewReader(bytes.NewReader(gz.Bytes()), "big.csv", eventlog.CSV, eventlog.Options{})
	require.NoError(t, err)
	_, err = r.Read()
	require.NoError(t, err)
	require.NoError(t, r.Close())
	deadline := time.Now().Add(5 * time.Second) // not assert.Eventually: it runs goroutines of its own
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "the read-ahead goroutine stops on Close")
}

// Every reader reads a lifecycle transition, lower-cased, and leaves it
// empty on rows without one; the lifecycle never makes a row malformed.
func TestLifecycleInEveryReader(t *testing.T) {
	logs := map[eventlog.Format]string{
		eventlog.CSV: "case_id,touchpoint,timestamp,lifecycle\n" +
			"c1,verify,2024-05-01 10:00:00,SCHEDULE\n" +
			"c1,verify,2024-05-01 10:01:00,start\n" +
			"c1,verify,2024-05-01 10:05:00,Complete\n" +
			"c1,pay,2024-05-01 10:06:00,\n",
		eventlog.JSONL: `{"case_id":"c1","touchpoint":"verify","timestamp":"2024-05-01 10:00:00","lifecycle":"SCHEDULE"}
{"case_id":"c1","touchpoint":"verify","timestamp":"2024-05-01 10:01:00","lifecycle:transition":"start"}
{"case_id":"c1","touchpoint":"verify","timestamp":"2024-05-01 10:05:00","lifecycle":"Complete"}
{"case_id":"c1","touchpoint":"pay","timestamp":"2024-05-01 10:06:00"}
`,
		eventlog.XES: `<log><trace><string key="concept:name" value="c1"/>
<event><string key="concept:name" value="verify"/><string key="lifecycle:transition" value="SCHEDULE"/><date key="time:timestamp" value="2024-05-01T10:00:00Z"/></event>
<event><string key="concept:name" value="verify"/><string key="lifecycle:transition" value="start"/><string key="time:timestamp" value="2024-05-01 10:01:00"/></event>
<event><string key="concept:name" value="verify"/><string key="lifecycle:transition" value="Complete"/><string key="time:timestamp" value="2024/05/01 10:05:00.000"/></event>
<event><string key="concept:name" value="pay"/><date key="time:timestamp" value="2024-05-01T10:06:00Z"/></event>
</trace></log>`,
	}
	for format, log := range logs {
		r, err := eventlog.NewReader(strings.NewReader(log), "t", format, eventlog.Options{})
		require.NoError(t, err, format)
		var got []string
		for {
			ev, err := r.Read()
			if err == io.EOF {
				break
			}
			require.NoError(t, err, format)
			got = append(got, ev.Lifecycle+"@"+ev.Time.Format("15:04"))
			_, isAttr := ev.Attr("lifecycle")
			assert.False(t, isAttr, "%s: the lifecycle is a column with a meaning, not an attribute", format)
		}
		assert.Equal(t, []string{"schedule@10:00", "start@10:01", "complete@10:05", "@10:06"}, got, format)
		assert.Zero(t, r.Stats().Malformed, format)
	}
}

// readAll reads a CSV log to the end, returning its events' cases and
// touchpoints and its problems.
func readAllCSV(t *testing.T, log string) (got []string, st eventlog.Stats) {
	t.Helper()
	r, err := eventlog.NewReader(strings.NewReader(log), "t.csv", eventlog.CSV, eventlog.Options{MaxProblems: 100})
	require.NoError(t, err)
	for {
		ev, err := r.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		got = append(got, fmt.Sprintf("%s/%s@%d", ev.Case, ev.Touchpoint, ev.Line))
	}
	st = r.Stats()
	require.Equal(t, st.Rows, int64(len(got))+st.Malformed, "rows = events + malformed")
	return got, st
}

// A broken quoted record costs its own row, never the valid rows after it,
// and no text inside a cell becomes an event.
func TestCSVRecoversFromBrokenQuotes(t *testing.T) {
	long := strings.Repeat("x", eventlog.MaxLineBytes+10)
	tests := []struct {
		name, log string
		want      []string
		bad       []int64 // lines reported malformed
	}{
		{
			name: "an unbalanced quote costs its row alone",
			log:  "case_id,touchpoint,timestamp\nc1,a,2024-05-01 10:00:00\nc2,\"b,2024-05-01 10:00:00\nc3,c,2024-05-01 10:00:00\nc4,d,2024-05-01 10:00:00\n",
			want: []string{"c1/a@2", "c3/c@4", "c4/d@5"},
			bad:  []int64{3},
		},
		{
			name: "a quoted note with a line over 1 MiB inside",
			log:  "case_id,touchpoint,timestamp,note\nc1,a,2024-05-01 10:00:00,ok\nc2,b,2024-05-01 10:00:00,\"start of note\n" + long + "\nend of note\"\nc3,c,2024-05-01 10:00:00,ok\n",
			want: []string{"c1/a@2", "c3/c@6"},
			bad:  []int64{3}, // one record, however many lines
		},
		{
			name: "lines of a long note that look like events stay in the note",
			log:  "case_id,touchpoint,timestamp,note\nc1,a,2024-05-01 10:00:00,ok\nc2,b,2024-05-01 10:00:00,\"pasted:\nc8,x,2024-05-01 10:00:00,\n" + long + "\nc9,y,2024-05-01 10:00:00,\n\"\"quoted\"\" end\"\nc3,c,2024-05-01 10:00:00,ok\n",
			want: []string{"c1/a@2", "c3/c@8"},
			bad:  []int64{3},
		},
		{
			name: "a long first line that opens a quoted note",
			log:  "case_id,touchpoint,timestamp,note\nc2,b,2024-05-01 10:00:00,\"" + long + "\nc9,y,2024-05-01 10:00:00,\nend\"\nc3,c,2024-05-01 10:00:00,ok\n",
			want: []string{"c3/c@5"},
			bad:  []int64{2},
		},
		{
			name: "a stray quote before a long line costs its own row",
			log:  "case_id,touchpoint,timestamp,note\nc2,\"b,2024-05-01 10:00:00,x\n" + long + "\nc3,c,2024-05-01 10:00:00,ok\n",
			want: []string{"c3/c@4"},
			bad:  []int64{2, 3},
		},
		{
			name: "a closing quote that opens a field",
			log:  "case_id,touchpoint,timestamp,note\nc1,a,2024-05-01 10:00:00,\"x\n\",y\nc3,c,2024-05-01 10:00:00,ok\nc4,d,2024-05-01 10:00:00,ok\n",
			want: []string{"c3/c@4", "c4/d@5"},
			bad:  []int64{2, 3},
		},
		{
			name: "a multi-line note is one record",
			log:  "case_id,touchpoint,timestamp,note\nc1,a,2024-05-01 10:00:00,\"line 1\nc9,z,2024-05-01 10:00:00,line 2\"\nc3,c,2024-05-01 10:00:00,ok\n",
			want: []string{"c1/a@2", "c3/c@4"},
		},
		{
			name: "a multi-line record over 1 MiB is malformed, lines under the limit each",
			log:  "case_id,touchpoint,timestamp,note\nc1,a,2024-05-01 10:00:00,\"" + strings.Repeat(strings.Repeat("y", 1000)+"\n", 1100) + "\"\nc3,c,2024-05-01 10:00:00,ok\n",
			want: []string{"c3/c@1103"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, st := readAllCSV(t, tc.log)
			assert.Equal(t, tc.want, got)
			if tc.bad != nil {
				var lines []int64
				for _, p := range st.Problems {
					lines = append(lines, p.Line)
				}
				assert.Equal(t, tc.bad, lines, "%v", st.Problems)
			}
			if strings.Contains(tc.name, "over 1 MiB is malformed") {
				require.NotEmpty(t, st.Problems)
				assert.Contains(t, st.Problems[0].Reason, "runs past 1048576 bytes")
				assert.Equal(t, int64(2), st.Problems[0].Line)
			}
		})
	}
}

// An entity XML does not define makes its event malformed, with a reason;
// on a trace attribute, every event of the trace.
func TestXESUndefinedEntity(t *testing.T) {
	data := `<log>
<trace><string key="concept:name" value="c1"/>
<event><string key="concept:name" value="a&nbsp;b"/><date key="time:timestamp" value="2024-05-01T10:00:00Z"/></event>
<event><string key="concept:name" value="ok"/><date key="time:timestamp" value="2024-05-01T10:01:00Z"/></event>
</trace>
<trace><string key="concept:name" value="c&bogus;2"/>
<event><string key="concept:name" value="ok"/><date key="time:timestamp" value="2024-05-01T10:00:00Z"/></event>
</trace>
</log>`
	r, err := eventlog.NewReader(strings.NewReader(data), "x.xes", eventlog.XES, eventlog.Options{})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, "c1", evs[0].Case)
	st := r.Stats()
	require.Len(t, st.Problems, 2)
	assert.Contains(t, st.Problems[0].Reason, `undefined entity "&nbsp;"`)
	assert.Contains(t, st.Problems[1].Reason, `undefined entity "&bogus;"`)
}
