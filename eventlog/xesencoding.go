package eventlog

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

var xmlEncoding = regexp.MustCompile(`^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// declaredEncoding returns r as UTF-8: an XES file in UTF-16 (with a
// byte-order mark, or without one but starting "<?xml") or declaring a
// single-byte encoding (ISO-8859-1, -15, Windows-1252) is decoded as it
// says; UTF-8 and ASCII are read as they are. Another declared encoding
// is an error that says how to convert the file. Line breaks are kept, so
// line numbers are the file's.
func declaredEncoding(r io.Reader, name string) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(512)
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}), bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM) // the mark says which end
	case bytes.HasPrefix(head, []byte("<\x00?\x00")):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case bytes.HasPrefix(head, []byte("\x00<\x00?")):
		enc = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	default:
		m := xmlEncoding.FindSubmatch(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")))
		if m == nil {
			return br, nil
		}
		switch strings.ToLower(string(m[1])) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return br, nil
		case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1":
			enc = charmap.ISO8859_1
		case "iso-8859-15", "iso8859-15", "latin-9", "latin9":
			enc = charmap.ISO8859_15
		case "windows-1252", "cp1252":
			enc = charmap.Windows1252
		default:
			return nil, fmt.Errorf("%s:1: the file declares encoding %q, which journeymap does not read: convert it to UTF-8 (iconv -f %s -t UTF-8 %s > utf8.xes) and change its declaration", name, m[1], m[1], name)
		}
	}
	return transform.NewReader(br, enc.NewDecoder()), nil
}
