package journeymap_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/friction/render"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// Benchmark logs: the retail simulation at three sizes (about 6.3 events
// a case), written once per run to a temporary directory.
var benchSizes = []struct {
	name  string
	cases int
}{{"10k", 1600}, {"100k", 16000}, {"1M", 160000}}

var (
	benchDir  string
	benchOnce sync.Once
)

// TestMain removes the benchmark logs when the tests and benchmarks are
// done: up to 436 MB a run, which were left behind in the temporary
// directory.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func benchLog(b *testing.B, cases int, ext string) string {
	b.Helper()
	benchOnce.Do(func() {
		d, err := os.MkdirTemp("", "journeymap-bench")
		if err != nil {
			panic(err)
		}
		benchDir = d
	})
	path := filepath.Join(benchDir, fmt.Sprintf("retail-%d%s", cases, ext))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	var buf bytes.Buffer
	write := simulate.WriteCSV
	if ext == ".by-case.csv" {
		write = simulate.WriteCSVByCase
	}
	if err := write(&buf, simulate.Retail(), cases, 1); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	if !strings.HasSuffix(ext, ".csv") {
		r, err := eventlog.NewReader(bytes.NewReader(data), "x.csv", eventlog.CSV, eventlog.Options{})
		if err != nil {
			b.Fatal(err)
		}
		evs, err := eventlog.ReadAll(r)
		if err != nil {
			b.Fatal(err)
		}
		data = convert(evs, ext)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// convert writes events as JSON Lines or XES (one trace per case).
func convert(evs []eventlog.Event, ext string) []byte {
	var buf bytes.Buffer
	if ext == ".jsonl" {
		for _, e := range evs {
			fmt.Fprintf(&buf, `{"case_id":%q,"touchpoint":%q,"timestamp":%q,"channel":%q}`+"\n", e.Case, e.Touchpoint, e.Time.Format("2006-01-02T15:04:05Z07:00"), e.Channel)
		}
		return buf.Bytes()
	}
	byCase := map[string][]eventlog.Event{}
	var order []string
	for _, e := range evs {
		if _, ok := byCase[e.Case]; !ok {
			order = append(order, e.Case)
		}
		byCase[e.Case] = append(byCase[e.Case], e)
	}
	buf.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1.0\">\n")
	for _, c := range order {
		fmt.Fprintf(&buf, "  <trace>\n    <string key=\"concept:name\" value=\"%s\"/>\n", c)
		for _, e := range byCase[c] {
			fmt.Fprintf(&buf, "    <event>\n      <string key=\"concept:name\" value=\"%s\"/>\n      <date key=\"time:timestamp\" value=\"%s\"/>\n      <string key=\"channel\" value=\"%s\"/>\n    </event>\n", e.Touchpoint, e.Time.Format("2006-01-02T15:04:05.000Z07:00"), e.Channel)
		}
		buf.WriteString("  </trace>\n")
	}
	buf.WriteString("</log>\n")
	return buf.Bytes()
}

func setBytes(b *testing.B, path string) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
}

func reportEvents(b *testing.B, events int64) {
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func benchParse(b *testing.B, ext string) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			path := benchLog(b, s.cases, ext)
			setBytes(b, path)
			b.ReportAllocs()
			var n int64
			for b.Loop() {
				r, err := eventlog.Open(path, eventlog.Options{Attrs: []string{}})
				if err != nil {
					b.Fatal(err)
				}
				n = 0
				for {
					if _, err := r.Read(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
					n++
				}
				r.Close()
			}
			reportEvents(b, n)
		})
	}
}

func BenchmarkParseCSV(b *testing.B)   { benchParse(b, ".csv") }
func BenchmarkParseJSONL(b *testing.B) { benchParse(b, ".jsonl") }
func BenchmarkParseXES(b *testing.B)   { benchParse(b, ".xes") }

// loadEvents reads a benchmark log into memory, so that replay is measured alone.
func loadEvents(b *testing.B, path string) []replay.Event {
	r, err := eventlog.Open(path, eventlog.Options{Attrs: []string{}})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	src := journeymap.NewEventSource(r, "")
	var evs []replay.Event
	for {
		e, err := src.Next()
		if err == io.EOF {
			return evs
		}
		if err != nil {
			b.Fatal(err)
		}
		evs = append(evs, e)
	}
}

func BenchmarkReplay(b *testing.B) {
	j, err := journey.Load("examples/retail/journey.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			evs := loadEvents(b, benchLog(b, s.cases, ".csv"))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			reportEvents(b, int64(len(evs)))
		})
	}
}

// BenchmarkReplayGrouped replays the same events sorted by case, a case
// at a time (ReplayOptions.Grouped).
func BenchmarkReplayGrouped(b *testing.B) {
	j, err := journey.Load("examples/retail/journey.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			evs := loadEvents(b, benchLog(b, s.cases, ".by-case.csv"))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{Grouped: true}); err != nil {
					b.Fatal(err)
				}
			}
			reportEvents(b, int64(len(evs)))
		})
	}
}

func BenchmarkAnalyze(b *testing.B) { benchAnalyze(b, ".csv") }

// BenchmarkAnalyzeByCase analyses the same log sorted by case, which is
// replayed a case at a time.
func BenchmarkAnalyzeByCase(b *testing.B) { benchAnalyze(b, ".by-case.csv") }

// BenchmarkAnalyzeXES and BenchmarkAnalyzeJSONL analyse the same log as
// XES (one trace a case) and as JSON Lines.
func BenchmarkAnalyzeXES(b *testing.B)   { benchAnalyze(b, ".xes") }
func BenchmarkAnalyzeJSONL(b *testing.B) { benchAnalyze(b, ".jsonl") }

func benchAnalyze(b *testing.B, ext string) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			path := benchLog(b, s.cases, ext)
			setBytes(b, path)
			b.ReportAllocs()
			var events int64
			for b.Loop() {
				r, err := journeymap.Analyze(context.Background(), "examples/retail/journey.yaml", path, journeymap.Options{})
				if err != nil {
					b.Fatal(err)
				}
				events = r.Events.Read
			}
			reportEvents(b, events)
		})
	}
}

func BenchmarkDiscover(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			path := benchLog(b, s.cases, ".csv")
			setBytes(b, path)
			b.ReportAllocs()
			var events int64
			for b.Loop() {
				d, _, err := journeymap.Discover(context.Background(), path, journeymap.Options{})
				if err != nil {
					b.Fatal(err)
				}
				events = d.Events
			}
			reportEvents(b, events)
		})
	}
}

func BenchmarkRender(b *testing.B) {
	rep, err := journeymap.Analyze(context.Background(), "examples/retail/journey.yaml", "examples/retail/events.csv", journeymap.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for name, write := range map[string]func(io.Writer, *friction.Report) error{
		"json": render.JSON, "text": render.Text, "html": render.HTML,
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := write(io.Discard, rep); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
