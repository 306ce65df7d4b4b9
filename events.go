package journeymap

import (
	"fmt"
	"io"
	"sync"

	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/replay"
)

// batchSize is how many events the parsing goroutine hands over at once.
const batchSize = 4096

// EventSource reads an eventlog.Reader as the replay.Events that replay
// and discovery consume, and reports the reader's malformed rows so that a
// replay accounts for every row.
//
// It parses in a goroutine of its own, a batch of events ahead of the
// consumer, so that reading the file and grouping its events by case run
// on two cores. Read it to the end, or call Stop, so that goroutine ends.
type EventSource struct {
	r        eventlog.Reader
	segment  string
	progress func(int64)

	start    sync.Once
	batches  chan batch
	free     chan []replay.Event
	done     chan struct{}
	stopOnce sync.Once
	cur      batch
	i        int
	stats    eventlog.Stats // as of the last batch taken
}

type batch struct {
	evs   []replay.Event
	stats eventlog.Stats
	err   error // io.EOF after the last event, or the error that stopped reading
}

// NewEventSource adapts r. segment, if not empty, names the attribute
// (column) whose value segments cases, such as "persona" or "region".
func NewEventSource(r eventlog.Reader, segment string) *EventSource {
	return &EventSource{r: r, segment: segment}
}

func (s *EventSource) run() {
	var sent eventlog.Stats // the reader's counts at the last batch
	defer close(s.batches)
	// The caller's reader runs on this goroutine of ours, where a panic
	// would end the caller's whole process: it is the replay's error.
	defer func() {
		if p := recover(); p != nil {
			select {
			case s.batches <- batch{stats: sent, err: fmt.Errorf("journeymap: the event reader panicked: %v", p)}:
			case <-s.done:
			}
		}
	}()
	for {
		var evs []replay.Event
		select {
		case evs = <-s.free:
			evs = evs[:0]
		default:
			evs = make([]replay.Event, 0, batchSize)
		}
		var err error
		for len(evs) < batchSize {
			var ev eventlog.Event
			if ev, err = s.r.Read(); err != nil {
				break
			}
			out := replay.Event{
				Case: ev.Case, Touchpoint: ev.Touchpoint, Time: ev.Time, Line: ev.Line,
				Channel: ev.Channel, Lifecycle: ev.Lifecycle, CSAT: ev.CSAT, CES: ev.CES, NPS: ev.NPS,
			}
			if s.segment != "" {
				var ok bool
				if out.Segment, ok = ev.Attr(s.segment); !ok {
					out.Segment, _ = ev.Attr("case:" + s.segment) // XES trace attributes
				}
			}
			evs = append(evs, out)
		}
		sent = s.r.Stats()
		select {
		case s.batches <- batch{evs: evs, stats: sent, err: err}:
		case <-s.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// Next returns the next well-formed event.
func (s *EventSource) Next() (replay.Event, error) {
	s.start.Do(func() {
		s.batches = make(chan batch, 2)
		s.free = make(chan []replay.Event, 2)
		s.done = make(chan struct{})
		go s.run()
	})
	for s.i == len(s.cur.evs) {
		if s.cur.err != nil {
			return replay.Event{}, s.cur.err
		}
		if s.cur.evs != nil {
			select {
			case s.free <- s.cur.evs:
			default:
			}
		}
		b, ok := <-s.batches
		if !ok {
			return replay.Event{}, io.EOF
		}
		s.cur, s.i, s.stats = b, 0, b.stats
		if s.progress != nil {
			s.progress(b.stats.Rows)
		}
	}
	s.i++
	return s.cur.evs[s.i-1], nil
}

// Stop ends the parsing goroutine early (Close of the reader is the
// caller's). It is safe to call more than once.
func (s *EventSource) Stop() {
	s.stopOnce.Do(func() {
		if s.done != nil {
			close(s.done)
			for range s.batches { // let run return
			}
		}
	})
}

// Malformed is the number of malformed rows skipped so far.
func (s *EventSource) Malformed() int64 { return s.stats.Malformed }

// Stats are the reader's counts and first problems, as of the events
// returned so far; after io.EOF, the whole file's.
func (s *EventSource) Stats() eventlog.Stats {
	if s.batches == nil { // nothing read yet
		return s.r.Stats()
	}
	return s.stats
}
