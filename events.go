package journeymap

import (
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/journey"
)

// EventSource reads an eventlog.Reader as the journey.Events that replay
// and discovery consume, and reports the reader's malformed rows so that a
// replay accounts for every row.
type EventSource struct {
	r        eventlog.Reader
	segment  string
	progress func(int64)
	n        int64
}

// NewEventSource adapts r. segment, if not empty, names the attribute
// (column) whose value segments cases, such as "persona" or "region".
func NewEventSource(r eventlog.Reader, segment string) *EventSource {
	return &EventSource{r: r, segment: segment}
}

// Next returns the next well-formed event.
func (s *EventSource) Next() (journey.Event, error) {
	ev, err := s.r.Read()
	if err != nil {
		return journey.Event{}, err
	}
	if s.n++; s.progress != nil && s.n&0xffff == 0 {
		s.progress(s.r.Stats().Rows)
	}
	out := journey.Event{
		Case: ev.Case, Touchpoint: ev.Touchpoint, Time: ev.Time, Line: ev.Line,
		Channel: ev.Channel, CSAT: ev.CSAT, CES: ev.CES, NPS: ev.NPS,
	}
	if s.segment != "" {
		var ok bool
		if out.Segment, ok = ev.Attr(s.segment); !ok {
			out.Segment, _ = ev.Attr("case:" + s.segment) // XES trace attributes
		}
	}
	return out, nil
}

// Malformed is the number of malformed rows skipped so far.
func (s *EventSource) Malformed() int64 { return s.r.Stats().Malformed }

// Stats are the reader's counts and first problems.
func (s *EventSource) Stats() eventlog.Stats { return s.r.Stats() }
