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
//     "2006-01-02" means midnight; the same with '/' between the date's
//     parts ("2019/11/03 01:11:19.000");
//   - Unix time as a whole number: seconds, or milliseconds when it has 12
//     digits or more (1e11 s is the year 5138).
//
// A timestamp without a zone is in loc (UTC when loc is nil). A zone offset
// is converted to the instant it names, never relabelled. Instants before
// 1678 or after 2261 do not fit int64 nanoseconds and are an error, so
// that a placeholder such as 9999-12-31 never wraps around.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	st, ok := scanTime(s)
	if !ok || !st.exists(loc) {
		return time.Time{}, errTime
	}
	return st.time(loc), nil
}

// parseUnixNano is ParseTime(s, loc).UnixNano(), without building a
// time.Time where the arithmetic is plain (a zone in s, or loc UTC).
func parseUnixNano(s string, loc *time.Location) (int64, bool) {
	st, ok := scanTime(s)
	if !ok || !st.exists(loc) {
		return 0, false
	}
	return st.unixNano(loc), true
}

// dayCache remembers the days of the timestamps parsed last, so that
// the next ones of those days (most of a log in time order, and most of
// one sorted by case, whose cases each span a few days) only need their
// time of day read. Its zero value is ready to use.
type dayCache [64]struct {
	date  uint64 // YYYY-MM-, as written, little-endian
	date2 uint16 // DD
	days  int64  // since 1970-01-01
	set   bool
}

// daySlot is where a date (the first 10 bytes of a timestamp) is kept: by
// its day, month and the year's last digit.
func daySlot(s string) int {
	return (int(s[9]) + 10*int(s[8]) + 31*int(s[6]) + 7*int(s[3])) & 63
}

// unixNano is parseUnixNano(s, loc), faster for
// YYYY-MM-DD(T| )hh:mm:ss[.frac] with a zone (Z or an offset), or none in
// UTC, on a date seen lately.
func (c *dayCache) unixNano(s string, loc *time.Location) (int64, bool) {
	if len(s) >= 19 && (s[10] == 'T' || s[10] == ' ' || s[10] == 't') {
		if e := &c[daySlot(s)]; e.set && e.date == le64s(s) && e.date2 == uint16(s[8])|uint16(s[9])<<8 {
			if sec, ok := timeOfDay(le64s(s[11:])); ok {
				if nsec, off, ok := fractionAndZone(s[19:], loc == nil || loc == time.UTC); ok {
					return (e.days*86400+sec-off)*1e9 + nsec, true
				}
			}
		}
	}
	st, ok := scanTime(s)
	if !ok || !st.exists(loc) {
		return 0, false
	}
	if !st.unix && len(s) >= 10 {
		e := &c[daySlot(s)]
		e.date, e.date2 = le64s(s), uint16(s[8])|uint16(s[9])<<8
		e.days, e.set = daysSinceEpoch(st.year, st.month, st.day), true
	}
	return st.unixNano(loc), true
}

// fractionAndZone reads what may follow hh:mm:ss, as scanISO does: a
// fraction of a second and a zone, the zone's offset in seconds east of
// UTC. A time without a zone is read here only where it is in UTC (utc):
// elsewhere its offset depends on the date, which the slow path works out.
func fractionAndZone(s string, utc bool) (nsec, off int64, ok bool) {
	nsec, n, ok := fraction(s)
	if !ok {
		return 0, 0, false
	}
	off, zoned, ok := zoneOffset(s[n:])
	return nsec, off, ok && (zoned || utc)
}

// fraction reads a fraction of a second (.fff or ,fff, any number of
// digits, nanoseconds kept) at the start of s: its nanoseconds and its
// length, 0 where s starts with neither. A separator without a digit is
// not one.
func fraction(s string) (nsec int64, n int, ok bool) {
	if s == "" || s[0] != '.' && s[0] != ',' {
		return 0, 0, true
	}
	i, scale := 1, int64(100_000_000)
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		nsec += int64(s[i]-'0') * scale
		scale /= 10
		i++
	}
	return nsec, i, i > 1
}

// zoneOffset reads a timestamp's zone, all of s: Z, ±hh, ±hhmm or ±hh:mm
// (zoned, with its offset in seconds east of UTC), or none (s empty).
func zoneOffset(s string) (off int64, zoned, ok bool) {
	switch {
	case s == "":
		return 0, false, true
	case s == "Z" || s == "z":
		return 0, true, true
	case s[0] != '+' && s[0] != '-':
		return 0, false, false
	}
	digits := func(a, b byte) (int64, bool) {
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, false
		}
		return int64(a-'0')*10 + int64(b-'0'), true
	}
	var zh, zm int64
	switch len(s) {
	case 3:
		zh, ok = digits(s[1], s[2])
	case 5:
		if zh, ok = digits(s[1], s[2]); ok {
			zm, ok = digits(s[3], s[4])
		}
	case 6:
		if s[3] == ':' {
			if zh, ok = digits(s[1], s[2]); ok {
				zm, ok = digits(s[4], s[5])
			}
		}
	}
	if !ok || zh > 23 || zm > 59 {
		return 0, false, false
	}
	off = zh*3600 + zm*60
	if s[0] == '-' {
		off = -off
	}
	return off, true, true
}

// timeOfDay reads hh:mm:ss (its 8 bytes little-endian, in w) as seconds
// since midnight, all at once: w's bytes less '0' (or ':') must each be
// a digit (or 0) for ok.
func timeOfDay(w uint64) (int64, bool) {
	const (
		form = 0x3030_3a30_303a_3030 // "00:00:00"
		over = 0x7676_7f76_767f_7676 // past 9 (or 0, for a colon), a byte's high bit is set
		high = 0x8080_8080_8080_8080
	)
	x := w ^ form
	if (x|(x+over))&high != 0 {
		return 0, false
	}
	h := int64(x&0xff)*10 + int64(x>>8&0xff)
	m := int64(x>>24&0xff)*10 + int64(x>>32&0xff)
	sec := int64(x>>48&0xff)*10 + int64(x>>56)
	if h > 23 || m > 59 || sec > 59 {
		return 0, false
	}
	return h*3600 + m*60 + sec, true
}

// le64s is s's first 8 bytes, little-endian.
func le64s(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// stamp is a timestamp as written, before it is placed on the time line.
type stamp struct {
	unix, milli             bool  // a Unix time, in n
	n                       int64 // seconds, or milliseconds if milli
	year, month, day        int
	hour, minute, sec, nsec int
	zone                    bool // s names its zone: off seconds east of UTC
	off                     int
}

func (st *stamp) time(loc *time.Location) time.Time {
	switch {
	case st.unix && st.milli:
		return time.UnixMilli(st.n).UTC()
	case st.unix:
		return time.Unix(st.n, 0).UTC()
	case st.zone:
		t := time.Date(st.year, time.Month(st.month), st.day, st.hour, st.minute, st.sec, st.nsec, time.UTC)
		return t.Add(-time.Duration(st.off) * time.Second)
	}
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(st.year, time.Month(st.month), st.day, st.hour, st.minute, st.sec, st.nsec, loc)
}

// exists reports whether a time without a zone is a wall-clock time that
// happens in loc: not one its clocks skipped at a daylight-saving change
// (02:30 on the night clocks go from 02:00 to 03:00). A time the clocks
// pass twice (when they go back) exists; time.Date reads it, today as the
// second of the two, in standard time.
func (st *stamp) exists(loc *time.Location) bool {
	if st.unix || st.zone || loc == nil || loc == time.UTC || st.hour == 24 || st.sec == 60 {
		return true
	}
	t := time.Date(st.year, time.Month(st.month), st.day, st.hour, st.minute, st.sec, st.nsec, loc)
	return t.Hour() == st.hour && t.Minute() == st.minute && t.Day() == st.day
}

func (st *stamp) unixNano(loc *time.Location) int64 {
	switch {
	case st.unix && st.milli:
		return st.n * 1e6
	case st.unix:
		return st.n * 1e9
	case !st.zone && loc != nil && loc != time.UTC:
		return st.time(loc).UnixNano() // the zone's rules say the offset
	}
	days := daysSinceEpoch(st.year, st.month, st.day)
	secs := days*86400 + int64(st.hour*3600+st.minute*60+st.sec-st.off)
	return secs*1e9 + int64(st.nsec)
}

// daysSinceEpoch is the number of days from 1970-01-01 to the given date
// of the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
func daysSinceEpoch(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	m := int64(month)
	if m > 2 {
		m -= 3
	} else {
		m += 9
	}
	doy := (153*m+2)/5 + int64(day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// daysIn is the number of days in a month of a year.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// scanTime reads a timestamp's fields, checking them, and that the instant
// it names can be held as int64 Unix nanoseconds: from 1678 to 2261.
func scanTime(s string) (stamp, bool) {
	st, ok := scanFields(s)
	return st, ok && st.inRange()
}

// Bounds of the instants held as int64 Unix nanoseconds, with a day's
// margin for zone offsets: 1678-01-02 and 2261-12-31.
const (
	minUnixSec = -9_214_646_400
	maxUnixSec = 9_214_560_000
)

func (st *stamp) inRange() bool {
	if st.unix {
		n := st.n
		if st.milli {
			n /= 1000
		}
		return n >= minUnixSec && n <= maxUnixSec
	}
	return st.year >= 1678 && st.year <= 2261
}

// skipped reports whether s is a well-formed time without a zone that loc's
// clocks skipped.
func skipped(s string, loc *time.Location) bool {
	st, ok := scanTime(s)
	return ok && !st.exists(loc)
}

// outOfRange reports whether s is a well-formed timestamp of an instant
// too far from today to hold (the 9999-12-31 of "no end date").
func outOfRange(s string) bool {
	st, ok := scanFields(s)
	return ok && !st.inRange()
}

// scanFields reads a timestamp's fields, checking them.
func scanFields(s string) (stamp, bool) {
	if len(s) == 0 {
		return stamp{}, false
	}
	if isDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return stamp{}, false
		}
		return stamp{unix: true, milli: len(s) >= 12, n: n}, true
	}
	return scanISO(s)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// scanISO is a hand-written parser for YYYY-MM-DD[(T| )hh:mm[:ss[.frac]]][zone]
// (or YYYY/MM/DD...);
// it is many times faster than trying time.Parse layouts in turn.
func scanISO(s string) (stamp, bool) {
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
	var st stamp
	var ok1, ok2, ok3 bool
	st.year, ok1 = num(0, 4)
	st.month, ok2 = num(5, 2)
	st.day, ok3 = num(8, 2)
	if !ok1 || !ok2 || !ok3 || s[4] != s[7] || s[4] != '-' && s[4] != '/' {
		return stamp{}, false
	}
	i := 10
	if i < len(s) && (s[i] == 'T' || s[i] == ' ' || s[i] == 't') {
		var ok bool
		if st.hour, ok = num(i+1, 2); !ok || i+3 >= len(s) || s[i+3] != ':' {
			return stamp{}, false
		}
		if st.minute, ok = num(i+4, 2); !ok {
			return stamp{}, false
		}
		i += 6
		if i < len(s) && s[i] == ':' {
			if st.sec, ok = num(i+1, 2); !ok {
				return stamp{}, false
			}
			i += 3
			nsec, n, ok := fraction(s[i:])
			if !ok {
				return stamp{}, false
			}
			st.nsec, i = int(nsec), i+n
		}
	}
	if st.month < 1 || st.month > 12 || st.day < 1 || st.day > daysIn(st.month, st.year) || st.hour > 24 || st.minute > 59 || st.sec > 60 {
		return stamp{}, false // 31 April, 29 February in a common year
	}
	// 24:00:00 is the end of a day (ISO 8601), the next midnight; 23:59:60
	// is a leap second, read as that midnight too. Any other hour 24 or
	// second 60 names no time.
	if st.hour == 24 && (st.minute != 0 || st.sec != 0 || st.nsec != 0) || st.sec == 60 && (st.hour != 23 || st.minute != 59) {
		return stamp{}, false
	}
	off, zoned, ok := zoneOffset(s[i:])
	if !ok {
		return stamp{}, false
	}
	st.zone, st.off = zoned, int(off)
	return st, true
}
