package eventlog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// MaxLineBytes is the longest CSV or JSON Lines row a reader accepts. A
// longer row is malformed (and skipped to its end), not read into memory.
const MaxLineBytes = 1 << 20

// MaxFields is the most columns a CSV header may have.
const MaxFields = 4096

// csvReader reads comma-separated rows with a header (RFC 4180: quoted
// fields may hold commas, doubled quotes and line breaks; CRLF and a UTF-8
// byte order mark are accepted).
type csvReader struct {
	rows
	lineReader
	closer                  io.Closer
	header                  []string
	caseCol, tpCol, timeCol int
	special                 []bool // column has a meaning of its own (channel, scores)
	keep                    []bool // column is kept as an attribute
	fields                  [][]byte
	ends                    []int
	cont                    []backLine // a multi-line record's lines after its first, kept to read again if it is broken
	rowLine                 int64
	buf                     []byte
	lastCase                string
	names                   map[string]string
	recentNames             recentStrings // the names interned last
	ev                      Event
	pipe                    *colPipe // ReadColumns' parallel parsing, once started
	seq                     bool     // ReadColumns goes on a row at a time
}

// NewCSVReader reads a CSV log with a header row from r; name is used in
// problems and errors.
func NewCSVReader(r io.Reader, name string, opts Options) (Reader, error) {
	if err := opts.Check(); err != nil {
		return nil, err
	}
	c := &csvReader{rows: newRows(name, opts), lineReader: newLineReader(r), names: map[string]string{}}
	if cl, ok := r.(io.Closer); ok {
		c.closer = cl
	}
	if err := c.readHeader(); err != nil {
		return nil, err
	}
	return c, nil
}

// Columns returns the header's column names.
func (c *csvReader) Columns() []string { return slices.Clone(c.header) }

func (c *csvReader) Close() error {
	c.stopColumns()
	if c.closer != nil {
		return c.closer.Close()
	}
	return nil
}

func (c *csvReader) readHeader() error {
	for {
		ok, reason, err := c.record()
		if err == io.EOF {
			return fmt.Errorf("%s: the file is empty: a CSV log needs a header row such as case_id,touchpoint,timestamp", c.file)
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", c.file, c.line, err)
		}
		if !ok {
			return fmt.Errorf("%s:%d: cannot read the header: %s", c.file, c.line, reason)
		}
		if len(c.fields) == 1 && len(c.fields[0]) == 0 {
			continue // blank lines before the header
		}
		break
	}
	if len(c.fields) > MaxFields {
		return fmt.Errorf("%s:%d: header has %d columns; the limit is %d", c.file, c.line, len(c.fields), MaxFields)
	}
	c.header = make([]string, len(c.fields))
	for i, f := range c.fields {
		c.header[i] = strings.TrimSpace(string(f))
	}
	canonicalHeader(c.header, c.opts.wantedNames())
	var err error
	if c.caseCol, c.tpCol, c.timeCol, err = findColumns(c.header, c.file, c.line, c.opts); err != nil {
		return err
	}
	// A column with a meaning named twice would be read from its first
	// place without a word: name the clash instead.
	for i, h := range c.header {
		if j := slices.Index(c.header[:i], h); j >= 0 && (j == c.caseCol || j == c.tpCol || j == c.timeCol || isSpecial(h) || c.opts.Attrs != nil && slices.Contains(c.opts.Attrs, h)) {
			return fmt.Errorf("%s:%d: column %q is named twice in the header (columns %d and %d): rename one, so that it is clear which to read", c.file, c.line, h, j+1, i+1)
		}
	}
	c.special, c.keep = roles(c.header, c.caseCol, c.tpCol, c.timeCol, c.opts.Attrs)
	return nil
}

// quoteList quotes the first column names for a message, shortened so
// that a binary or enormous header cannot flood the terminal.
func quoteList(s []string) string {
	var q []string
	for i, x := range s {
		if i == 6 {
			q = append(q, fmt.Sprintf("... (%d columns)", len(s)))
			break
		}
		if len(x) > 40 {
			x = x[:40] + "..."
		}
		q = append(q, fmt.Sprintf("%q", x))
	}
	return strings.Join(q, ",")
}

func (c *csvReader) Read() (Event, error) {
	for {
		ok, reason, err := c.record()
		if err != nil {
			return Event{}, err
		}
		start := c.rowLine
		if ok && len(c.fields) == 1 && len(c.fields[0]) == 0 {
			continue // blank line: not a row
		}
		c.stats.Rows++
		if ok {
			reason = c.event()
			if reason == "" {
				c.ev.Line = start
				return c.ev, nil
			}
		}
		if err := c.malformed(start, reason); err != nil {
			return Event{}, err
		}
	}
}

// event turns the current record into c.ev, or says why it cannot.
func (c *csvReader) event() string {
	if len(c.fields) != len(c.header) {
		return fmt.Sprintf("%d fields, the header has %d", len(c.fields), len(c.header))
	}
	ev := &c.ev
	ev.Attrs = ev.Attrs[:0]
	resetMeaning(ev)
	caseID := c.fields[c.caseCol]
	if string(caseID) != c.lastCase { // no allocation when the case repeats
		c.lastCase = string(caseID)
	}
	name, ok := c.recentNames.get(unsafeString(c.fields[c.tpCol]))
	if !ok {
		if name, ok = c.names[string(c.fields[c.tpCol])]; !ok {
			name = string(c.fields[c.tpCol])
			if len(c.names) < 1<<16 {
				c.names[name] = name
			}
		}
		c.recentNames.put(name, name)
	}
	if reason := c.fill(ev, c.lastCase, name, string(c.fields[c.timeCol])); reason != "" {
		return reason
	}
	for i, f := range c.fields {
		switch {
		case c.special[i]:
			if _, reason := c.rows.special(ev, c.header[i], string(f)); reason != "" {
				return reason
			}
		case c.keep[i]:
			ev.Attrs = append(ev.Attrs, Attr{Key: c.header[i], Value: string(f)})
		}
	}
	return ""
}

// record reads one CSV record into c.fields and sets c.rowLine to its
// first line. ok=false with a reason means the record is malformed; err is
// io.EOF at the end or a read error.
//
// A record that spans lines (a quoted field with line breaks) must, once
// the header is known, have the header's number of fields. One that does
// not is a broken quote, not a record: its first line is malformed, and the
// lines it would have swallowed are read again as records of their own, so
// that one stray quote costs its own row, never the valid rows after it.
//
// A record longer than MaxLineBytes is one malformed row however many
// lines it spans: its quotes are followed to the end without keeping its
// text (a long line's quotes are counted as it is skipped), so no line of a
// long note is ever read as an event. Only its first maxRereadBytes are
// kept to be read again should it turn out to be a broken quote; past
// that, it runs to its closing quote or the end of the file.
func (c *csvReader) record() (ok bool, reason string, err error) {
	c.buf = c.buf[:0]
	c.fields = c.fields[:0]
	c.ends = c.ends[:0]
	c.cont = c.cont[:0]
	c.rowLine = c.line + 1
	inQuotes, fieldStart, quoted, badQuote := false, true, false, false
	over := false          // the record is past MaxLineBytes: its text is no longer kept
	blind := false         // a long line's commas went unseen: its fields cannot be counted
	kept, lost := 0, false // bytes kept in c.cont to read again; whether some were not
	broken := func(why string) (bool, string, error) {
		c.unread(c.cont)
		return false, why + "; the lines after it are read as rows of their own", nil
	}
	tooLong := func() (bool, string, error) {
		if c.line > c.rowLine {
			return false, fmt.Sprintf("a quoted field runs past %d bytes (lines %d-%d are one record)", MaxLineBytes, c.rowLine, c.line), nil
		}
		return false, fmt.Sprintf("line longer than %d bytes", MaxLineBytes), nil
	}
	for first := true; ; first = false {
		line, err := c.readLine()
		if first {
			// A byte-order mark at the start of a row (a second export
			// pasted after the first) is not part of its case id.
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		switch {
		case err == io.EOF && !first:
			if lost {
				return false, fmt.Sprintf("a quoted field runs past %d bytes to the end of the file (a closing quote is missing; lines %d-%d)", MaxLineBytes, c.rowLine, c.line), nil
			}
			return broken("a quoted field runs to the end of the file (a closing quote is missing)")
		case errors.Is(err, errLongLine):
			// Skipped, its quotes counted: an odd count closes the quoted
			// field it is in (or opens one at the start of a record).
			over, blind = true, true
			if !first {
				c.cont = append(c.cont, backLine{long: true, quotes: c.longQuotes})
			}
			if c.longQuotes%2 == 1 {
				inQuotes = !inQuotes
			}
			if !inQuotes {
				return tooLong()
			}
			continue
		case err != nil:
			return false, "", err
		}
		if first && bytes.IndexByte(line, '"') < 0 {
			// Fast path, most rows: no quotes, so the fields are the
			// line's own bytes between commas (valid until the next read).
			for {
				i := bytes.IndexByte(line, ',')
				if i < 0 {
					c.fields = append(c.fields, line)
					return true, "", nil
				}
				c.fields = append(c.fields, line[:i])
				line = line[i+1:]
			}
		}
		if !first {
			if kept += len(line); kept <= maxRereadBytes && !lost {
				c.cont = append(c.cont, backLine{b: slices.Clone(line)})
			} else {
				lost = true
			}
		}
		for i := 0; i < len(line); i++ {
			b := line[i]
			if fieldStart {
				fieldStart, quoted = false, false
				if b == '"' {
					inQuotes, quoted = true, true
					continue
				}
			}
			switch {
			case inQuotes && b == '"':
				if i+1 < len(line) && line[i+1] == '"' {
					c.buf = append(c.buf, '"')
					i++
				} else {
					inQuotes = false
				}
			case inQuotes:
				c.buf = append(c.buf, b)
			case b == ',':
				c.ends = append(c.ends, len(c.buf))
				fieldStart = true
			default:
				if b == '"' || quoted { // a quote inside an unquoted field, or text after a closing quote
					badQuote = true
				}
				c.buf = append(c.buf, b)
			}
		}
		if len(c.buf) > MaxLineBytes {
			over = true
			c.buf = c.buf[:0] // its text is not needed: the record is malformed
		}
		if !inQuotes {
			break
		}
		c.buf = append(c.buf, '\n') // a line break inside a quoted field
	}
	multiLine := c.line > c.rowLine
	fields := len(c.ends) + 1
	unbalanced := multiLine && len(c.header) > 0 && fields != len(c.header) && !blind
	switch {
	case over && (badQuote || unbalanced) && !lost:
		return broken(fmt.Sprintf("a quoted field spans %d lines into %d fields, the header has %d: an unbalanced quote", c.line-c.rowLine+1, fields, len(c.header)))
	case over:
		return tooLong()
	}
	c.ends = append(c.ends, len(c.buf))
	begin := 0
	for _, e := range c.ends {
		c.fields = append(c.fields, c.buf[begin:e])
		begin = e
	}
	switch {
	case badQuote && multiLine:
		return broken(`stray quote: a field with quotes must be wholly quoted, with inner quotes doubled ("say ""hi""")`)
	case badQuote:
		return false, `stray quote: a field with quotes must be wholly quoted, with inner quotes doubled ("say ""hi""")`, nil
	case unbalanced:
		return broken(fmt.Sprintf("a quoted field spans %d lines into %d fields, the header has %d: an unbalanced quote", c.line-c.rowLine+1, fields, len(c.header)))
	}
	return true, "", nil
}

// maxRereadBytes bounds what a long multi-line record keeps to be read
// again, should it turn out to be a broken quote.
const maxRereadBytes = 4 * MaxLineBytes

var errLongLine = errors.New("line too long")

// backLine is a line given back to be read again: its bytes, or for a
// line too long, the number of quotes it held.
type backLine struct {
	b      []byte
	long   bool
	quotes int
}

// lineReader reads lines, counting them, with a length limit.
type lineReader struct {
	br   *bufio.Reader
	src  io.Reader  // what br reads from: blocks are read from it directly
	line int64      // lines consumed so far
	back []backLine // lines given back (unread), to be read again first
	// longQuotes is the number of double quotes in the line too long
	// that readLine last skipped.
	longQuotes int
}

// unread gives back lines just read, in order, to be read again.
func (c *lineReader) unread(lines []backLine) {
	if len(lines) == 0 {
		return
	}
	c.back = append(slices.Clone(lines), c.back...)
	c.line -= int64(len(lines))
}

func newLineReader(r io.Reader) lineReader {
	src := stripBOM(r)
	return lineReader{br: bufio.NewReaderSize(src, 256<<10), src: src}
}

// readLine returns the next line without its line ending. The slice is
// valid until the next call. A line longer than MaxLineBytes is consumed and
// reported as errLongLine.
func (c *lineReader) readLine() ([]byte, error) {
	if len(c.back) > 0 {
		line := c.back[0]
		c.back = c.back[1:]
		c.line++
		if line.long {
			c.longQuotes = line.quotes
			return nil, errLongLine
		}
		return line.b, nil
	}
	line, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		long := append([]byte(nil), line...)
		quotes := bytes.Count(line, []byte{'"'})
		for err == bufio.ErrBufferFull {
			line, err = c.br.ReadSlice('\n')
			quotes += bytes.Count(line, []byte{'"'})
			if len(long) <= MaxLineBytes {
				long = append(long, line...)
			}
		}
		if len(long) > MaxLineBytes {
			c.longQuotes = quotes
			if err == nil || err == io.EOF {
				c.line++
				return nil, errLongLine
			}
			return nil, err
		}
		line = long
	}
	if err != nil && !(err == io.EOF && len(line) > 0) {
		return nil, err
	}
	c.line++
	line = trimEOL(line)
	return line, nil
}

// stripBOM drops a UTF-8 byte order mark at the start of r.
func stripBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	return br
}

// utf8BOM is the UTF-8 byte-order mark.
var utf8BOM = []byte("\xef\xbb\xbf")
