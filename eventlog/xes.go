package eventlog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxTagBytes is the longest XML tag the XES reader accepts.
const MaxTagBytes = 1 << 20

// MaxTraceEvents is the most events an XES trace may hold. The reader
// holds a trace whole (about 600 bytes an event) until its end tag; a
// trace past this (a bot, or ids merged by an export) is an error that
// names its line, before the machine runs out of memory.
const MaxTraceEvents = 2_000_000

// maxTraceEvents is MaxTraceEvents, a variable so that a test can make it small.
var maxTraceEvents = MaxTraceEvents

// xesReader is a streaming scanner specialised for XES: a log of traces of
// events, each a flat list of typed attribute elements
// (<string key=".." value=".."/>). It reads the file in large chunks and
// never builds a DOM or decodes with encoding/xml (4-5x slower). It holds
// one trace at a time: a trace's events are returned when its end tag is
// read, because XES does not require the trace's concept:name to come
// before its events.
//
// It accepts what process-mining tools write and refuses what could cost
// unbounded work: a DOCTYPE (whose entities could expand without bound) is
// an error, and only the five predefined entities and character references
// are decoded.
type xesReader struct {
	rows
	src     io.Reader
	closer  io.Closer
	buf     []byte
	pos     int   // next unread byte in buf
	eof     bool  // src is exhausted
	line    int64 // line of buf[counted]
	counted int

	stack     []xesKind
	openNames []string // the open elements' names, to match their end tags
	// badEntity is the first entity an attribute used that XML does not
	// define, while the attribute is read.
	badEntity string
	tooBig    bool // the trace being read has more than MaxTraceEvents events
	trace     struct {
		line   int64  // where it starts
		reason string // why every event of the trace is malformed, or ""
		caseID string
		attrs  []Attr
		events []pending
		// The text of the trace's events' values that are parsed, not
		// kept (timestamps, channels, scores): pending events view it.
		text []byte
	}
	cur    pending // the event being read
	out    int     // next pending event of a finished trace to return
	ready  int     // events of the finished trace; 0 while a trace is being read
	names  map[string]string
	ev     Event
	tag    xesTag
	sawLog bool // a <log> element was read
}

type xesKind uint8

const (
	kLog xesKind = iota
	kTrace
	kEvent
	kAttr // an attribute element, or anything nested we skip
	kOther
)

// pending is an event read but not yet returned.
type pending struct {
	line             int64
	name, ts         string
	channel          string
	lifecycle        string
	reason           string
	csat, ces, nps   string
	attrs            []Attr
	hasName, hasTime bool
}

type xesTag struct {
	name             []byte
	end, selfEnd     bool
	key, value       []byte // the key and value attributes, raw
	hasKey, hasValue bool
}

// NewXESReader reads an XES log from r; name is used in problems.
func NewXESReader(r io.Reader, name string, opts Options) (Reader, error) {
	if err := opts.Check(); err != nil {
		return nil, err
	}
	closer, _ := r.(io.Closer)
	r, err := declaredEncoding(r, name)
	if err != nil {
		return nil, err
	}
	x := &xesReader{rows: newRows(name, opts), src: r, buf: make([]byte, 0, 64<<10), line: 1, names: map[string]string{}, closer: closer}
	return x, nil
}

func (x *xesReader) Close() error {
	if x.closer != nil {
		return x.closer.Close()
	}
	return nil
}

func (x *xesReader) Read() (Event, error) {
	for {
		for x.out < x.ready {
			p := &x.trace.events[x.out]
			x.out++
			x.stats.Rows++
			if reason := x.build(p); reason != "" {
				if err := x.malformed(p.line, reason); err != nil {
					return Event{}, err
				}
				continue
			}
			return x.ev, nil
		}
		if err := x.step(); err != nil {
			switch {
			case err == io.EOF && len(x.stack) > 0:
				return Event{}, x.errorf("the file ends inside <%s>: it is truncated; export it again", x.openName())
			case err == io.EOF && !x.sawLog:
				return Event{}, fmt.Errorf("%s: no <log> element: the file is empty or not an XES log", x.file)
			}
			return Event{}, err
		}
	}
}

func (x *xesReader) openName() string {
	return [...]string{"log", "trace", "event", "attribute", "element"}[x.stack[len(x.stack)-1]]
}

// build turns a pending event into x.ev, or says why it is malformed.
func (x *xesReader) build(p *pending) string {
	ev := &x.ev
	ev.Attrs = ev.Attrs[:0]
	resetMeaning(ev)
	ev.Line = p.line
	switch {
	case p.reason != "":
		return p.reason
	case x.trace.reason != "":
		return x.trace.reason
	case x.trace.caseID == "":
		return "the event's trace has no concept:name (the case id)"
	case !p.hasName:
		return "event has no concept:name (the touchpoint)"
	case !p.hasTime:
		return "event has no time:timestamp"
	}
	if reason := x.fill(ev, x.trace.caseID, p.name, p.ts); reason != "" {
		return reason
	}
	// An empty value means nothing (resetMeaning left the event without
	// it), so only the values an event has are read: most have a
	// lifecycle, few a channel or a score.
	if p.channel != "" {
		ev.Channel = x.lower(p.channel)
	}
	if p.lifecycle != "" {
		ev.Lifecycle = x.lower(p.lifecycle)
	}
	for _, s := range [...][2]string{{"csat", p.csat}, {"ces", p.ces}, {"nps", p.nps}} {
		if s[1] == "" {
			continue
		}
		if _, reason := x.special(ev, s[0], s[1]); reason != "" {
			return reason
		}
	}
	ev.Attrs = append(ev.Attrs, p.attrs...)
	ev.Attrs = append(ev.Attrs, x.trace.attrs...)
	return ""
}

func (x *xesReader) errorf(format string, args ...any) error {
	x.countLines()
	return fmt.Errorf("%s:%d: broken XES: %s", x.file, x.line, fmt.Sprintf(format, args...))
}

// countLines advances x.line to x.pos.
func (x *xesReader) countLines() {
	x.line += int64(bytes.Count(x.buf[x.counted:x.pos], []byte{'\n'}))
	x.counted = x.pos
}

// more reads more of src into buf, keeping buf[x.pos:].
func (x *xesReader) more() error {
	if x.eof {
		return io.EOF
	}
	x.countLines()
	n := copy(x.buf[:cap(x.buf)], x.buf[x.pos:])
	x.buf = x.buf[:n]
	x.pos, x.counted = 0, 0
	if n == cap(x.buf) {
		if cap(x.buf) >= 2*MaxTagBytes {
			return x.errorf("a tag is longer than %d bytes", MaxTagBytes)
		}
		x.buf = append(x.buf, make([]byte, cap(x.buf))...)[:n]
	}
	for {
		m, err := x.src.Read(x.buf[n:cap(x.buf)])
		x.buf = x.buf[:n+m]
		if err == io.EOF {
			x.eof = true
			if m == 0 {
				return io.EOF
			}
			return nil
		}
		if err != nil {
			return err
		}
		if m > 0 {
			return nil
		}
	}
}

// step reads the next markup and updates the state; a finished trace leaves
// its events in x.trace.events.
func (x *xesReader) step() error {
	for {
		i := bytes.IndexByte(x.buf[x.pos:], '<')
		if i >= 0 {
			x.pos += i
			break
		}
		x.pos = len(x.buf) // text between elements: ignored
		if err := x.more(); err != nil {
			return err
		}
	}
	for {
		n, err := x.parse(x.buf[x.pos:])
		if err == errNeedMore {
			if ferr := x.more(); ferr != nil {
				if ferr == io.EOF {
					return x.errorf("the file ends inside a tag: it is truncated; export it again")
				}
				return ferr
			}
			continue
		}
		if err != nil {
			return x.errorf("%v", err)
		}
		if n < 0 { // comment, declaration or CDATA: skipped
			x.pos += -n
			return nil
		}
		if err := x.apply(); err != nil {
			return err
		}
		x.pos += n
		return nil
	}
}

var errNeedMore = errors.New("need more input")

// parse reads the markup at the start of b (b[0] == '<') into x.tag and
// returns its length, or minus its length for markup to skip.
func (x *xesReader) parse(b []byte) (int, error) {
	if len(b) < 2 {
		return 0, errNeedMore
	}
	switch b[1] {
	case '?':
		return skipTo(b, "?>")
	case '!':
		switch {
		case bytes.HasPrefix(b, []byte("<!--")):
			return skipTo(b, "-->")
		case bytes.HasPrefix(b, []byte("<![CDATA[")):
			return skipTo(b, "]]>")
		case len(b) < 9:
			return 0, errNeedMore
		case bytes.HasPrefix(b, []byte("<!DOCTYPE")):
			return 0, errors.New("DOCTYPE declarations are not accepted in XES logs (their entities can expand without bound); remove it")
		}
		return 0, errors.New("unexpected markup starting <! (only comments, CDATA and a DOCTYPE start so)")
	}
	t := &x.tag
	*t = xesTag{}
	i := 1
	if b[1] == '/' {
		t.end = true
		i = 2
	}
	start := i
	for i < len(b) && !isSpace(b[i]) && b[i] != '>' && b[i] != '/' {
		i++
	}
	if i == len(b) {
		return 0, errNeedMore
	}
	t.name = b[start:i]
	if len(t.name) == 0 {
		return 0, errors.New("a tag without a name")
	}
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return 0, errNeedMore
		}
		switch b[i] {
		case '>':
			return i + 1, nil
		case '/':
			if i+1 == len(b) {
				return 0, errNeedMore
			}
			if b[i+1] != '>' {
				return 0, fmt.Errorf("unexpected '/' in <%s>", short(t.name))
			}
			t.selfEnd = true
			return i + 2, nil
		}
		ks := i
		for i < len(b) && b[i] != '=' && !isSpace(b[i]) && b[i] != '>' {
			i++
		}
		key := b[ks:i]
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return 0, errNeedMore
		}
		if b[i] != '=' {
			return 0, fmt.Errorf("attribute %q of <%s> has no value", short(key), short(t.name))
		}
		i++
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return 0, errNeedMore
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return 0, fmt.Errorf("attribute %q of <%s> is not quoted", short(key), short(t.name))
		}
		j := bytes.IndexByte(b[i+1:], q)
		if j < 0 {
			if len(b) > MaxTagBytes {
				return 0, fmt.Errorf("a tag is longer than %d bytes", MaxTagBytes)
			}
			return 0, errNeedMore
		}
		val := b[i+1 : i+1+j]
		i += j + 2
		switch string(key) {
		case "key":
			t.key, t.hasKey = val, true
		case "value":
			t.value, t.hasValue = val, true
		}
	}
}

func skipTo(b []byte, end string) (int, error) {
	i := bytes.Index(b, []byte(end))
	if i < 0 {
		if len(b) > MaxTagBytes {
			return 0, fmt.Errorf("unterminated markup longer than %d bytes", MaxTagBytes)
		}
		return 0, errNeedMore
	}
	return -(i + len(end)), nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// attrType returns an attribute element's name as a constant string (so
// that keeping it does not keep the buffer), and whether name is one: a
// switch, which the compiler turns into a few length and byte compares,
// where a map lookup hashed every tag of the file.
func attrType(name string) (string, bool) {
	switch name {
	case "string":
		return "string", true
	case "date":
		return "date", true
	case "int":
		return "int", true
	case "float":
		return "float", true
	case "boolean":
		return "boolean", true
	case "id":
		return "id", true
	case "list":
		return "list", true
	case "container":
		return "container", true
	case "values":
		return "values", true
	}
	return "", false
}

// apply updates the reader's state with the tag just parsed.
func (x *xesReader) apply() error {
	t := &x.tag
	if t.end {
		if len(x.stack) == 0 {
			return x.errorf("</%s> closes nothing", short(t.name))
		}
		if open := x.openNames[len(x.openNames)-1]; open != string(t.name) {
			return x.errorf("</%s> closes <%s>: the file is not well-formed XML; export it again", short(t.name), short([]byte(open)))
		}
		x.close(x.stack[len(x.stack)-1])
		x.stack = x.stack[:len(x.stack)-1]
		x.openNames = x.openNames[:len(x.openNames)-1]
		return x.traceTooBig()
	}
	parent := kOther
	if len(x.stack) > 0 {
		parent = x.stack[len(x.stack)-1]
	}
	name := unsafeString(t.name) // only compared and looked up, while t.name is unchanged
	typ, isAttr := attrType(name)
	kind := kOther
	switch {
	case name == "log" && len(x.stack) == 0:
		kind = kLog
		x.sawLog = true
	case name == "trace" && parent == kLog:
		kind = kTrace
		x.countLines()
		x.trace.caseID, x.trace.reason, x.trace.line = "", "", x.line
		x.trace.attrs = x.trace.attrs[:0]
		x.trace.text = x.trace.text[:0]
		x.trace.events = x.trace.events[:0]
		x.out, x.ready = 0, 0
	case name == "event" && parent == kTrace:
		kind = kEvent
		x.countLines()
		x.cur = pending{line: x.line, attrs: x.cur.attrs[:0]}
	case name == "event" && parent == kLog:
		x.countLines()
		x.stats.Rows++
		if err := x.malformed(x.line, "event outside any trace"); err != nil {
			return err
		}
		kind = kOther
	case isAttr:
		kind = kAttr
		if parent == kTrace || parent == kEvent {
			x.badEntity = ""
			x.attribute(parent, typ)
			if x.badEntity != "" {
				why := "undefined entity " + strconv.Quote(x.badEntity) + " in an attribute (XML defines only &amp; &lt; &gt; &quot; &apos; and numeric ones)"
				switch {
				case parent == kEvent && x.cur.reason == "":
					x.cur.reason = why
				case parent == kTrace && x.trace.reason == "":
					x.trace.reason = why
				}
			}
		}
	case len(x.stack) == 0:
		return x.errorf("the file does not start with <log>: is it an XES file?")
	}
	if t.selfEnd {
		x.close(kind)
		return x.traceTooBig()
	}
	if len(x.stack) >= 64 {
		return x.errorf("elements nested more than 64 deep")
	}
	x.stack = append(x.stack, kind)
	x.openNames = append(x.openNames, tagName(name))
	return nil
}

// commonTags are the elements every log has, as strings of their own.
var commonTags = map[string]string{"log": "log", "trace": "trace", "event": "event", "string": "string", "date": "date", "int": "int",
	"float": "float", "boolean": "boolean", "id": "id", "list": "list", "container": "container", "values": "values", "global": "global"}

// tagName is name (a view of the input) as a string of its own, without
// allocating for the elements every log has.
func tagName(name string) string {
	if s, ok := commonTags[name]; ok {
		return s
	}
	return strings.Clone(name)
}

// traceTooBig is the error for a trace past MaxTraceEvents.
func (x *xesReader) traceTooBig() error {
	if !x.tooBig {
		return nil
	}
	return fmt.Errorf("%s:%d: the trace that starts here holds more than %d events: an XES trace is read whole, and this one would not fit in memory (a bot, or case ids merged by an export?); split it, or export the log as CSV sorted by case, which is read a row at a time", x.file, x.trace.line, maxTraceEvents)
}

func (x *xesReader) close(k xesKind) {
	switch k {
	case kEvent:
		if len(x.trace.events) >= maxTraceEvents {
			x.tooBig = true
			return
		}
		p := x.cur
		p.attrs = append([]Attr(nil), x.cur.attrs...)
		x.trace.events = append(x.trace.events, p)
	case kTrace:
		x.out, x.ready = 0, len(x.trace.events) // Read returns them now
	}
}

// attribute records a typed attribute of the current trace or event.
//
// Most of an event's values are only parsed (timestamps, scores) or
// interned (names), so they are not copied into strings of their own: the
// key is looked at in place, and parsed values go to the trace's text.
func (x *xesReader) attribute(parent xesKind, typ string) {
	t := &x.tag
	if !t.hasKey {
		return
	}
	var key string // valid during this call only, unless cloned
	if bytes.IndexByte(t.key, '&') < 0 {
		key = unsafeString(t.key)
	} else {
		key = x.unescape(t.key)
	}
	var raw []byte
	if t.hasValue {
		raw = t.value
	}
	value := func() string { return x.unescape(raw) }
	if parent == kTrace {
		if key == "concept:name" {
			x.trace.caseID = value()
			return
		}
		if !strings.HasPrefix(key, "case:") {
			key = "case:" + key
		}
		if x.opts.Attrs == nil || contains(x.opts.Attrs, key) {
			x.trace.attrs = append(x.trace.attrs, Attr{Key: strings.Clone(key), Value: value()})
		}
		return
	}
	p := &x.cur
	switch key {
	case "concept:name":
		name, ok := "", false
		if bytes.IndexByte(raw, '&') < 0 {
			name, ok = x.names[string(raw)]
		}
		if !ok {
			name = value()
			if n, ok := x.names[name]; ok {
				name = n
			} else if len(x.names) < 1<<16 {
				x.names[name] = name
			}
		}
		p.name, p.hasName = name, true
	case "time:timestamp":
		// Some tools (PM4Py among them) write the time as a <string>;
		// its text is read like a <date>'s, in any form ParseTime takes.
		p.ts, p.hasTime = x.text(raw), true
		if typ != "date" && typ != "string" {
			p.ts, p.hasTime = "", false
			if p.reason == "" {
				p.reason = "time:timestamp is a <" + typ + ">, not a <date>"
			}
		}
	case "lifecycle:transition":
		p.lifecycle = x.text(raw)
	case "channel":
		p.channel = x.text(raw)
	case "csat":
		p.csat = x.text(raw)
	case "ces":
		p.ces = x.text(raw)
	case "nps":
		p.nps = x.text(raw)
	default:
		if x.opts.Attrs == nil || contains(x.opts.Attrs, key) {
			p.attrs = append(p.attrs, Attr{Key: strings.Clone(key), Value: value()})
		}
	}
}

// text appends a value, unescaped, to the trace's text and returns a view
// of it. The view stays valid while the trace's events are returned: the
// text is only overwritten when the next trace begins (and a text that
// grows moves, leaving the old bytes to the views that hold them).
func (x *xesReader) text(raw []byte) string {
	if bytes.IndexByte(raw, '&') >= 0 {
		return x.unescape(raw)
	}
	if len(raw) == 0 {
		return ""
	}
	lo := len(x.trace.text)
	x.trace.text = append(x.trace.text, raw...)
	return unsafeString(x.trace.text[lo:])
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// unescape decodes XML's predefined entities and character references.
// Any other entity is left as written (XES logs define none, and a reader
// that expanded them could be made to expand without bound).
// unescape is unescapeXML, noting an undefined entity in x.badEntity.
func (x *xesReader) unescape(b []byte) string {
	s, bad := unescapeXML(b)
	if bad != "" && x.badEntity == "" {
		x.badEntity = bad
	}
	return s
}

// unescapeXML replaces XML's entities in b, keeping an entity XML does not
// define as written, and returns the first such.
func unescapeXML(b []byte) (string, string) {
	bad := ""
	i := bytes.IndexByte(b, '&')
	if i < 0 {
		return string(b), ""
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for len(b) > 0 {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			sb.Write(b)
			break
		}
		sb.Write(b[:i])
		b = b[i:]
		j := bytes.IndexByte(b, ';')
		if j < 0 || j > 12 {
			sb.WriteByte('&')
			b = b[1:]
			continue
		}
		ent := string(b[1:j])
		switch {
		case ent == "amp":
			sb.WriteByte('&')
		case ent == "lt":
			sb.WriteByte('<')
		case ent == "gt":
			sb.WriteByte('>')
		case ent == "quot":
			sb.WriteByte('"')
		case ent == "apos":
			sb.WriteByte('\'')
		case strings.HasPrefix(ent, "#"):
			var n uint64
			var err error
			if strings.HasPrefix(ent, "#x") || strings.HasPrefix(ent, "#X") {
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			} else {
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			}
			if err != nil || !utf8.ValidRune(rune(n)) {
				sb.Write(b[:j+1])
			} else {
				sb.WriteRune(rune(n))
			}
		default:
			if bad == "" {
				bad = "&" + ent + ";"
			}
			sb.Write(b[:j+1])
		}
		b = b[j+1:]
	}
	return sb.String(), bad
}

// short cuts a name for an error message, so that binary garbage cannot
// flood the terminal.
func short(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}
