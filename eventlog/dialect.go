package eventlog

import (
	"bufio"
	"bytes"
	"strings"
)

// Spreadsheets and CRMs write CSV in dialects: Excel in a European locale
// separates fields with semicolons and writes decimals with a comma
// ("4,0"); a .tsv file separates them with tabs. The CSV reader's fast
// path knows commas only, so a log in another dialect is translated, as it
// streams, into the comma dialect: the same records, the same line breaks
// (so line numbers stay true), fields quoted where they now hold a comma.

// sniffDelimiter returns the delimiter of a CSV log from its header line:
// the one of ',', ';' and '\t' that occurs most often outside quotes
// (comma on a tie, or where none occurs). The header is looked at, never
// consumed: br keeps it.
func sniffDelimiter(br *bufio.Reader) byte {
	head, _ := br.Peek(64 << 10)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	var counts [3]int
	quoted := false
	for _, c := range head {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			goto done
		case c == ',':
			counts[0]++
		case c == ';':
			counts[1]++
		case c == '\t':
			counts[2]++
		}
	}
done:
	switch {
	case counts[1] > counts[0] && counts[1] >= counts[2]:
		return ';'
	case counts[2] > counts[0] && counts[2] > counts[1]:
		return '\t'
	}
	return ','
}

// dialectReader translates a CSV stream separated by sep into the comma
// dialect. In a semicolon file, a field that is a number written with a
// decimal comma ("4,0", "-1,25") is written with a point. It keeps O(one
// field) of memory.
type dialectReader struct {
	src     *bufio.Reader
	sep     byte
	out     bytes.Buffer
	field   []byte
	quoted  bool // the field was quoted
	inQuote bool // inside quotes now
	atQuote bool // a quote was just read inside quotes: the end, or a doubled quote
	err     error
}

func newDialectReader(src *bufio.Reader, sep byte) *dialectReader {
	return &dialectReader{src: src, sep: sep}
}

func (d *dialectReader) Read(p []byte) (int, error) {
	for d.out.Len() < len(p) && d.err == nil {
		c, err := d.src.ReadByte()
		if err != nil {
			d.err = err
			if d.inQuote || len(d.field) > 0 || d.quoted {
				d.endField() // the last record has no line break
			}
			break
		}
		d.step(c)
	}
	if d.out.Len() > 0 {
		return d.out.Read(p)
	}
	return 0, d.err
}

func (d *dialectReader) step(c byte) {
	if d.atQuote {
		d.atQuote = false
		if c == '"' { // a doubled quote: one quote in the field
			d.field = append(d.field, '"')
			return
		}
		d.inQuote = false // the closing quote; c is read as outside quotes
	}
	if d.inQuote {
		if c == '"' {
			d.atQuote = true
			return
		}
		d.field = append(d.field, c)
		return
	}
	switch c {
	case '"':
		if len(d.field) == 0 && !d.quoted {
			d.quoted, d.inQuote = true, true
			return
		}
		d.field = append(d.field, c)
	case d.sep:
		d.endField()
		d.out.WriteByte(',')
	case '\n':
		if n := len(d.field); n > 0 && d.field[n-1] == '\r' && !d.quoted {
			d.field = d.field[:n-1]
		}
		d.endField()
		d.out.WriteByte('\n')
	case '\r':
		if d.quoted { // after a closing quote: the CRLF's CR
			return
		}
		d.field = append(d.field, c)
	default:
		d.field = append(d.field, c)
	}
}

// endField writes the field read, in the comma dialect.
func (d *dialectReader) endField() {
	f := d.field
	if d.sep == ';' && decimalComma(f) {
		f = bytes.Replace(f, []byte{','}, []byte{'.'}, 1)
	}
	if d.quoted || bytes.ContainsAny(f, ",\"\n\r") {
		d.out.WriteByte('"')
		d.out.Write(bytes.ReplaceAll(f, []byte(`"`), []byte(`""`)))
		d.out.WriteByte('"')
	} else {
		d.out.Write(f)
	}
	d.field, d.quoted, d.inQuote, d.atQuote = d.field[:0], false, false, false
}

// decimalComma reports whether f is a number with a decimal comma:
// optional sign, digits, one comma, digits.
func decimalComma(f []byte) bool {
	if len(f) > 0 && (f[0] == '-' || f[0] == '+') {
		f = f[1:]
	}
	i := bytes.IndexByte(f, ',')
	if i <= 0 || i == len(f)-1 {
		return false
	}
	for j, c := range f {
		if j != i && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// TranslateDialect returns log, a CSV separated by sep, in the comma
// dialect, as the readers see it (for tests and tools).
func TranslateDialect(log string, sep byte) string {
	var b bytes.Buffer
	_, _ = b.ReadFrom(newDialectReader(bufio.NewReader(strings.NewReader(log)), sep))
	return b.String()
}
