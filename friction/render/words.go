package render

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/prose"
)

// scoreLine is a touchpoint's or stage's CX scores in a few words, "CSAT
// 82% · CES 3.1 · NPS +12", or "" where customers gave none.
func scoreLine(m friction.Metrics) string {
	var parts []string
	if m.CSAT != nil && m.CSAT.Answers > 0 {
		parts = append(parts, "CSAT "+prose.Percent(m.CSAT.Score))
	}
	if m.CES != nil && m.CES.Answers > 0 {
		parts = append(parts, fmt.Sprintf("CES %.1f", m.CES.Score))
	}
	if m.NPS != nil && m.NPS.Answers > 0 {
		parts = append(parts, fmt.Sprintf("NPS %+.0f", m.NPS.Score))
	}
	return strings.Join(parts, " · ")
}

// evidenceSentences says a finding's evidence in words, one sentence a
// key in key order: "Median wait: 1.5d.", "Rate: 20% (95% interval 17%–
// 23%).". Times (keys ending in _s) read as durations, rates and shares
// as percentages, touchpoint ids by their names. The example paths are
// left out: they are the finding's examples.
func evidenceSentences(ev map[string]any, name func(string) string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(ev)) {
		if k == "example_paths" || k == "rarer_paths" || k == "more_example_paths" || k == "scope" {
			continue
		}
		label := evidenceLabel(k)
		out = append(out, label+": "+evidenceValue(k, ev[k], name)+".")
	}
	return out
}

// evidenceLabel is an evidence key in words: "median_wait_s" is "Median
// wait", "ci95" "95% interval", the scores' names in capitals.
func evidenceLabel(k string) string {
	if k == "ci95" {
		return "95% interval"
	}
	words := strings.Fields(strings.ReplaceAll(strings.TrimSuffix(k, "_s"), "_", " "))
	for i, w := range words {
		switch w {
		case "csat", "ces", "nps", "ci95":
			words[i] = strings.ToUpper(w)
		}
	}
	l := strings.Join(words, " ")
	return strings.ToUpper(l[:1]) + l[1:]
}

func evidenceValue(key string, v any, name func(string) string) string {
	percent := strings.Contains(key, "rate") || strings.Contains(key, "share") || key == "expected_max" || key == "margin" || key == "ci95"
	num := func(x float64) string {
		switch {
		case strings.HasSuffix(key, "_s"):
			return prose.Seconds(x)
		case percent && math.Abs(x) <= 1:
			return fmt.Sprintf("%.1f%%", 100*x)
		case x == math.Trunc(x) && math.Abs(x) < 1e15:
			return fmt.Sprintf("%.0f", x)
		}
		return fmt.Sprintf("%.3g", x)
	}
	switch x := v.(type) {
	case [2]float64:
		if key == "ci95" {
			return num(x[0]) + " to " + num(x[1])
		}
		return num(x[0]) + " → " + num(x[1]) // before and after, or earlier and later
	case [][2]string:
		pairs := make([]string, len(x))
		for i, p := range x {
			pairs[i] = name(p[0]) + " ↔ " + name(p[1])
		}
		return strings.Join(pairs, "; ")
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, strings.ToLower(evidenceLabel(k))+" "+evidenceValue(k, x[k], name))
		}
		return strings.Join(parts, ", ")
	case float64:
		return num(x)
	case int64:
		return fmt.Sprint(x)
	case int:
		return fmt.Sprint(x)
	case string:
		return word(x, name)
	case []string:
		names := make([]string, len(x))
		for i, id := range x {
			names[i] = word(id, name)
		}
		return strings.Join(names, ", ")
	case map[string]int64:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, fmt.Sprintf("%s %d", name(k), x[k]))
		}
		return strings.Join(parts, ", ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// word is a touchpoint's name for its id, or a word of the report's own
// ("channel_switches") with spaces.
func word(s string, name func(string) string) string {
	if n := name(s); n != s {
		return n
	}
	return strings.ReplaceAll(s, "_", " ")
}
