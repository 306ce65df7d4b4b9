package replay

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/journeymap/journeymap/internal/design"
	"github.com/journeymap/journeymap/journey"
)

// NoMatchError is Run's error for a log of which no event matches any
// touchpoint of the journey: almost always the wrong journey for the log,
// or the wrong column taken for the event name. A report on it would say
// "fitness 1.00, no friction" of nothing.
type NoMatchError struct {
	Journey  string   // the journey's id
	Events   int64    // well-formed events read
	Names    []string // the log's most frequent event names, at most 5
	Distinct int      // how many distinct names the log has
	Expects  []string // the first touchpoint ids of the journey, at most 5
}

func (e *NoMatchError) Error() string {
	if e.Distinct > 200 {
		return fmt.Sprintf("none of the log's %d events matches a touchpoint of journey %q, and the log has %d distinct event names, too many to be touchpoints (ids or free text?): is the event-name column the right one? The journey expects %s",
			e.Events, e.Journey, e.Distinct, quoted(e.Expects))
	}
	return fmt.Sprintf("none of the log's %d events matches a touchpoint of journey %q: the log names %s (%d distinct), the journey expects %s; is it the journey for this log, and the log's event-name column? Add the log's names to a touchpoint's match: list",
		e.Events, e.Journey, quoted(e.Names), e.Distinct, quoted(e.Expects))
}

// quoted lists names quoted and shortened, so that a binary column or a
// column of long ids cannot flood a terminal.
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		if len(n) > 40 {
			n = n[:40] + "..."
		}
		q[i] = strconv.QuoteToASCII(n)
	}
	return strings.Join(q, ", ")
}

// noMatch returns a *NoMatchError when events were read and none matched.
func noMatch(j *design.Index, res *Result) error {
	if res.Events.Read == 0 || res.Events.Replayed > 0 {
		return nil
	}
	if res.Events.Outside > 0 && res.Events.Outside+res.Events.Unmatched+res.Events.Malformed == res.Events.Read {
		return fmt.Errorf("%w: no customer's journey began in the period (the log runs from %s to %s)", ErrEmptyPeriod, res.LogStart.Format(time.RFC3339), res.LogEnd.Format(time.RFC3339))
	}
	names := slices.Collect(maps.Keys(res.UnmatchedNames))
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(res.UnmatchedNames[b], res.UnmatchedNames[a]), cmp.Compare(a, b))
	})
	e := &NoMatchError{Journey: j.ID, Events: res.Events.Read, Distinct: len(names)}
	if len(names) <= 200 {
		e.Names = names[:min(5, len(names))]
	}
	for _, t := range j.Touchpoints[:min(5, len(j.Touchpoints))] {
		e.Expects = append(e.Expects, t.ID)
	}
	return e
}

// ErrEmptyPeriod is the cause of the error for a period
// (Options.Since, Until) in which no case began.
var ErrEmptyPeriod = errors.New("the period holds no events")

// CheckMatched returns the error Run returns for its result where events
// were read and none met a touchpoint (a *NoMatchError, or one for an empty
// period): for a result merged from parts (a pipeline's, a live
// service's), which Run never saw whole.
func CheckMatched(j *journey.Journey, res *Result) error {
	x, err := indexOf(j)
	if err != nil {
		return err
	}
	return noMatch(x, res)
}
