package replay

import (
	"fmt"

	"github.com/journeymap/journeymap/internal/design"
	"github.com/journeymap/journeymap/journey"
)

// CaseReplayer replays a log one case at a time, for a program that has
// grouped the events by case itself: a Beam pipeline after its
// GroupByKey, a query ordered by case. Replayers over disjoint sets of
// cases give Results that merge (Result.Merge) into the result of
// replaying every case at once with the same options, LogEnd included.
//
// A CaseReplayer is not safe for concurrent use: use one per goroutine
// and merge their results. It holds the aggregates and one case.
type CaseReplayer struct {
	j    *design.Index
	c    *collector
	w    *walker
	r    *Result
	opts Options
	cb   caseBuf
	done bool
}

// NewCaseReplayer returns a replayer into an empty result. opts.LogEnd
// is required: a case's outcome (dropped, or still in progress) depends
// on the whole log's end, which one case cannot know. Workers, Grouped
// and Horizon do not apply; KeepCases keeps the cases in the order they
// are replayed.
func NewCaseReplayer(jr *journey.Journey, opts Options) (*CaseReplayer, error) {
	j, err := indexOf(jr)
	if err != nil {
		return nil, err
	}
	if opts.LogEnd.IsZero() {
		return nil, fmt.Errorf("journey: a case replayer needs Options.LogEnd, the log's last timestamp: a case alone cannot tell whether it dropped or is still in progress")
	}
	c := newCollector(func(name string) (int32, bool) { return resolveName(j, name) })
	tpChan := designedChannels(j, c)
	r := newResult(j, c)
	c.end = opts.LogEnd.UnixNano()
	w := newWalker(j, r, c, tpChan, opts)
	return &CaseReplayer{j: j, c: c, w: w, r: r, opts: opts}, nil
}

// Replay walks one case: all its events (matched to touchpoints or not),
// in the order the log holds them. Every event's case id must be id. An
// event no reader would give (a score out of range) is an *EventError,
// and the case is not counted.
func (p *CaseReplayer) Replay(id string, events []Event) error {
	if p.done {
		return fmt.Errorf("journey: CaseReplayer.Replay after Result")
	}
	c := p.c
	cb := &p.cb
	*cb = caseBuf{id: id, evs: cb.evs[:0]}
	for i := range events {
		ev := &events[i]
		if err := checkScores(ev); err != nil {
			return err
		}
		if ev.Case != id {
			return fmt.Errorf("journey: event %d of a case is of another case: give Replay one case's events", i)
		}
	}
	end := c.end
	for i := range events {
		ev := &events[i]
		c.read++
		t := ev.Time.UnixNano()
		c.clock(t)
		if ev.Segment != "" && cb.segment == "" {
			cb.segment = ev.Segment
		}
		e, ok := c.match(ev, t)
		if !ok {
			cb.unmatched++
			continue
		}
		cb.evs = append(cb.evs, e)
	}
	c.end = end // the log's end is opts.LogEnd, not the latest time read
	p.w.r = p.r
	if p.opts.BySegment {
		p.w.r = p.r.segment(p.j, cb.segment)
	}
	var keep *Case
	if p.opts.KeepCases {
		p.r.CaseList = append(p.r.CaseList, Case{})
		keep = &p.r.CaseList[len(p.r.CaseList)-1]
	}
	p.w.walk(cb, keep)
	return nil
}

// Result finishes the replay and returns its result: the aggregates of
// every case replayed, the events read and unmatched, and the log's time
// span as far as these cases reach (LogEnd is opts.LogEnd). Replay may
// not be called after it.
func (p *CaseReplayer) Result() *Result {
	if !p.done {
		p.done = true
		finishResult(p.j, p.r, p.c, p.opts)
	}
	return p.r
}
