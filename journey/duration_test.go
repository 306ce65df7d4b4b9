package journey_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/journeymap/journeymap/journey"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"36h", 36 * time.Hour, true},
		{"2d", 48 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"0.5d", 12 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{" 10m ", 10 * time.Minute, true},
		{"10 minutes", 0, false},
		{"d", 0, false},
		{"-1h", 0, false},
		{"-2d", 0, false},
		{"2dd", 0, false},
		{"", 0, false},
		{"NaNd", 0, false}, // NaN passed every comparison and became a negative duration
		{"nand", 0, false},
		{"Infd", 0, false},
		{"106751d", 106751 * 24 * time.Hour, true}, // the longest a duration holds, in days
		{"106752d", 0, false},
		{"106751d9999h", 0, false}, // days and hours that overflow together
	}
	for _, tc := range tests {
		got, err := journey.ParseDuration(tc.in)
		if !tc.ok {
			assert.Error(t, err, tc.in)
			continue
		}
		assert.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := map[time.Duration]string{
		48 * time.Hour:                "2d",
		36 * time.Hour:                "1d12h",
		90 * time.Minute:              "1h30m",
		2 * time.Hour:                 "2h",
		45 * time.Second:              "45s",
		30 * time.Second:              "30s",
		72*time.Hour + 30*time.Second: "3d30s",
		0:                             "0s",
	}
	for d, want := range tests {
		assert.Equal(t, want, journey.FormatDuration(d))
		if d > 0 {
			back, err := journey.ParseDuration(want)
			assert.NoError(t, err)
			assert.Equal(t, d, back, "round trip of %s", want)
		}
	}
}

// FuzzParseDuration: no input gives a negative duration, or a panic.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"2d", "NaNd", "1e308d", "106751d23h", "0.5d12h", "-0d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := journey.ParseDuration(s)
		if err == nil && d < 0 {
			t.Fatalf("%q parsed as %v", s, d)
		}
	})
}
