package parquet_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/eventlog"
	pq "github.com/journeymap/journeymap/eventlog/parquet"
)

func write[T any](t *testing.T, rows []T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf)
	_, err := w.Write(rows)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// A DATE column is a calendar day, read in Options.Location like a date
// written as text: not a count of seconds since 1970.
func TestParquetDateColumn(t *testing.T) {
	type dated struct {
		Case       string `parquet:"case_id"`
		Touchpoint string `parquet:"touchpoint"`
		Day        int32  `parquet:"timestamp,date"` // days since 1970-01-01, as pandas and DuckDB write a date
	}
	day := func(y int, m time.Month, d int) int32 {
		return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	data := write(t, []dated{{"c1", "home", day(2024, 5, 1)}, {"c1", "cart", day(2024, 5, 3)}})
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	for _, loc := range []*time.Location{time.UTC, paris} {
		r, err := pq.NewReader(bytes.NewReader(data), int64(len(data)), "dated.parquet", eventlog.Options{Location: loc})
		require.NoError(t, err)
		evs := readAll(t, r)
		require.Len(t, evs, 2, "%v", r.Stats().Problems)
		assert.True(t, evs[0].Time.Equal(time.Date(2024, 5, 1, 0, 0, 0, 0, loc)), "%s: %s", loc, evs[0].Time)
		assert.True(t, evs[1].Time.Equal(time.Date(2024, 5, 3, 0, 0, 0, 0, loc)), "%s: %s", loc, evs[1].Time)
	}
}

// A column the log needs that is a list is named as such, with how to
// flatten it, not reported missing.
func TestParquetListColumn(t *testing.T) {
	type listed struct {
		Case       string    `parquet:"case_id"`
		Touchpoint []string  `parquet:"touchpoint,list"`
		Time       time.Time `parquet:"timestamp,timestamp(millisecond:utc)"`
	}
	data := write(t, []listed{{"c1", []string{"home", "cart"}, time.Unix(1714557600, 0)}})
	_, err := pq.NewReader(bytes.NewReader(data), int64(len(data)), "nested.parquet", eventlog.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `nested.parquet: the touchpoint column "touchpoint" is a list`)
	assert.Contains(t, err.Error(), "explode")
}

// A footer whose lengths claim more than the file holds is an error
// before anything is allocated for it: a list said to hold three billion
// schema elements, a footer said to be 2 GB, a string longer than the
// footer.
func TestParquetHostileFooter(t *testing.T) {
	good := write(t, []event{{Case: "c1", Touchpoint: "home", Time: time.Unix(1714557600, 0)}})
	n := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
	footer := good[len(good)-8-n : len(good)-8]
	body := good[:len(good)-8-n]
	withFooter := func(f []byte) []byte {
		out := append(append([]byte{}, body...), f...)
		out = binary.LittleEndian.AppendUint32(out, uint32(len(f)))
		return append(out, "PAR1"...)
	}
	// FileMetaData: field 1 (i32 version) then field 2, the schema list.
	require.Equal(t, byte(0x15), footer[0], "the footer starts with the version")
	_, k := binary.Uvarint(footer[1:])
	at := 1 + k
	require.Equal(t, byte(0x19), footer[at], "then the schema, a list (field 2, one after the last)")
	huge := append(append(append([]byte{}, footer[:at+1]...), 0xFC), binary.AppendUvarint(nil, 3_000_000_000)...)
	huge = append(huge, footer[at+2:]...)

	tooLong := append([]byte{}, good...)
	binary.LittleEndian.PutUint32(tooLong[len(tooLong)-8:], 0x80000000)

	for name, data := range map[string][]byte{"a list of three billion": withFooter(huge), "a 2 GB footer": tooLong, "cut short": withFooter(footer[:len(footer)/2])} {
		_, err := pq.NewReader(bytes.NewReader(data), int64(len(data)), "bad.parquet", eventlog.Options{})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "bad.parquet: not a Parquet file we can read", name)
	}
	_, err := pq.NewReader(bytes.NewReader(good), int64(len(good)), "good.parquet", eventlog.Options{})
	require.NoError(t, err, "the file as written reads")
}

// Reading a file's row groups one by one gives the whole file's events,
// lines and problems, in order.
func TestParquetGroupReaders(t *testing.T) {
	var rows []event
	for i := range 1000 {
		e := event{Case: fmt.Sprint("c", i/3), Touchpoint: "home", Time: time.Unix(1714557600+int64(i), 0)}
		if i%97 == 0 {
			e.Case = "" // malformed, in several groups
		}
		rows = append(rows, e)
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[event](&buf, parquet.MaxRowsPerRowGroup(128))
	_, err := w.Write(rows)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	data := bytes.NewReader(buf.Bytes())
	size := int64(buf.Len())
	n, err := pq.RowGroups(data, size, "g.parquet")
	require.NoError(t, err)
	require.Greater(t, n, 5)
	whole, err := pq.NewReader(data, size, "g.parquet", eventlog.Options{MaxProblems: 1000})
	require.NoError(t, err)
	want := readAll(t, whole)
	var got []eventlog.Event
	var problems []eventlog.Problem
	var rowsRead, malformed int64
	for g := range n {
		r, err := pq.NewGroupReader(data, size, "g.parquet", eventlog.Options{MaxProblems: 1000}, g)
		require.NoError(t, err)
		got = append(got, readAll(t, r)...)
		st := r.Stats()
		problems = append(problems, st.Problems...)
		rowsRead += st.Rows
		malformed += st.Malformed
	}
	require.Equal(t, len(want), len(got))
	for i := range want {
		require.Equal(t, want[i].Line, got[i].Line)
		require.Equal(t, want[i].Case, got[i].Case)
	}
	assert.Equal(t, whole.Stats().Problems, problems)
	assert.Equal(t, whole.Stats().Rows, rowsRead)
	assert.Equal(t, whole.Stats().Malformed, malformed)
	_, err = pq.NewGroupReader(data, size, "g.parquet", eventlog.Options{}, n)
	assert.ErrorContains(t, err, fmt.Sprintf("row group %d: the file has %d", n, n))
}
