package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// Sentences wrap under their first word; tables, short lines and words
// longer than the width stay as they are; nothing is lost or reordered.
func TestWrapProse(t *testing.T) {
	tests := []struct {
		name, in, want string
		width          int
	}{
		{"short", "Journey x (y)\n", "Journey x (y)\n", 20},
		{"a finding", " 1. one two three four five six\n", " 1. one two three\n    four five six\n", 18},
		{"a recommendation", "    -> alpha beta gamma delta\n", "    -> alpha beta\n       gamma delta\n", 18},
		{"a table row", "  stage     cases   dropped  bounced\n", "  stage     cases   dropped  bounced\n", 18},
		{"a long word", "  Warning: supercalifragilistic yes\n", "  Warning: supercalifragilistic\n           yes\n", 18},
		{"runes, not bytes", "→ → → → → → → →\n", "→ → → → → → → →\n", 15},
		{"no wrapping", " 1. one two three four five six\n", " 1. one two three four five six\n", 0},
		{"no final line break", "aa bb cc dd", "aa bb\ncc dd", 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := wrapProse(tc.in, tc.width)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, strings.Fields(tc.in), strings.Fields(got), "the same words in the same order")
			for _, line := range strings.Split(got, "\n") {
				if len(strings.Fields(line[len(proseMarker.FindString(line)):])) <= 1 {
					continue // one word, however long
				}
				if tc.width > 0 && !strings.Contains(line, "  stage") {
					assert.LessOrEqual(t, utf8.RuneCountInString(line), tc.width, "%q", line)
				}
			}
		})
	}
}
