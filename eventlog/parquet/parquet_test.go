package parquet_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/eventlog"
	pq "github.com/journeymap/journeymap/eventlog/parquet"
	"github.com/journeymap/journeymap/internal/simulate"
)

func publicLogs(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("JOURNEYMAP_EVENTLOGS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data", "eventlogs")
	}
	if _, err := os.Stat(filepath.Join(dir, "receipt.parquet")); err != nil {
		t.Skipf("public event logs not found at %s (set JOURNEYMAP_EVENTLOGS to their directory to run this test)", dir)
	}
	return dir
}

func readAll(t *testing.T, r eventlog.Reader) []eventlog.Event {
	t.Helper()
	var evs []eventlog.Event
	for {
		ev, err := r.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		ev.Attrs = nil
		evs = append(evs, ev)
	}
	require.NoError(t, r.Close())
	return evs
}

// The shared Parquet logs give their CSV twins' events: the same cases,
// names and order; the same instants where the twin's offset is the one
// the naive Parquet time dropped (read here in that zone's rules).
func TestSharedParquetMatchesCSV(t *testing.T) {
	dir := publicLogs(t)
	amsterdam, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, name := range []string{"running-example", "receipt"} {
		t.Run(name, func(t *testing.T) {
			opts := eventlog.Options{Location: amsterdam}
			p, err := eventlog.Open(filepath.Join(dir, name+".parquet"), opts) // by its magic bytes
			require.NoError(t, err)
			c, err := eventlog.Open(filepath.Join(dir, name+".csv"), opts)
			require.NoError(t, err)
			got, want := readAll(t, p), readAll(t, c)
			require.Len(t, got, len(want))
			for i := range want {
				require.Equal(t, want[i].Case, got[i].Case, "row %d", i)
				require.Equal(t, want[i].Touchpoint, got[i].Touchpoint, "row %d", i)
				require.Equal(t, want[i].Lifecycle, got[i].Lifecycle, "row %d", i)
				require.True(t, want[i].Time.Equal(got[i].Time), "row %d: %v against %v", i, got[i].Time, want[i].Time)
			}
		})
	}
}

// event is a row as written to Parquet in the round trip.
type event struct {
	Case       string    `parquet:"case_id"`
	Touchpoint string    `parquet:"touchpoint,dict"`
	Time       time.Time `parquet:"timestamp,timestamp(millisecond:utc)"`
	Local      time.Time `parquet:"local_time,timestamp(microsecond:local)"`
	Channel    *string   `parquet:"channel,optional"`
	CSAT       *int64    `parquet:"csat,optional"`
	Persona    string    `parquet:"persona"`
}

// A simulated log written as Parquet (an instant and a wall-clock time
// column, a dictionary-encoded touchpoint column, nulls, several row
// groups) reads back as the events written, in either time column.
func TestParquetRoundTrip(t *testing.T) {
	var rows []event
	require.NoError(t, simulate.Generate(simulate.Retail(), 300, 7, func(e simulate.Event) error {
		ev := event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time, Local: e.Time, Persona: e.Persona}
		if e.Channel != "" {
			ev.Channel = &e.Channel
		}
		if e.CSAT > 0 {
			v := int64(e.CSAT)
			ev.CSAT = &v
		}
		rows = append(rows, ev)
		return nil
	}))
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[event](&buf, parquet.MaxRowsPerRowGroup(500))
	_, err := w.Write(rows)
	require.NoError(t, err)
	require.NoError(t, w.Close())

	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, tc := range []struct {
		col string
		loc *time.Location
	}{{"timestamp", nil}, {"local_time", time.UTC}, {"local_time", paris}} {
		r, err := pq.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "sim.parquet", eventlog.Options{TimeCol: tc.col, Location: tc.loc, Attrs: []string{"persona"}})
		require.NoError(t, err)
		var got []eventlog.Event
		for {
			ev, err := r.Read()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			ev.Attrs = append([]eventlog.Attr(nil), ev.Attrs...)
			got = append(got, ev)
		}
		// A wall clock that Paris's clocks skipped (a spring night) is a
		// malformed row, said so, not a moved time.
		want := rows
		if tc.loc == paris {
			want = nil
			for _, row := range rows {
				w := row.Time
				if at := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, paris); at.Hour() == w.Hour() {
					want = append(want, row)
				}
			}
			require.Less(t, len(want), len(rows), "the simulated months cross a spring-forward night")
		}
		require.Equal(t, len(want), len(got), tc.col)
		for i, row := range want {
			ev := got[i]
			assert.Equal(t, row.Case, ev.Case)
			assert.Equal(t, row.Touchpoint, ev.Touchpoint)
			want := row.Time
			if tc.loc == paris { // the wall clock read in Paris is an hour or two earlier
				want = time.Date(row.Time.Year(), row.Time.Month(), row.Time.Day(), row.Time.Hour(), row.Time.Minute(), row.Time.Second(), 0, paris)
			}
			assert.True(t, want.Equal(ev.Time), "%s row %d: %v, want %v", tc.col, i, ev.Time, want)
			if row.Channel != nil {
				assert.Equal(t, strings.ToLower(*row.Channel), ev.Channel)
			} else {
				assert.Empty(t, ev.Channel)
			}
			if row.CSAT != nil {
				assert.Equal(t, int8(*row.CSAT), ev.CSAT)
			} else {
				assert.Equal(t, eventlog.NoScore, ev.CSAT)
			}
			assert.Equal(t, []eventlog.Attr{{Key: "persona", Value: row.Persona}}, ev.Attrs)
		}
		st := r.Stats()
		assert.Equal(t, int64(len(rows)), st.Rows)
		assert.Equal(t, int64(len(rows)-len(want)), st.Malformed)
	}
}

// A bad row names its row group and index, and is counted.
func TestParquetMalformedRow(t *testing.T) {
	rows := []event{
		{Case: "c1", Touchpoint: "home", Time: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)},
		{Case: "", Touchpoint: "home", Time: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)},
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[event](&buf)
	_, err := w.Write(rows)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	r, err := pq.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "bad.parquet", eventlog.Options{})
	require.NoError(t, err)
	evs := readAll(t, r)
	assert.Len(t, evs, 1)
	st := r.Stats()
	require.Len(t, st.Problems, 1)
	assert.Equal(t, int64(2), st.Problems[0].Line)
	assert.Equal(t, "row group 0, row 1: empty case id", st.Problems[0].Reason)
}

// FuzzParquet: any bytes are a Parquet file or an error, never a panic,
// and every row read is an event or malformed.
func FuzzParquet(f *testing.F) {
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[event](&buf)
	w.Write([]event{{Case: "c1", Touchpoint: "home", Time: time.Unix(1714557600, 0)}})
	w.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic: %v", r)
			}
		}()
		r, err := pq.NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.parquet", eventlog.Options{})
		if err != nil {
			return
		}
		var n int64
		for {
			if _, err := r.Read(); err != nil {
				break
			}
			n++
		}
		if st := r.Stats(); st.Rows != n+st.Malformed {
			t.Fatal(fmt.Sprintf("rows %d != events %d + malformed %d", st.Rows, n, st.Malformed))
		}
	})
}
