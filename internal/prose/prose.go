// Package prose writes numbers and names the way every rendering of a
// report shows them, so that text, Markdown, HTML and the findings' own
// sentences tell the same numbers in the same words.
package prose

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Percent writes a share (0.042) as a whole percentage ("4%").
func Percent(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }

// Share writes k of n as a whole percentage, "0%" where n is 0.
func Share(k, n int64) string {
	if n <= 0 {
		return Percent(0)
	}
	return Percent(float64(k) / float64(n))
}

// Seconds writes seconds as a short duration: "45s", "12m", "3.5h", "2.1d".
func Seconds(s float64) string {
	switch {
	case s < 90:
		return fmt.Sprintf("%.0fs", s)
	case s < 90*60:
		return fmt.Sprintf("%.0fm", s/60)
	case s < 48*3600:
		return fmt.Sprintf("%.1fh", s/3600)
	}
	return fmt.Sprintf("%.1fd", s/86400)
}

// Plural is "1 check", "3 checks".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Printable returns s as it can be shown anywhere: unchanged when it is
// valid UTF-8 without control characters, else Go-quoted ("a\xff",
// "\x1b[2J"), so that no log value can drive a terminal and two different
// names never print alike.
func Printable(s string) string {
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

var markdown = strings.NewReplacer("\\", `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "\r", " ", "\n", " ")

// Markdown escapes text for a Markdown line: the characters that would
// start markup or HTML, and line breaks.
func Markdown(s string) string { return markdown.Replace(s) }
