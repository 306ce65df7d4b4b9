package eventlog_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/eventlog"
)

// JSON Lines that are not UTF-8, or escape half a surrogate pair, are
// malformed rows: encoding/json would read both as U+FFFD, and two
// customers would become one. A whole pair, and a backslash before "u",
// are text like any other.
func TestJSONLinesNotUTF8AreMalformed(t *testing.T) {
	row := func(id string) string {
		return `{"case_id":"` + id + `","touchpoint":"home","timestamp":"2024-01-01T00:00:00Z"}` + "\n"
	}
	tests := []struct {
		id     string
		ok     bool
		reason string
	}{
		{"\xff", false, "invalid UTF-8"},
		{"\xfe", false, "invalid UTF-8"},
		{`\ud800`, false, "unpaired UTF-16 surrogate"},
		{`\udc00x`, false, "unpaired UTF-16 surrogate"},
		{`\ud800\u0041`, false, "unpaired UTF-16 surrogate"},
		{`\ud83d\ude00`, true, ""}, // 😀, a whole pair
		{`\\ud800`, true, ""},      // a backslash, then the text "ud800"
		{`é\u00e9`, true, ""},
	}
	for _, tc := range tests {
		r, err := eventlog.NewJSONLReader(strings.NewReader(row(tc.id)), "log.jsonl", eventlog.Options{})
		require.NoError(t, err)
		evs, err := eventlog.ReadAll(r)
		require.NoError(t, err)
		if tc.ok {
			assert.Len(t, evs, 1, "%q: %v", tc.id, r.Stats().Problems)
			continue
		}
		assert.Empty(t, evs, "%q", tc.id)
		require.Len(t, r.Stats().Problems, 1, "%q", tc.id)
		assert.Contains(t, r.Stats().Problems[0].Reason, tc.reason, "%q", tc.id)
	}
}

// A byte-order mark at the start of a row, where one export was pasted
// after another, is not part of the case id: one customer, not two.
func TestByteOrderMarkInsideACSV(t *testing.T) {
	log := "case_id,touchpoint,timestamp\nc1,home,2024-01-01T00:00:00Z\n\xef\xbb\xbfc1,product,2024-01-01T00:01:00Z\n"
	r, err := eventlog.NewCSVReader(strings.NewReader(log), "log.csv", eventlog.Options{})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, evs[0].Case, evs[1].Case)
}
