package eventlog

import (
	"bufio"
	"bytes"
)

// An export tool's ".json" file often holds one JSON array of event
// objects rather than one object a line. Such a file is translated, as it
// streams, into JSON Lines: each element on a line of its own, beginning
// on the line it begins on in the file (blank lines, which the JSON Lines
// reader skips, keep the count), so that problems name the element's true
// line. Elements written side by side on one line go on successive lines:
// in an array written on one line, an element's "line" is its number.
// Memory is one element, bounded as a JSON Lines line is.

// isJSONArray reports whether a JSON log, after a byte-order mark and
// white space, begins with '['. Nothing is consumed.
func isJSONArray(br *bufio.Reader) bool {
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if err != nil || n > 64<<10 {
			return false
		}
		c := b[n-1]
		switch {
		case n <= 3 && bytes.HasPrefix([]byte("\xef\xbb\xbf"), b):
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			return c == '['
		}
	}
}

// jsonArrayReader translates a stream holding one JSON array into JSON
// Lines (see above).
type jsonArrayReader struct {
	src     *bufio.Reader
	out     bytes.Buffer
	line    int  // the line of the file being read, from 1
	outLine int  // the line of the output being written, from 1
	depth   int  // nesting: 1 inside the array, more inside an element
	inStr   bool // inside a string
	escaped bool // a backslash was just read inside a string
	inElem  bool // an element (or stray text after the array) is being written
	closed  bool // the array's closing bracket has been read
	err     error
}

func newJSONArrayReader(src *bufio.Reader) *jsonArrayReader {
	return &jsonArrayReader{src: src, line: 1, outLine: 1}
}

func (a *jsonArrayReader) Read(p []byte) (int, error) {
	for a.out.Len() < len(p) && a.err == nil {
		c, err := a.src.ReadByte()
		if err != nil {
			a.err = err
			a.endElem()
			break
		}
		a.step(c)
	}
	n, _ := a.out.Read(p)
	if n == 0 && a.out.Len() == 0 && a.err != nil {
		return 0, a.err
	}
	return n, nil
}

// begin starts an element (or stray text) at the file's current line.
func (a *jsonArrayReader) begin() {
	for a.outLine < a.line {
		a.out.WriteByte('\n')
		a.outLine++
	}
	a.inElem = true
}

// endElem ends the element being written with a line break.
func (a *jsonArrayReader) endElem() {
	if a.inElem {
		a.out.WriteByte('\n')
		a.outLine++
		a.inElem = false
	}
}

func (a *jsonArrayReader) step(c byte) {
	if c == '\n' {
		a.line++
	}
	switch {
	case a.inStr:
		switch {
		case a.escaped:
			a.escaped = false
		case c == '\\':
			a.escaped = true
		case c == '"':
			a.inStr = false
		case c == '\n' || c == '\r':
			// A raw line break is not allowed in a JSON string: written
			// as a control character, the element stays on its line and
			// stays malformed.
			c = 0x01
		}
		a.out.WriteByte(c)
		return
	case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		if a.inElem && a.depth > 1 {
			a.out.WriteByte(' ')
		}
		return
	case a.closed:
		// Text after the array: a line of its own, malformed.
		if !a.inElem {
			a.begin()
		}
		a.out.WriteByte(c)
		return
	case a.depth == 0 && c == '[':
		a.depth = 1
		return
	case a.depth == 1 && c == ',':
		a.endElem()
		return
	case a.depth == 1 && c == ']':
		a.endElem()
		a.depth, a.closed = 0, true
		return
	}
	if !a.inElem {
		a.begin()
	}
	switch c {
	case '"':
		a.inStr = true
	case '{', '[':
		a.depth++
	case '}', ']':
		if a.depth > 1 {
			a.depth--
		}
	}
	// A scalar element (a number, true) is written as it is, to be
	// reported malformed: at depth one, the comma after it ends it.
	a.out.WriteByte(c)
}
