package eventlog_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/journeymap/journeymap/eventlog"
)

// An XES file is read in the encoding it declares, or its byte-order mark
// says: the same events, names and lines whatever the bytes; an encoding
// journeymap does not read is an error saying how to convert the file.
func TestXESDeclaredEncodings(t *testing.T) {
	doc := func(enc string) string {
		return `<?xml version="1.0" encoding="` + enc + `"?>
<log><trace><string key="concept:name" value="Zoë"/>
<event><string key="concept:name" value="Café €"/><date key="time:timestamp" value="2026-01-01T10:00:00Z"/></event>
<event><string key="concept:name" value="done"/><date key="time:timestamp" value="2026-01-01T11:00:00Z"/></event>
</trace></log>
`
	}
	encode := func(t *testing.T, e interface{ Bytes([]byte) ([]byte, error) }, s string) []byte {
		b, err := e.Bytes([]byte(s))
		require.NoError(t, err)
		return b
	}
	for _, tc := range []struct {
		name string
		data func(t *testing.T) []byte
		want string // the first event's name
	}{
		{"utf-8", func(*testing.T) []byte { return []byte(doc("UTF-8")) }, "Café €"},
		{"utf-8 with a mark", func(*testing.T) []byte { return append([]byte("\xEF\xBB\xBF"), doc("utf-8")...) }, "Café €"},
		{"windows-1252", func(t *testing.T) []byte { return encode(t, charmap.Windows1252.NewEncoder(), doc("windows-1252")) }, "Café €"},
		{"iso-8859-15", func(t *testing.T) []byte { return encode(t, charmap.ISO8859_15.NewEncoder(), doc("ISO-8859-15")) }, "Café €"},
		{"iso-8859-1", func(t *testing.T) []byte {
			return encode(t, charmap.ISO8859_1.NewEncoder(), strings.ReplaceAll(doc("ISO-8859-1"), " €", ""))
		}, "Café"},
		{"utf-16le with a mark", func(t *testing.T) []byte {
			return encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder(), doc("UTF-16"))
		}, "Café €"},
		{"utf-16be with a mark", func(t *testing.T) []byte {
			return encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder(), doc("UTF-16"))
		}, "Café €"},
		{"utf-16le without", func(t *testing.T) []byte {
			return encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder(), doc("UTF-16"))
		}, "Café €"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := eventlog.NewXESReader(bytes.NewReader(tc.data(t)), "log.xes", eventlog.Options{})
			require.NoError(t, err)
			evs, err := eventlog.ReadAll(r)
			require.NoError(t, err)
			require.Len(t, evs, 2)
			assert.Equal(t, tc.want, evs[0].Touchpoint)
			assert.Equal(t, "Zoë", evs[0].Case)
			assert.Equal(t, int64(3), evs[0].Line, "lines are the file's")
		})
	}
	_, err := eventlog.NewXESReader(strings.NewReader(doc("EBCDIC-US")), "old.xes", eventlog.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `old.xes:1: the file declares encoding "EBCDIC-US"`)
	assert.Contains(t, err.Error(), "iconv -f EBCDIC-US -t UTF-8")
}
