package eventlog_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/eventlog"
)

// A .json file holding one array of event objects reads as the same
// events in JSON Lines, each at the line its element begins on, however
// the array is laid out.
func TestJSONArrayReadsAsJSONLines(t *testing.T) {
	objs := []string{
		`{"case_id": "c1", "touchpoint": "home", "timestamp": "2024-05-01T10:00:00Z", "csat": 4}`,
		`{"case_id": "c1", "touchpoint": "cart", "timestamp": "2024-05-01T10:05:00Z", "note": "a, [b] {c} \"q\""}`,
		`{"case_id": "c2", "touchpoint": "home", "timestamp": "2024-05-01T11:00:00Z", "ces": 2}`,
	}
	lines := strings.Join(objs, "\n") + "\n"
	want := readEvents(t, "log.jsonl", lines)
	for _, tc := range []struct{ name, log string }{
		{"one element a line", strings.Join(objs, ",\n") + "]\n"},
		{"compact, on one line", "[" + strings.Join(objs, ",") + "]"},
		{"byte-order mark, CRLF", "\xef\xbb\xbf[" + strings.Join(objs, ",\r\n") + "]\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := tc.log
			if !strings.HasPrefix(log, "[") && !strings.HasPrefix(log, "\xef") {
				log = "[" + log
			}
			got := readEvents(t, "log.json", log)
			require.Len(t, got, len(want))
			for i := range want {
				assert.Equal(t, want[i].Case, got[i].Case)
				assert.Equal(t, want[i].Touchpoint, got[i].Touchpoint)
				assert.Equal(t, want[i].Time, got[i].Time)
				assert.Equal(t, want[i].CSAT, got[i].CSAT)
				assert.Equal(t, want[i].Line, got[i].Line, "event %d's line", i)
			}
		})
	}
}

// Pretty-printed, each element's problem is named at the line it begins
// on; a scalar element and text after the array are malformed rows, not
// lost, and nothing inside a string ends an element.
func TestJSONArrayProblemsNameTheirLine(t *testing.T) {
	log := "[\n" +
		"  {\"case_id\": \"c1\", \"touchpoint\": \"home\", \"timestamp\": \"2024-05-01T10:00:00Z\"},\n" + // 2
		"  {\n" + // 3
		"    \"case_id\": \"c1\",\n" +
		"    \"touchpoint\": \"cart\",\n" +
		"    \"timestamp\": \"2024-05-01T10:05:00Z\", \"note\": \"}, {\"\n" +
		"  },\n" +
		"  {\"case_id\": \"c2\", \"touchpoint\": \"home\", \"timestamp\": \"not a time\"},\n" + // 8
		"  42\n" + // 9
		"] trailing\n" // 10
	r, err := eventlog.NewReader(strings.NewReader(log), "log.json", eventlog.JSONL, eventlog.Options{})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	var got []string
	for _, ev := range evs {
		got = append(got, fmt.Sprintf("%s/%s@%d", ev.Case, ev.Touchpoint, ev.Line))
	}
	assert.Equal(t, []string{"c1/home@2", "c1/cart@3"}, got)
	st := r.Stats()
	var bad []int64
	for _, p := range st.Problems {
		bad = append(bad, p.Line)
	}
	assert.Equal(t, []int64{8, 9, 10}, bad, "%v", st.Problems)
	assert.Equal(t, st.Rows, int64(len(evs))+st.Malformed, "rows = events + malformed")
}

// FuzzJSONArray: any array reads without a panic, and an array of valid
// objects, one a line, reads as the same lines in JSON Lines do.
func FuzzJSONArray(f *testing.F) {
	f.Add(`{"case_id":"c1","touchpoint":"a","timestamp":"2024-05-01T10:00:00Z"}`, `{"case_id":"c1","touchpoint":"b","timestamp":"2024-05-01T10:01:00Z","x":[1,{"y":"]"}]}`)
	f.Add(`{"case_id":"c\"1","touchpoint":"a","timestamp":1714557600}`, `{}`)
	f.Add(`[`, `"x`)
	f.Fuzz(func(t *testing.T, a, b string) {
		arr := "[" + a + ",\n" + b + "]"
		r, err := eventlog.NewReader(strings.NewReader(arr), "fuzz.json", eventlog.JSONL, eventlog.Options{})
		require.NoError(t, err)
		got, _ := eventlog.ReadAll(r)
		for _, s := range []string{a, b} {
			if !json.Valid([]byte(s)) || !strings.HasPrefix(s, "{") || strings.ContainsAny(s, "\n\r") {
				return
			}
		}
		r2, err := eventlog.NewReader(strings.NewReader(a+"\n"+b+"\n"), "fuzz.jsonl", eventlog.JSONL, eventlog.Options{})
		require.NoError(t, err)
		want, _ := eventlog.ReadAll(r2)
		require.Equal(t, len(want), len(got), "%q", arr)
		for i := range want {
			assert.Equal(t, want[i].Case, got[i].Case)
			assert.Equal(t, want[i].Touchpoint, got[i].Touchpoint)
			assert.Equal(t, want[i].Line, got[i].Line)
		}
		assert.Equal(t, r2.Stats().Malformed, r.Stats().Malformed)
	})
}

func readEvents(t *testing.T, name, log string) []eventlog.Event {
	t.Helper()
	format, err := eventlog.FormatOf(name)
	require.NoError(t, err)
	r, err := eventlog.NewReader(strings.NewReader(log), name, format, eventlog.Options{})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	require.Zero(t, r.Stats().Malformed, "%v", r.Stats().Problems)
	return evs
}
