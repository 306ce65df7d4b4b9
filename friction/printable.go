package friction

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// MaxUnmatchedNames is how many distinct unmatched event names a report
// lists. A log with more is almost always read with the wrong column as
// the event name (case ids, e-mails, free text): those are customer data,
// so the report counts them and says so instead of listing them.
const MaxUnmatchedNames = 200

// printable returns s as it can be shown anywhere: unchanged when it is
// valid UTF-8 without control characters, else Go-quoted ("a\xff",
// "\x1b[2J"), so that no log value can drive a terminal and two different
// names never print alike.
func printable(s string) string {
	if utf8.ValidString(s) {
		clean := true
		for _, r := range s {
			if unicode.IsControl(r) || r == utf8.RuneError {
				clean = false
				break
			}
		}
		if clean && (len(s) == 0 || s[0] != '"') {
			return s
		}
	}
	return strconv.Quote(s)
}

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
		names[printable(k)] += v
	}
	return names, 0
}
