package eventlog

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flatEvent is what a ColumnReader keeps of an event.
type flatEvent struct {
	Case, Name         string
	Time, Line         int64
	Channel, Lifecycle string
	CSAT, CES, NPS     int8
	Segment            string
}

// flatten is event k of a block as flatEvent.
func flatten(cols *Columns, k int) flatEvent {
	ev := flatEvent{Case: cols.Case[k], Name: cols.Names[cols.Name[k]], Time: cols.Time[k], CSAT: NoScore, CES: NoScore, NPS: NoScore}
	if cols.Line != nil {
		ev.Line = cols.Line[k]
	}
	value := func(col []int32) string {
		if col == nil || col[k] < 0 {
			return ""
		}
		return cols.Values[col[k]]
	}
	ev.Channel, ev.Lifecycle, ev.Segment = value(cols.Channel), value(cols.Lifecycle), value(cols.Segment)
	if cols.CSAT != nil {
		ev.CSAT, ev.CES, ev.NPS = cols.CSAT[k], cols.CES[k], cols.NPS[k]
	}
	return ev
}

// readBoth reads data through Read and through ReadColumns (with blocks
// of blockSize bytes) and returns each side's events, stats and error.
func readBoth(t testing.TB, data []byte, opts Options, blockSize int) (byRow, byCol []flatEvent, rowStats, colStats Stats, rowErr, colErr error) {
	t.Helper()
	return readBothAs(t, NewCSVReader, data, opts, blockSize)
}

// readBothAs is readBoth for the format newReader reads.
func readBothAs(t testing.TB, newReader func(io.Reader, string, Options) (Reader, error), data []byte, opts Options, blockSize int) (byRow, byCol []flatEvent, rowStats, colStats Stats, rowErr, colErr error) {
	t.Helper()
	old := columnBlock
	columnBlock = blockSize
	defer func() { columnBlock = old }()

	r, err := newReader(bytes.NewReader(data), "x.csv", opts)
	if err != nil {
		return nil, nil, Stats{}, Stats{}, err, err
	}
	for {
		ev, err := r.Read()
		if err != nil {
			if err != io.EOF {
				rowErr = err
			}
			break
		}
		fe := flatEvent{ev.Case, ev.Touchpoint, ev.Time.UnixNano(), ev.Line, ev.Channel, ev.Lifecycle, ev.CSAT, ev.CES, ev.NPS, ""}
		if opts.SegmentCol != "" {
			var ok bool
			if fe.Segment, ok = ev.Attr(opts.SegmentCol); !ok {
				fe.Segment, _ = ev.Attr("case:" + opts.SegmentCol)
			}
		}
		if opts.ColumnsForDiscovery {
			fe = flatEvent{Case: ev.Case, Name: ev.Touchpoint, Time: ev.Time.UnixNano(), CSAT: NoScore, CES: NoScore, NPS: NoScore}
		}
		byRow = append(byRow, fe)
	}
	rowStats = r.Stats()

	r2, err := newReader(bytes.NewReader(data), "x.csv", opts)
	require.NoError(t, err)
	cr, ok := AsColumnReader(r2)
	require.True(t, ok)
	defer r2.Close()
	for {
		cols, err := cr.ReadColumns()
		if err != nil {
			if err != io.EOF {
				colErr = err
			}
			break
		}
		for k := range cols.Case {
			byCol = append(byCol, flatten(cols, k))
		}
		r2.(interface{ Recycle(*Columns) }).Recycle(cols) // the next blocks reuse it
	}
	colStats = cr.Stats()
	return
}

// Reading a CSV log in parallel blocks gives the events, counts, problems
// and errors of reading it a row at a time: on every test file, cut into
// blocks of every small size (so that lines, quoted fields and malformed
// rows fall on every side of a cut), strict or not.
func TestColumnsMatchRows(t *testing.T) {
	var big bytes.Buffer
	big.WriteString("case_id,touchpoint,timestamp,channel,csat\n")
	for i := range 3000 {
		fmt.Fprintf(&big, "c%d,step%d,2024-05-01T10:%02d:%02dZ,web,%d\r\n", i%97, i%7, i/60%60, i%60, i%6)
		if i%500 == 250 {
			big.WriteString("\n,empty case,2024-05-01T10:00:00Z,web,\nc1,x,yesterday,web,\n")
		}
	}
	// channels and lifecycles in any case and spacing, past 16 of them in
	// a block; every score; both lifecycle columns (the last counts)
	var wide bytes.Buffer
	wide.WriteString("lifecycle,case_id,touchpoint,timestamp,Channel_x,channel,ces,nps,lifecycle:transition,csat,persona,case:region\n")
	for i := range 2000 {
		ch := [...]string{"Web", " web", "PHONE", "", "  "}[i%5]
		if i%3 == 0 {
			ch = fmt.Sprintf("shop %d", i%40)
		}
		lc := [...]string{"start", "Complete", "", "suspend", " START "}[i%5]
		score := func(n int) string {
			if i%n == 0 {
				return ""
			}
			return fmt.Sprint(i % n)
		}
		persona := [...]string{"new", "New ", "", "returning"}[i%31%4]
		fmt.Fprintf(&wide, "x,c%d,s%d,2024-05-01T10:%02d:%02dZ,y,%s,%s,%s,%s,%s,%s,r%d\n", i%31, i%5, i/60%60, i%60, ch, score(8), score(11), lc, score(6), persona, i%31%3)
	}
	files := map[string][]byte{"generated": big.Bytes(), "wide": wide.Bytes()}
	paths, _ := filepath.Glob("testdata/*.csv")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		files[filepath.Base(p)] = data
	}
	// A second export pasted after the first: a byte-order mark at the
	// start of a row, both ways read as not part of the case id.
	at := big.Len()/3 + bytes.IndexByte(big.Bytes()[big.Len()/3:], '\n') + 1
	files["byte-order mark inside"] = slices.Concat(big.Bytes()[:at], []byte("\xef\xbb\xbf"), big.Bytes()[at:])
	quoted := append(bytes.Clone(big.Bytes()[:big.Len()/2]), "c5,\"a \"\"quoted\"\"\nname\",2024-05-01T11:00:00Z,phone,3\n"...)
	files["quote half way"] = append(quoted, big.Bytes()[big.Len()/2:]...)
	// Longer than the reader's buffer, which blocks are read past: with a
	// quote past it, where the reader goes on a row at a time.
	long := bytes.Repeat(big.Bytes()[len("case_id,touchpoint,timestamp,channel,csat\n"):], 3)
	files["longer than a buffer"] = slices.Concat(big.Bytes(), long, quoted[len("case_id,touchpoint,timestamp,channel,csat\n"):], long)
	for name, data := range files {
		for _, block := range []int{1, 7, 64, 100, 4096, 1 << 20} {
			for _, opts := range []Options{{}, {Strict: true}, {ColumnsForDiscovery: true}, {SegmentCol: "persona", Attrs: []string{}}, {SegmentCol: "region"}} {
				what := fmt.Sprintf("%s, blocks of %d, %+v", name, block, opts)
				byRow, byCol, rs, cs, re, ce := readBoth(t, data, opts, block)
				if re != nil || ce != nil {
					require.Error(t, re, what)
					require.Error(t, ce, what)
					assert.Equal(t, re.Error(), ce.Error(), what)
					continue
				}
				assert.Equal(t, byRow, byCol, what)
				assert.Equal(t, rs, cs, what)
			}
		}
	}
}

// manyBlocks is a log of 20,000 rows, and blocks made 1 KB for the rest
// of the test: hundreds of them.
func manyBlocks(t *testing.T) []byte {
	var big bytes.Buffer
	big.WriteString("case_id,touchpoint,timestamp\n")
	for i := range 20000 {
		fmt.Fprintf(&big, "c%d,s,2024-05-01T10:00:00Z\n", i)
	}
	old := columnBlock
	columnBlock = 1024
	t.Cleanup(func() { columnBlock = old })
	return big.Bytes()
}

// Closing a column reader part way stops its goroutines.
func TestColumnsClose(t *testing.T) {
	big := manyBlocks(t)
	before := runtime.NumGoroutine()
	r, err := NewCSVReader(bytes.NewReader(big), "x.csv", Options{})
	require.NoError(t, err)
	cr, _ := AsColumnReader(r)
	_, err = cr.ReadColumns()
	require.NoError(t, err)
	require.Greater(t, runtime.NumGoroutine(), before, "the pipeline runs")
	require.NoError(t, r.Close())
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "Close stops the pipeline's goroutines")
}

// The pipeline reads a log of hundreds of blocks into no more buffers
// than it can have in flight at once: every buffer handed back is reused,
// none dropped and made again.
func TestColumnsReuseBuffers(t *testing.T) {
	r, err := NewCSVReader(bytes.NewReader(manyBlocks(t)), "x.csv", Options{})
	require.NoError(t, err)
	defer r.Close()
	cr, _ := AsColumnReader(r)
	blocks := 0
	for {
		cols, err := cr.ReadColumns()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		blocks++
		r.(*csvReader).Recycle(cols)
	}
	workers := runtime.GOMAXPROCS(0)
	require.Greater(t, blocks, 100)
	assert.LessOrEqual(t, r.(*csvReader).pipe.made, 2*workers+1, "buffers made for %d blocks", blocks)
}

// FuzzCSVColumns: whatever the file, reading it in blocks matches reading
// it a row at a time.
func FuzzCSVColumns(f *testing.F) {
	for _, s := range []string{
		"case_id,touchpoint,timestamp\nc1,a,2024-05-01T10:00:00Z\nc2,b,2024-05-01T10:00:01Z\n",
		"case_id,touchpoint,timestamp,csat\nc1,a,2024-05-01T10:00:00Z,9\n\nc1,\"b\nc\",2024-05-01T10:00:00Z,1\r\n",
		"case_id,touchpoint,timestamp\n,a,x\nc1,a,1714557600\nc1,a\n",
		"lifecycle,case_id,channel,touchpoint,timestamp,nps,ces,lifecycle:transition\nx,c1, Web ,a,2024-05-01T10:00:00Z,10,,START\ny,c1,,a,2024-05-01T10:00:00Z,,7,complete\n",
	} {
		f.Add([]byte(s), uint8(5))
	}
	f.Fuzz(func(t *testing.T, data []byte, block uint8) {
		sameBothWays(t, NewCSVReader, data, int(block%64)+1)
	})
}

// sameBothWays fails t unless reading data with newReader a row at a time
// and in blocks of blockSize bytes gives the same events, stats and error.
func sameBothWays(t *testing.T, newReader func(io.Reader, string, Options) (Reader, error), data []byte, blockSize int) {
	byRow, byCol, rs, cs, re, ce := readBothAs(t, newReader, data, Options{}, blockSize)
	if (re == nil) != (ce == nil) {
		t.Fatalf("row error %v, column error %v", re, ce)
	}
	if re != nil {
		if re.Error() != ce.Error() {
			t.Fatalf("row error %q, column error %q", re, ce)
		}
		return
	}
	if !assert.ObjectsAreEqual(byRow, byCol) || !assert.ObjectsAreEqual(rs, cs) {
		t.Fatalf("rows %v %+v\ncolumns %v %+v", byRow, rs, byCol, cs)
	}
}

// FuzzCSVRecordsMatchEncodingCSV: on any input that encoding/csv reads
// without error (three fields a record, strict quotes), the reader's
// records are encoding/csv's, quoted line breaks included; on any input at
// all, the reader ends, and accounts for every row.
func FuzzCSVRecordsMatchEncodingCSV(f *testing.F) {
	f.Add([]byte("1,2,3\n\"a\nb\",\"c\"\"d\",e\n"))
	f.Add([]byte("1,\"2,3\n4,5,6\n"))
	f.Add([]byte("x,\"y\n\",z\r\n\"\",,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.ContainsRune(data, '\r') && !bytes.Contains(data, []byte("\r\n")) || bytes.ContainsRune(data, 0) {
			return
		}
		log := append([]byte("a,b,c\n"), data...)
		c, err := NewCSVReader(bytes.NewReader(log), "fuzz.csv", Options{CaseCol: "a", TouchpointCol: "b", TimeCol: "c"})
		if err != nil {
			t.Fatal(err)
		}
		cr := c.(*csvReader)
		var ours [][]string
		for n := 0; ; n++ {
			if n > len(log)+2 {
				t.Fatal("the reader does not end")
			}
			ok, _, err := cr.record()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if !ok || len(cr.fields) == 1 && len(cr.fields[0]) == 0 {
				continue
			}
			rec := make([]string, len(cr.fields))
			for i, f := range cr.fields {
				rec[i] = string(f)
			}
			ours = append(ours, rec)
		}
		ref := csv.NewReader(bytes.NewReader(data))
		ref.FieldsPerRecord = 3
		want, err := ref.ReadAll()
		if err != nil {
			return // not well-formed: only the reader's own rules apply
		}
		for i := range want {
			for k := range want[i] {
				want[i][k] = strings.ReplaceAll(want[i][k], "\r\n", "\n")
			}
		}
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(ours, want) {
			t.Fatalf("records differ:\nours %q\nwant %q", ours, want)
		}
	})
}

// A trace too big to hold is an error naming its line, not an exhausted
// machine.
func TestXESTraceTooBig(t *testing.T) {
	defer func(n int) { maxTraceEvents = n }(maxTraceEvents)
	maxTraceEvents = 3
	var b strings.Builder
	b.WriteString("<log>\n<trace><string key=\"concept:name\" value=\"ok\"/>\n<event><string key=\"concept:name\" value=\"a\"/><date key=\"time:timestamp\" value=\"2024-05-01T10:00:00Z\"/></event>\n</trace>\n<trace><string key=\"concept:name\" value=\"bot\"/>\n")
	for range 5 {
		b.WriteString("<event><string key=\"concept:name\" value=\"a\"/><date key=\"time:timestamp\" value=\"2024-05-01T10:00:00Z\"/></event>\n")
	}
	b.WriteString("</trace>\n</log>\n")
	r, err := NewXESReader(strings.NewReader(b.String()), "big.xes", Options{})
	require.NoError(t, err)
	ev, err := r.Read()
	require.NoError(t, err)
	assert.Equal(t, "ok", ev.Case)
	_, err = r.Read()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "big.xes:5: the trace that starts here holds more than 3 events")
}

// A block handed back to a reader that fills other columns (here, one
// read for discovery, recycled into one read for replay) is not reused:
// the reader's blocks keep every column it fills.
func TestRecycleForeignBlock(t *testing.T) {
	var log bytes.Buffer
	log.WriteString("case_id,touchpoint,timestamp,channel,lifecycle,csat\n")
	for i := range 5000 {
		fmt.Fprintf(&log, "c%d,s,2024-05-01T10:00:00Z,web,start,%d\n", i, i%5+1)
	}
	old := columnBlock
	columnBlock = 1024
	defer func() { columnBlock = old }()
	open := func(opts Options) ColumnReader {
		r, err := NewCSVReader(bytes.NewReader(log.Bytes()), "x.csv", opts)
		require.NoError(t, err)
		t.Cleanup(func() { r.Close() })
		cr, _ := AsColumnReader(r)
		return cr
	}
	disc, full := open(Options{ColumnsForDiscovery: true}), open(Options{})
	recycle := full.(interface{ Recycle(*Columns) }).Recycle
	n := 0
	for {
		foreign, err := disc.ReadColumns()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		require.Nil(t, foreign.Line)
		cols, err := full.ReadColumns()
		require.NoError(t, err)
		recycle(foreign)
		recycle(&Columns{Line: []int64{}}) // has a line, no channel
		for k := range cols.Case {
			assert.Equal(t, flatEvent{Case: fmt.Sprintf("c%d", n), Name: "s", Time: cols.Time[0], Line: int64(n + 2), Channel: "web", Lifecycle: "start", CSAT: int8(n%5 + 1), CES: NoScore, NPS: NoScore}, flatten(cols, k))
			n++
		}
	}
	assert.Equal(t, 5000, n)
}

// Reading JSON Lines in parallel blocks gives the events, counts,
// problems and errors of reading them a line at a time: lines of every
// kind (keys in any order, numbers, nulls, escapes, nested values,
// malformed lines, blank lines, a line longer than a block) cut into
// blocks of every small size, strict or not, for replay or discovery.
func TestJSONLColumnsMatchRows(t *testing.T) {
	var log bytes.Buffer
	for i := range 3000 {
		switch {
		case i%401 == 7:
			log.WriteString("{\"case_id\": \"c1\", \"touchpoint\": 5\n") // cut short
		case i%307 == 0:
			log.WriteString("\n   \n")
		case i%211 == 0:
			fmt.Fprintf(&log, `{"timestamp": %d, "case_id": "c%d", "touchpoint": "step \"%d\"", "note": {"deep": [1, 2]}, "csat": null}`+"\n", 1714557600+i, i%97, i%7)
		case i%5 == 0:
			fmt.Fprintf(&log, `{"case_id":"c%d","touchpoint":"s%d","timestamp":"2024-05-01T10:%02d:%02dZ","channel":" Web ","lifecycle":"START","ces":%d,"nps":%d}`+"\n", i%97, i%7, i/60%60, i%60, i%8, i%12)
		default:
			fmt.Fprintf(&log, `{"case_id":"c%d","touchpoint":"s%d","timestamp":"2024-05-01T10:%02d:%02dZ","channel":"phone","csat":%d,"persona":"p%d","case:region":"r%d"}`+"\r\n", i%97, i%7, i/60%60, i%60, i%6, i%97%3, i%97%2)
		}
	}
	long := `{"case_id":"c9","touchpoint":"s1","timestamp":"2024-05-01T11:00:00Z","note":"` + strings.Repeat("x", 3000) + `"}` + "\n"
	files := map[string][]byte{"generated": log.Bytes(), "long line": append(bytes.Clone(log.Bytes()[:log.Len()/2]), append([]byte(long), log.Bytes()[log.Len()/2:]...)...)}
	data, err := os.ReadFile("testdata/shop.jsonl")
	require.NoError(t, err)
	files["shop.jsonl"] = data
	for name, data := range files {
		for _, block := range []int{1, 7, 64, 100, 4096, 1 << 20} {
			for _, opts := range []Options{{}, {Strict: true}, {ColumnsForDiscovery: true}, {SegmentCol: "persona", Attrs: []string{}}, {SegmentCol: "region"}} {
				what := fmt.Sprintf("%s, blocks of %d, %+v", name, block, opts)
				byRow, byCol, rs, cs, re, ce := readBothAs(t, NewJSONLReader, data, opts, block)
				if re != nil || ce != nil {
					require.Error(t, re, what)
					require.Error(t, ce, what)
					assert.Equal(t, re.Error(), ce.Error(), what)
					continue
				}
				require.NotEmpty(t, byRow, what)
				assert.Equal(t, byRow, byCol, what)
				assert.Equal(t, rs, cs, what)
			}
		}
	}
	// An empty file is refused as Read refuses it.
	_, _, _, _, re, ce := readBothAs(t, NewJSONLReader, nil, Options{}, 64)
	require.Error(t, re)
	require.Error(t, ce)
	assert.Equal(t, re.Error(), ce.Error())
}

// FuzzJSONLColumns: whatever the file, reading JSON Lines in blocks
// matches reading them a line at a time.
func FuzzJSONLColumns(f *testing.F) {
	for _, s := range []string{
		`{"case_id":"c1","touchpoint":"a","timestamp":"2024-05-01T10:00:00Z"}` + "\n" + `{"case_id":"c2","touchpoint":"b","timestamp":1714557600,"nps":10,"lifecycle":"Start"}`,
		"{\"case_id\":\"c1\"}\n\n{\"case_id\":\"c1\",\"touchpoint\":\"a\\nb\",\"timestamp\":\"2024-05-01 10:00:00\",\"channel\":null}\r\n",
		"not json\n{}\n",
	} {
		f.Add([]byte(s), uint8(5))
	}
	f.Fuzz(func(t *testing.T, data []byte, block uint8) {
		sameBothWays(t, NewJSONLReader, data, int(block%64)+1)
	})
}
