package eventlog_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

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
		{"2024/05/01 10:00:00", ""},
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
