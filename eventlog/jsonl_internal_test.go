package eventlog

import (
	"cmp"
	"slices"
	"strings"
	"testing"
)

func sortedPairs(p []kv) []kv {
	out := make([]kv, len(p))
	for i, x := range p {
		out[i] = kv{k: strings.Clone(x.k), v: strings.Clone(x.v), reason: x.reason}
	}
	slices.SortFunc(out, func(a, b kv) int { return cmp.Compare(a.k, b.k) })
	return out
}

// FuzzJSONLFastMatchesSlow: whatever line the hand-written scanner
// accepts, encoding/json reads to the same keys and values.
func FuzzJSONLFastMatchesSlow(f *testing.F) {
	for _, s := range []string{
		`{"case_id":"c1","touchpoint":"home","timestamp":"2024-05-01T10:00:00Z","csat":5}`,
		`{"a":1,"a":2,"b":null,"c":true,"d":-0.5e+3}`,
		` { } `, `{"x":01}`, `{"x":"\u00e9"}`, `{"x":"é"}`, `{"x":[1]}`, `{"x":1,}`, `{"x":"\xff"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\n") {
			return
		}
		j := &jsonlReader{keyNames: map[string]string{}}
		if !j.scanFlat([]byte(line)) {
			return
		}
		fast := sortedPairs(j.pairs)
		if reason := j.decodeSlow([]byte(line)); reason != "" {
			t.Fatalf("fast path accepted %q, encoding/json did not: %s", line, reason)
		}
		slow := sortedPairs(j.pairs)
		if !slices.Equal(fast, slow) {
			t.Fatalf("%q: fast %v, slow %v", line, fast, slow)
		}
	})
}
