// Package textcut shortens a value quoted in a message: a 7 MB id or name
// is not worth repeating, its first bytes and its length are.
package textcut

import (
	"fmt"
	"unicode/utf8"
)

// Cut returns s if it is at most 80 bytes, else its first 60 bytes
// (whole characters) and its length: "XXXX… (200000 bytes)".
func Cut(s string) string {
	if len(s) <= 80 {
		return s
	}
	cut := 60
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:cut], len(s))
}
