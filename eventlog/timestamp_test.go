package eventlog_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/eventlog"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 in UTC, "" for an error
	}{
		{"2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"},
		{"2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00Z"},
		{"2024-05-01T12:00:00+0200", "2024-05-01T10:00:00Z"},
		{"2024-05-01T12:00:00+02", "2024-05-01T10:00:00Z"},
		{"2024-05-01T05:30:00-04:30", "2024-05-01T10:00:00Z"},
		{"2024-05-01 10:00:00", "2024-05-01T10:00:00Z"},
		{"2024-05-01 10:00", "2024-05-01T10:00:00Z"},
		{"2024-05-01", "2024-05-01T00:00:00Z"},
		{"2011-12-06 13:41:31.788000+01:00", "2011-12-06T12:41:31.788Z"},
		{"2024-05-01T10:00:00.123456789Z", "2024-05-01T10:00:00.123456789Z"},
		{"2024-05-01T10:00:00,5Z", "2024-05-01T10:00:00.5Z"},
		{"1714557600", "2024-05-01T10:00:00Z"},
		{"1714557600000", "2024-05-01T10:00:00Z"},
		{"0", "1970-01-01T00:00:00Z"},
		{"", ""},
		{"yesterday", ""},
		{"2024-13-01", ""},
		{"2024-02-30 00:00:00", ""},
		{"2024-05-01T25:00:00Z", ""},
		{"2024-05-01T10:00:00+2", ""},
		{"2024-05-01T10:00:00.Z", ""},
		{"2024-05-01T10:00:00 UTC", ""},
		{"2024/05/01 10:00:00", "2024-05-01T10:00:00Z"},
		{"2019/11/03 01:11:19.000", "2019-11-03T01:11:19Z"},
		{"2024/05-01 10:00:00", ""},
		{"9999-12-31", ""},
		{"1677-12-31 00:00:00", ""},
		{"2262-01-01T00:00:00Z", ""},
		{"2261-12-31T00:00:00Z", "2261-12-31T00:00:00Z"},
		{"99999999999", ""},
		{"-99999999999", ""},
		{"2024-05-01 24:00:00", "2024-05-02T00:00:00Z"},
		{"2024-05-01 24:59:60", ""},
		{"2024-05-01 24:30", ""},
		{"2016-12-31 23:59:60", "2017-01-01T00:00:00Z"},
		{"2024-05-01 10:00:60", ""},
	}
	for _, tc := range tests {
		got, err := eventlog.ParseTime(tc.in, nil)
		if tc.want == "" {
			assert.Error(t, err, tc.in)
			continue
		}
		if assert.NoError(t, err, tc.in) {
			assert.Equal(t, tc.want, got.UTC().Format(time.RFC3339Nano), tc.in)
		}
	}
}

func TestParseTimeLocation(t *testing.T) {
	loc := time.FixedZone("X", 3*3600)
	got, err := eventlog.ParseTime("2024-05-01 13:00:00", loc)
	assert.NoError(t, err)
	assert.Equal(t, "2024-05-01T10:00:00Z", got.UTC().Format(time.RFC3339))
	got, err = eventlog.ParseTime("2024-05-01T13:00:00Z", loc)
	assert.NoError(t, err)
	assert.Equal(t, "2024-05-01T13:00:00Z", got.UTC().Format(time.RFC3339), "an explicit zone wins")
}

func TestTimeFormat(t *testing.T) {
	tests := []struct {
		format, in string
		want       string // RFC 3339 in UTC; "" for a malformed row
	}{
		{"%d/%m/%Y %H:%M", "03/11/2019 01:11", "2019-11-03T01:11:00Z"},
		{"%d/%m/%Y %H:%M", "2019-11-03 01:11", ""},
		{"%d.%m.%y %I:%M %p", "03.11.19 01:11 PM", "2019-11-03T13:11:00Z"},
		{"%Y%m%d %H%M%S", "20191103 011119", "2019-11-03T01:11:19Z"},
		{"%Y-%m-%dT%H:%M:%S.%f%z", "2019-11-03T01:11:19.25+0100", "2019-11-03T00:11:19.25Z"},
		{"%F %T %:z", "2019-11-03 01:11:19 -02:00", "2019-11-03T03:11:19Z"},
		{"%d %b %Y", "03 Nov 2019", "2019-11-03T00:00:00Z"},
		{"%d/%m/%Y", "31/12/9999", ""},
	}
	for _, tc := range tests {
		log := "case_id,touchpoint,timestamp\nc1,a," + tc.in + "\n"
		r, err := eventlog.NewReader(strings.NewReader(log), "t.csv", eventlog.CSV, eventlog.Options{TimeFormat: tc.format})
		require.NoError(t, err, tc.format)
		ev, err := r.Read()
		if tc.want == "" {
			assert.ErrorIs(t, err, io.EOF, tc.in)
			if assert.Len(t, r.Stats().Problems, 1) {
				assert.Contains(t, r.Stats().Problems[0].Reason, "timestamp", tc.in)
			}
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, ev.Time.UTC().Format(time.RFC3339Nano), tc.format)
	}
}

func TestTimeFormatErrors(t *testing.T) {
	for format, want := range map[string]string{
		"%d/%m/%Y %Q":    "unknown directive %Q",
		"%Y-%m-%d at %H": `the literal "a"`,
		"%S%f":           "must follow a . or ,",
		"%Y%":            "lone %",
	} {
		_, err := eventlog.NewReader(strings.NewReader("case_id,touchpoint,timestamp\n"), "t.csv", eventlog.CSV, eventlog.Options{TimeFormat: format})
		if assert.Error(t, err, format) {
			assert.Contains(t, err.Error(), want, format)
		}
	}
}

func TestOutOfRangeTimestampSaysSo(t *testing.T) {
	r, err := eventlog.NewReader(strings.NewReader("case_id,touchpoint,timestamp\nc1,a,9999-12-31\n"), "t.csv", eventlog.CSV, eventlog.Options{})
	require.NoError(t, err)
	_, err = r.Read()
	assert.ErrorIs(t, err, io.EOF)
	require.Len(t, r.Stats().Problems, 1)
	assert.Contains(t, r.Stats().Problems[0].Reason, "outside the years 1678 to 2261")
}

// A wall-clock time the zone's clocks skipped (2:30 on the night Paris
// goes from 2:00 to 3:00) names no instant: it is malformed, with a reason,
// never silently moved. One they pass twice is read as the second (in
// standard time), as Go's time package reads it.
func TestTimeSkippedByDaylightSaving(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	_, err = eventlog.ParseTime("2024-03-31 02:30:00", paris)
	assert.Error(t, err)
	got, err := eventlog.ParseTime("2024-10-27 02:30:00", paris)
	require.NoError(t, err)
	assert.Equal(t, "2024-10-27T01:30:00Z", got.UTC().Format(time.RFC3339), "the second 02:30, in winter time, as Go reads it")

	for _, format := range []string{"", "%Y-%m-%d %H:%M:%S"} {
		log := "case_id,touchpoint,timestamp\nc1,a,2024-03-31 02:30:00\nc1,b,2024-03-31 03:30:00\n"
		r, err := eventlog.NewReader(strings.NewReader(log), "t.csv", eventlog.CSV, eventlog.Options{Location: paris, TimeFormat: format})
		require.NoError(t, err)
		ev, err := r.Read()
		require.NoError(t, err, format)
		assert.Equal(t, "b", ev.Touchpoint, format)
		require.Len(t, r.Stats().Problems, 1, format)
		if format == "" {
			assert.Contains(t, r.Stats().Problems[0].Reason, "does not exist in Europe/Paris")
		}
	}
}
