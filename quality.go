package journeymap

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
)

// QualityError refuses a log that is mostly broken: more than half of its
// rows are malformed, so any report on the rest would speak with a
// confidence it does not have.
type QualityError struct {
	Path            string
	Rows, Malformed int64
	// Reason is the commonest reason, its values left out ("timestamp
	// "…" does not parse"); Option the Options field that usually fixes
	// it (TimeFormat, CaseCol, TouchpointCol, TimeCol), or "".
	Reason, Option string
}

func (e *QualityError) Error() string {
	fix := "check that it is the right file, format and columns"
	if e.Option != "" {
		fix = "set Options." + e.Option
	}
	return fmt.Sprintf("%s: %d of its %d rows (%s) are malformed, mostly %s: a report on the rest would not be trustworthy; %s", e.Path, e.Malformed, e.Rows, share(e.Malformed, e.Rows), e.Reason, fix)
}

var quotedValue = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// reasonKind is a malformed row's reason with its values left out, so that
// rows broken the same way count together and no value (a customer id)
// reaches a message.
func reasonKind(reason string) string { return quotedValue.ReplaceAllString(reason, `"…"`) }

// commonestReason is the commonest kind of reason among the problems
// listed, and the option that usually fixes it.
func commonestReason(st eventlog.Stats) (reason, option string) {
	reasons := make([]string, len(st.Problems))
	for i, p := range st.Problems {
		reasons[i] = p.Reason
	}
	return commonest(reasons)
}

func commonest(reasons []string) (reason, option string) {
	count := map[string]int{}
	for _, r := range reasons {
		count[reasonKind(r)]++
	}
	if len(count) == 0 {
		return "for reasons not listed", ""
	}
	kinds := slices.Sorted(maps.Keys(count))
	slices.SortStableFunc(kinds, func(a, b string) int { return cmp.Compare(count[b], count[a]) })
	reason = kinds[0]
	switch r := strings.ToLower(reason); {
	case strings.Contains(r, "time"):
		option = "TimeFormat"
	case strings.Contains(r, "case"):
		option = "CaseCol"
	case strings.Contains(r, "touchpoint") || strings.Contains(r, "name"):
		option = "TouchpointCol"
	}
	return reason, option
}

// checkQuality refuses a log more than half of whose rows are malformed,
// and one with no rows at all.
func checkQuality(path string, st eventlog.Stats) error {
	if st.Rows == 0 {
		return fmt.Errorf("%s: %w", path, ErrEmptyLog)
	}
	if err := allMalformed(path, st); err != nil {
		return err
	}
	if 2*st.Malformed > st.Rows {
		reason, option := commonestReason(st)
		return &QualityError{Path: path, Rows: st.Rows, Malformed: st.Malformed, Reason: reason, Option: option}
	}
	return nil
}

// ReportWarnings are what a report must carry beside its findings
// (Report.Warnings): malformed rows (the commonest reason among those
// rep.Malformed lists), and a log most of whose events match no
// touchpoint, with the touchpoints those names probably mean. Analyze
// adds them; a program that builds its report from parts (the Beam
// pipeline) calls it once rep.Malformed is set.
func ReportWarnings(rep *friction.Report) []string {
	var out []string
	if ev := rep.Events; ev.Malformed > 0 {
		reasons := make([]string, len(rep.Malformed))
		for i, p := range rep.Malformed {
			reasons[i] = p.Reason
		}
		reason, _ := commonest(reasons)
		out = append(out, fmt.Sprintf("%d of %d rows (%s) are malformed and were skipped, mostly %s; they are listed under \"Malformed rows\".", ev.Malformed, ev.Read, share(ev.Malformed, ev.Read), reason))
	}
	if ev := rep.Events; ev.Read > 0 && 2*ev.Unmatched > ev.Read {
		names := slices.Sorted(maps.Keys(rep.Unmatched))
		slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(rep.Unmatched[b], rep.Unmatched[a]) })
		var top []string
		for _, n := range names[:min(3, len(names))] {
			s := fmt.Sprintf("%q (%d)", n, rep.Unmatched[n])
			if tp, ok := rep.NearMisses[n]; ok {
				s += fmt.Sprintf(", probably %q", tp)
			}
			top = append(top, s)
		}
		w := fmt.Sprintf("%d of %d events (%s) match no touchpoint, so the findings describe the rest only", ev.Unmatched, ev.Read, share(ev.Unmatched, ev.Read))
		if len(top) > 0 {
			w += "; the commonest names: " + strings.Join(top, "; ")
		}
		out = append(out, w+". Add them to a touchpoint's match: list, or check the event-name column.")
	}
	return out
}

func share(k, n int64) string {
	if n == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(k)/float64(n))
}
