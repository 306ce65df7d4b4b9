package eventlog_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/journeymap/journeymap/eventlog"
)

// checkReader reads everything and checks the accounting invariants: a
// reader never panics, every event it returns is complete, and rows =
// events + malformed.
func checkReader(t *testing.T, format eventlog.Format, data []byte) {
	r, err := eventlog.NewReader(bytes.NewReader(data), "fuzz", format, eventlog.Options{})
	if err != nil {
		return // a header or gzip error, reported as an error: fine
	}
	var n int64
	for {
		ev, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			break // broken input reported as an error: fine
		}
		n++
		if ev.Case == "" || ev.Touchpoint == "" || ev.Time.IsZero() || ev.Line <= 0 {
			t.Fatalf("incomplete event %+v", ev)
		}
		if ev.CSAT > 5 || ev.CES > 7 || ev.NPS > 10 {
			t.Fatalf("score out of range: %+v", ev)
		}
	}
	st := r.Stats()
	if st.Rows != n+st.Malformed {
		t.Fatalf("rows %d != events %d + malformed %d", st.Rows, n, st.Malformed)
	}
}

func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzCSV(f *testing.F) {
	addSeeds(f, "testdata/*.csv")
	f.Fuzz(func(t *testing.T, data []byte) { checkReader(t, eventlog.CSV, data) })
}

func FuzzJSONL(f *testing.F) {
	addSeeds(f, "testdata/*.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) { checkReader(t, eventlog.JSONL, data) })
}

func FuzzXES(f *testing.F) {
	addSeeds(f, "testdata/*.xes")
	f.Fuzz(func(t *testing.T, data []byte) { checkReader(t, eventlog.XES, data) })
}

// FuzzParseTime: never panics, and what parses round-trips through RFC 3339.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-05-01T10:00:00Z", "2024-05-01 10:00:00.123+02:00", "1714557600", "1714557600000", "2024-05-01",
		"2019/11/03 01:11:19.000", "2019/11/03", "9999-12-31", "99999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := eventlog.ParseTime(s, nil)
		if err != nil {
			return
		}
		back, err := eventlog.ParseTime(tm.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"), nil)
		if tm.Year() < 1678 || tm.Year() > 2262 {
			t.Fatalf("%q -> %v: outside what int64 nanoseconds hold", s, tm)
		}
		if tm.UnixNano() != tm.Sub(time.Unix(0, 0)).Nanoseconds() {
			t.Fatalf("%q -> %v wraps around as Unix nanoseconds", s, tm)
		}
		if err != nil || !back.Equal(tm) {
			t.Fatalf("%q -> %v does not round-trip: %v %v", s, tm, back, err)
		}
	})
}

// FuzzTimeFormat: a time format and a timestamp never panic a reader; a
// format that loads gives events inside the range a time can be held in.
func FuzzTimeFormat(f *testing.F) {
	f.Add("%d/%m/%Y %H:%M", "03/11/2019 01:11")
	f.Add("%Y-%m-%dT%H:%M:%S.%f%z", "2019-11-03T01:11:19.25+0100")
	f.Add("%d %b %Y %I%p", "03 Nov 2019 01PM")
	f.Add("%j %Y", "307 2019")
	f.Fuzz(func(t *testing.T, format, ts string) {
		if strings.ContainsAny(ts, ",\"\r\n") {
			return
		}
		log := "case_id,touchpoint,timestamp\nc1,a," + ts + "\n"
		r, err := eventlog.NewReader(strings.NewReader(log), "fuzz.csv", eventlog.CSV, eventlog.Options{TimeFormat: format})
		if err != nil {
			return
		}
		ev, err := r.Read()
		if err != nil {
			return
		}
		if y := ev.Time.Year(); y < 1678 || y > 2262 {
			t.Fatalf("%q in %q -> %v: outside what int64 nanoseconds hold", ts, format, ev.Time)
		}
	})
}
