package journeymap_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// endlessCSV is a CSV log that never ends, one case after another, calling
// at once it has served n rows.
type endlessCSV struct {
	rows, n int
	at      func()
	buf     []byte
}

func (e *endlessCSV) Read(p []byte) (int, error) {
	for len(e.buf) < len(p) {
		if e.rows == 0 {
			e.buf = append(e.buf, "case_id,touchpoint,timestamp\n"...)
		}
		e.buf = fmt.Appendf(e.buf, "c%09d,home,2024-05-01T10:00:00Z\nc%09d,search,2024-05-01T10:01:00Z\n", e.rows, e.rows)
		e.rows += 2
		if e.rows == e.n && e.at != nil {
			e.at()
		}
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	return n, nil
}

// Cancelling in the middle of a long stream stops the replay with the
// context's error, soon after (within a few batches), in every mode, and
// leaves no goroutine behind.
func TestCancelMidStream(t *testing.T) {
	j, err := journey.Load("examples/retail/journey.yaml")
	require.NoError(t, err)
	before := runtime.NumGoroutine()
	for _, opts := range []replay.Options{{}, {Grouped: true}, {Horizon: 24 * time.Hour}} {
		ctx, cancel := context.WithCancel(context.Background())
		src := &endlessCSV{n: 200_000, at: cancel}
		r, err := eventlog.NewReader(io.Reader(src), "endless.csv", eventlog.CSV, eventlog.Options{})
		require.NoError(t, err)
		es := journeymap.NewEventSource(r, "")
		_, err = replay.Run(ctx, j, es, opts)
		es.Stop()
		assert.ErrorIs(t, err, context.Canceled, "%+v", opts)
		assert.Less(t, src.rows, 200_000+100_000, "%+v: stopped within a few batches of the cancel", opts)
	}
	// Every goroutine the replays started has ended.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind:\n%s", goroutines())
}

func goroutines() string {
	buf := make([]byte, 1<<16)
	return strings.TrimSpace(string(buf[:runtime.Stack(buf, true)]))
}

// A log in a FIFO is read once: an unsorted log is not read a second time
// (which would hang, or read what a second writer sent), and the report is
// the one the file gives.
func TestFIFOIsReadOnce(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	dir := t.TempDir()
	fifo := dir + "/events.csv"
	if err := mkfifo(fifo); err != nil {
		t.Skip("cannot make a FIFO:", err)
	}
	data, err := os.ReadFile("examples/retail/events.csv") // in time order: not sorted by case
	require.NoError(t, err)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.Write(data)
		f.Close()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rep, err := journeymap.Analyze(ctx, "examples/retail/journey.yaml", fifo, journeymap.Options{})
	require.NoError(t, err)
	want, err := journeymap.Analyze(ctx, "examples/retail/journey.yaml", "examples/retail/events.csv", journeymap.Options{})
	require.NoError(t, err)
	assert.Equal(t, want, rep)

	// A draft's owners and channels take a second read: from a FIFO
	// (no writer now, so opening it would wait for ever) none are proposed.
	assert.False(t, journeymap.Rereadable(fifo, journeymap.Options{}))
	assert.True(t, journeymap.Rereadable("examples/retail/events.csv", journeymap.Options{}))
	done := make(chan error, 1)
	go func() {
		owner, channel, stage, err := journeymap.DraftAttributes(ctx, fifo, journeymap.Options{}, journeymap.DraftColumns{Channel: "channel"})
		if err == nil && (owner != nil || channel != nil || stage != nil) {
			err = errors.New("attributes proposed from a log read once")
		}
		done <- err
	}()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("DraftAttributes opened the FIFO a second time")
	}
}
