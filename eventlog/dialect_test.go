package eventlog_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/eventlog"
)

// The exports people really have read as the plain CSV does: Excel in a
// European locale (byte-order mark, semicolons, CRLF, decimal commas), a
// tab-separated file, and a header written loosely.
func TestSpreadsheetDialectsReadAsPlainCSV(t *testing.T) {
	plain := "case_id,touchpoint,timestamp,csat,note\n" +
		"c1,home,2024-05-01 10:00:00,4,\"a, b\"\n" +
		"c1,\"cart; now\",2024-05-01 10:05:00,,\"two\nlines\"\n" +
		"c2,home,2024-05-01 11:00:00,5,x\n"
	for _, tc := range []struct{ name, file, log string }{
		{"excel semicolons", "eu.csv", "\xef\xbb\xbfcase_id;touchpoint;timestamp;csat;note\r\n" +
			"c1;home;2024-05-01 10:00:00;4,0;a, b\r\n" +
			"c1;\"cart; now\";2024-05-01 10:05:00;;\"two\nlines\"\r\n" +
			"c2;home;2024-05-01 11:00:00;5;x\r\n"},
		{"tab-separated", "log.tsv", "case_id\ttouchpoint\ttimestamp\tcsat\tnote\n" +
			"c1\thome\t2024-05-01 10:00:00\t4\ta, b\n" +
			"c1\tcart; now\t2024-05-01 10:05:00\t\t\"two\nlines\"\n" +
			"c2\thome\t2024-05-01 11:00:00\t5\tx\n"},
		{"loose header", "loose.csv", strings.Replace(plain, "case_id,touchpoint,timestamp,csat", "Case ID, Touchpoint,TimeStamp,CSAT", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := readAllOf(t, "plain.csv", plain)
			got := readAllOf(t, tc.file, tc.log)
			assert.Equal(t, want, got)
		})
	}
}

func readAllOf(t *testing.T, name, log string) []eventlog.Event {
	t.Helper()
	format, err := eventlog.FormatOf(name)
	require.NoError(t, err)
	r, err := eventlog.NewReader(strings.NewReader(log), "log", format, eventlog.Options{})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	require.Zero(t, r.Stats().Malformed, "%v", r.Stats().Problems)
	return evs
}

// Every column missing is named in one error, with the header's closest
// names where one is a plausible typo.
func TestMissingColumnsNamedAtOnce(t *testing.T) {
	_, err := eventlog.NewReader(strings.NewReader("case_idd,activity,when\nc1,a,2024-05-01\n"), "log.csv", eventlog.CSV, eventlog.Options{})
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `no case id column (did you mean "case_idd"?)`)
	assert.Contains(t, msg, "no touchpoint column")
	assert.Contains(t, msg, "no timestamp column")
}

// FuzzDialectReader: a semicolon log of any bytes translates without a
// panic, with its line breaks where they were (so line numbers stay
// true), and the reader reads it without a panic.
func FuzzDialectReader(f *testing.F) {
	for _, s := range []string{
		"case_id;touchpoint;timestamp\nc1;a;2024-05-01 10:00:00\n",
		"\xef\xbb\xbfcase_id;touchpoint;timestamp;csat\r\nc1;\"a;b\";2024-05-01;4,5\r\n",
		"a;b;c\n\"unterminated;x\n",
		"a;b;c\n\"x\"\"y\";\"\";\r\n",
		"case_id\ttouchpoint\ttimestamp\n1\t2\t3",
		"a,b;c;d\n1,2;3;4\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := eventlog.NewReader(strings.NewReader(s), "fuzz.csv", eventlog.CSV, eventlog.Options{})
		if err != nil {
			return
		}
		_, _ = eventlog.ReadAll(r)
		out := eventlog.TranslateDialect(s, ';')
		if bytes.Count([]byte(out), []byte("\n")) != strings.Count(s, "\n") {
			t.Fatalf("line breaks moved: %q -> %q", s, out)
		}
	})
}
