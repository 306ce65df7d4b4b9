package eventlog

import (
	"errors"
	"strconv"
	"time"
)

var errTime = errors.New("bad timestamp")

// ParseTime parses the timestamps the contract accepts:
//
//   - RFC 3339 and "2006-01-02 15:04:05", each with or without a fraction of
//     a second and a zone ("Z", "+01:00", "+0100", "+01"); a bare date
//     "2006-01-02" means midnight;
//   - Unix time as a whole number: seconds, or milliseconds when it has 12
//     digits or more (1e11 s is the year 5138).
//
// A timestamp without a zone is in loc (UTC when loc is nil). A zone offset
// is converted to the instant it names, never relabelled.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	if len(s) == 0 {
		return time.Time{}, errTime
	}
	if isDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, errTime
		}
		if len(s) >= 12 {
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return parseISO(s, loc)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// parseISO is a hand-written parser for YYYY-MM-DD[(T| )hh:mm[:ss[.frac]]][zone];
// it is many times faster than trying time.Parse layouts in turn.
func parseISO(s string, loc *time.Location) (time.Time, error) {
	num := func(i, n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for k := i; k < i+n; k++ {
			c := s[k]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	if !ok1 || !ok2 || !ok3 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, errTime
	}
	var hour, minute, sec, nsec int
	i := 10
	if i < len(s) && (s[i] == 'T' || s[i] == ' ' || s[i] == 't') {
		var ok bool
		if hour, ok = num(i+1, 2); !ok || i+3 >= len(s) || s[i+3] != ':' {
			return time.Time{}, errTime
		}
		if minute, ok = num(i+4, 2); !ok {
			return time.Time{}, errTime
		}
		i += 6
		if i < len(s) && s[i] == ':' {
			if sec, ok = num(i+1, 2); !ok {
				return time.Time{}, errTime
			}
			i += 3
			if i < len(s) && (s[i] == '.' || s[i] == ',') {
				i++
				start, scale := i, 100_000_000
				for i < len(s) && s[i] >= '0' && s[i] <= '9' {
					nsec += int(s[i]-'0') * scale
					scale /= 10
					i++
				}
				if i == start {
					return time.Time{}, errTime
				}
			}
		}
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || sec > 60 {
		return time.Time{}, errTime
	}
	if time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() != day {
		return time.Time{}, errTime // 31 April, 29 February in a common year
	}
	if i == len(s) {
		return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), nil
	}
	// Zone: Z, ±hh, ±hhmm or ±hh:mm.
	if (s[i] == 'Z' || s[i] == 'z') && i+1 == len(s) {
		return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), nil
	}
	if s[i] != '+' && s[i] != '-' {
		return time.Time{}, errTime
	}
	sign := 1
	if s[i] == '-' {
		sign = -1
	}
	zh, ok := num(i+1, 2)
	if !ok {
		return time.Time{}, errTime
	}
	zm := 0
	switch rest := len(s) - (i + 3); {
	case rest == 0:
	case rest == 3 && s[i+3] == ':':
		zm, ok = num(i+4, 2)
	case rest == 2:
		zm, ok = num(i+3, 2)
	default:
		ok = false
	}
	if !ok || zh > 23 || zm > 59 {
		return time.Time{}, errTime
	}
	off := sign * (zh*3600 + zm*60)
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(off) * time.Second), nil
}
