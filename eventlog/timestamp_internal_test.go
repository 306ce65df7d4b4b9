package eventlog

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// parseUnixNano works out the instant by arithmetic; ParseTime asks the
// time package. They must agree everywhere, calendar corners included.
var unixNanoCases = []string{
	"2024-05-01T10:00:00Z", "2024-05-01 10:00:00.123+02:00", "2024-05-01", "1714557600", "1714557600000",
	"2000-02-29", "1900-02-29", "2100-02-29", "0000-02-29", "0000-01-01T00:00:00Z", "9999-12-31T23:59:60.999999999-23:59",
	"1969-12-31T23:59:59.5Z", "1600-03-01", "2024-12-31T24:00:00", "2023-02-28T24:00", "2024-04-31", "1970-01-01T00:00:00+14",
	"0", "9223372036854775807", "99999999999", "2262-04-11T23:47:16.854775807Z", "1677-09-21T00:12:43.145224192Z",
}

func TestUnixNanoMatchesParseTime(t *testing.T) {
	for _, loc := range []*time.Location{nil, time.UTC, time.FixedZone("X", -(9*3600 + 30*60))} {
		for _, s := range unixNanoCases {
			checkUnixNano(t, s, loc)
		}
	}
	_, ok := parseUnixNano("2100-02-29", nil)
	assert.False(t, ok, "2100 is not a leap year")
	_, ok = parseUnixNano("2000-02-29", nil)
	assert.True(t, ok, "2000 is a leap year")
}

// A dayCache gives what ParseTime gives for any timestamp after any
// other: same day or not, in UTC or not, in the shapes it reads fast or
// not.
func TestDayCache(t *testing.T) {
	seq := []string{
		"2024-05-01T10:00:00Z", "2024-05-01T10:00:07Z", "2024-05-01 23:59:60", "2024-05-01T24:00:00Z",
		"2024-05-01T10:00:07+02:00", "2024-05-01T10:00:07.5Z", "2024-05-01T1x:00:07Z", "2024-05-01T10:60:00Z",
		"2024-05-02T00:00:00Z", "1714557600", "2024-05-02T00:00:01Z", "2024-05-02", "2024-05-02 00:00",
		"2024-05-0ZT00:00:01Z", "2024-02-30T00:00:00Z", "2024-05-02T00:00:01z", "2024-05-02t00:00:01Z",
		// back to a day kept, then one kept in the same place (another
		// century, same slot), then the first again
		"2024-05-01T11:00:00Z", "2034-05-01T11:00:00Z", "2024-05-01T12:00:00Z", "2034-05-01 13:00:00", "2024/05/01 14:00:00", "2024-05-01T14:00:01Z",
		// on a day kept, a time of day read 8 bytes at once: other
		// separators, and bytes with the high bit set (which a careless
		// bit trick carries out of the word)
		"2024-05-01T10;00:07Z", "2024-05-01T10:00;07Z", "2024-05-01T10:00:0\xffZ", "2024-05-01T\xff0:00:07Z", "2024-05-01T10\xbb00:07Z", "2024-05-01T10:00\xbb07Z",
	}
	for _, loc := range []*time.Location{nil, time.UTC, time.FixedZone("X", -(9*3600 + 30*60))} {
		var c dayCache
		for _, s := range seq {
			checkCached(t, &c, s, loc)
		}
	}
}

func checkUnixNano(t *testing.T, s string, loc *time.Location) {
	t.Helper()
	want, err := ParseTime(s, loc)
	got, ok := parseUnixNano(s, loc)
	if assert.Equal(t, err == nil, ok, "%q parses in one and not the other", s) && ok {
		assert.Equal(t, want.UnixNano(), got, "%q in %v", s, loc)
	}
}

func checkCached(t *testing.T, c *dayCache, s string, loc *time.Location) {
	t.Helper()
	want, err := ParseTime(s, loc)
	got, ok := c.unixNano(s, loc)
	if assert.Equal(t, err == nil, ok, "%q parses in one and not the other after %q", s, c.dates()) && ok {
		assert.Equal(t, want.UnixNano(), got, "%q in %v after %q", s, loc, c.dates())
	}
}

// FuzzUnixNano: parseUnixNano, and a dayCache after any timestamp,
// agree with ParseTime.
func FuzzUnixNano(f *testing.F) {
	for _, s := range unixNanoCases {
		f.Add(s, "2024-05-01T10:00:00Z", false)
	}
	f.Add("2024-05-01T10:00:00Z", "2024-05-01 10:00:09", true)
	// The cached day with a fraction and a zone after it, as XES writes
	// them: each must read as the slow path reads it.
	for _, next := range []string{"2011-10-01T00:38:44.546+02:00", "2011-10-01T00:38:44.5-0530", "2011-10-01T00:38:44,123456789123Z",
		"2011-10-01T00:38:44+24:00", "2011-10-01T00:38:44+02:6", "2011-10-01T00:38:44.+02:00", "2011-10-01T00:38:44-03", "2011-10-01 00:38:44.25"} {
		f.Add("2011-10-01T00:00:00Z", next, false)
		f.Add("2011-10-01T00:00:00Z", next, true)
	}
	f.Fuzz(func(t *testing.T, s, next string, zoned bool) {
		var loc *time.Location
		if zoned {
			loc = time.FixedZone("Y", 5*3600+45*60)
		}
		checkUnixNano(t, s, loc)
		var c dayCache
		checkCached(t, &c, s, loc)
		checkCached(t, &c, next, loc)
	})
}

// dates are the dates kept, for messages in tests.
func (c *dayCache) dates() []string {
	var d []string
	for _, e := range c {
		if e.set {
			d = append(d, string(binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint64(nil, e.date), e.date2)))
		}
	}
	return d
}
