package friction

import "github.com/journeymap/journeymap/internal/prose"

// MaxUnmatchedNames is how many distinct unmatched event names a report
// lists. A log with more is almost always read with the wrong column as
// the event name (case ids, e-mails, free text): those are customer data,
// so the report counts them and says so instead of listing them.
const MaxUnmatchedNames = 200

// unmatchedNames is the report's unmatched_names: every name printable
// and distinct (a quoted form never collides with a plain one, since a
// plain name never starts with a quote), or nothing when there are more
// than MaxUnmatchedNames.
func unmatchedNames(m map[string]int64) (names map[string]int64, withheld int) {
	if len(m) > MaxUnmatchedNames {
		return nil, len(m)
	}
	if len(m) == 0 {
		return nil, 0
	}
	names = make(map[string]int64, len(m))
	for k, v := range m {
		names[prose.Printable(k)] += v
	}
	return names, 0
}
