package journey

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDuration parses a duration in Go syntax ("36h", "90m", "1h30m") with
// one addition: "d" for days of 24 hours ("2d", "1d12h"). Durations in a
// journey file must be positive.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.ParseFloat(s[:i], 64)
		// NaN fails both comparisons: a duration is a number of days
		// from 0 to the longest a duration holds (106,751 days).
		if err != nil || !(n >= 0 && n <= 106751) {
			return 0, fmt.Errorf("bad duration %q: use Go syntax plus d for days, like 36h, 2d or 90m", s)
		}
		days = time.Duration(n * float64(24*time.Hour))
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || days+d < days {
		return 0, fmt.Errorf("bad duration %q: use Go syntax plus d for days, like 36h, 2d or 90m", s)
	}
	return days + d, nil
}

// FormatDuration writes d the way a journey file would: whole days as "d",
// the rest in Go syntax, trailing zero units dropped ("2d", "1d12h", "90m").
func FormatDuration(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	var b strings.Builder
	if days := d / (24 * time.Hour); days > 0 {
		fmt.Fprintf(&b, "%dd", days)
		d -= days * 24 * time.Hour
	}
	if d > 0 {
		s := d.String() // "2h0m0s", "1h30m0s", "45s"
		if strings.HasSuffix(s, "m0s") {
			s = strings.TrimSuffix(s, "0s")
		}
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
		b.WriteString(s)
	}
	return b.String()
}
