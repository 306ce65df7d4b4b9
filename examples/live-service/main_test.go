package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/live"
	"github.com/journeymap/journeymap/replay"
)

// The service, started on 127.0.0.1 and sent the retail log in time order
// as JSON Lines, a few hundred lines a request, answers /report with what
// journeymap analyze --horizon says of the same file, byte for byte; its
// answers account for every line, a broken one included.
func TestServiceReportIsAnalyze(t *testing.T) {
	const jpath, log = "../retail/journey.yaml", "../retail/events.csv"
	j, err := journey.Load(jpath)
	require.NoError(t, err)
	s, err := newService(j, live.Options{Lateness: time.Hour, Window: 7 * 24 * time.Hour})
	require.NoError(t, err)
	srv := httptest.NewServer(s) // on 127.0.0.1
	defer srv.Close()

	lines := jsonLines(t, log)
	var posted int64
	for lo := 0; lo < len(lines); lo += 500 {
		body := strings.Join(lines[lo:min(lo+500, len(lines))], "\n") + "\n"
		ans := post(t, srv.URL, body)
		assert.Zero(t, ans.Malformed+ans.Late, "%+v", ans.Problems)
		posted += ans.Replayed
	}
	assert.Equal(t, int64(len(lines)), posted)

	got := get(t, srv.URL+"/report")
	want, err := journeymap.Analyze(context.Background(), jpath, log, journeymap.Options{Replay: replay.Options{Horizon: s.r.Horizon()}})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, want.WriteJSON(&b))
	assert.Equal(t, b.String(), got, "/report is journeymap analyze --horizon %s", journey.FormatDuration(s.r.Horizon()))
	for _, f := range []string{"html", "markdown", "text"} {
		assert.NotEmpty(t, get(t, srv.URL+"/report?format="+f), f)
	}
	var alerts []live.Alert
	require.NoError(t, json.Unmarshal([]byte(get(t, srv.URL+"/alerts")), &alerts))

	// A broken line and a late one: counted and named, never lost.
	ans := post(t, srv.URL, "{\"case_id\": \"x\"\nnot json\n{\"case_id\":\"y\",\"touchpoint\":\"home\",\"timestamp\":\"2024-01-01T00:00:00Z\"}\n")
	assert.Equal(t, int64(3), ans.Read)
	assert.Equal(t, int64(2), ans.Malformed)
	assert.Equal(t, int64(1), ans.Late)
	assert.Len(t, ans.Problems, 3)
}

// jsonLines is a CSV log as JSON Lines, scores as numbers.
func jsonLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []string
	for _, r := range rows[1:] {
		m := map[string]any{}
		for i, k := range rows[0] {
			if r[i] == "" {
				continue
			}
			if n, err := strconv.ParseFloat(r[i], 64); err == nil && (k == "csat" || k == "ces" || k == "nps") {
				m[k] = n
			} else {
				m[k] = r[i]
			}
		}
		line, err := json.Marshal(m)
		require.NoError(t, err)
		out = append(out, string(line))
	}
	return out
}

func post(t *testing.T, url, body string) posted {
	t.Helper()
	resp, err := http.Post(url+"/events", "application/x-ndjson", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var ans posted
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&ans))
	return ans
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}
