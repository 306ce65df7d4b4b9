package eventlog

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// jsonlReader reads JSON Lines: one object per line, with the same keys as
// a CSV header. String values are taken as they are; numbers and booleans
// as their JSON text (so a Unix timestamp may be a number); null as empty.
type jsonlReader struct {
	rows
	lineReader
	closer                  io.Closer
	caseKeys, tpKeys, tKeys []string
	obj                     map[string]json.RawMessage
	pairs                   []kv
	keyNames, names         map[string]string
	lastCase                string
	ev                      Event
	pipe                    *colPipe // ReadColumns' parallel parsing, once started
	seq                     bool     // ReadColumns goes on a row at a time
}

// NewJSONLReader reads a JSON Lines log from r; name is used in problems.
func NewJSONLReader(r io.Reader, name string, opts Options) (Reader, error) {
	if err := opts.Check(); err != nil {
		return nil, err
	}
	j := &jsonlReader{
		rows:       newRows(name, opts),
		lineReader: newLineReader(r),
		caseKeys:   pick(opts.CaseCol, defaultCaseCols),
		tpKeys:     pick(opts.TouchpointCol, defaultTouchpointCols),
		tKeys:      pick(opts.TimeCol, defaultTimeCols),
		keyNames:   map[string]string{},
		names:      map[string]string{},
	}
	if c, ok := r.(io.Closer); ok {
		j.closer = c
	}
	return j, nil
}

func (j *jsonlReader) Close() error {
	j.pipe.stop()
	if j.closer != nil {
		return j.closer.Close()
	}
	return nil
}

func (j *jsonlReader) Read() (Event, error) {
	for {
		line, err := j.readLine()
		var reason string
		switch {
		case errors.Is(err, errLongLine):
			reason = fmt.Sprintf("line longer than %d bytes", MaxLineBytes)
		case err == io.EOF && j.line == 0:
			return Event{}, fmt.Errorf("%s: the file is empty: a JSON Lines log has one object per line, such as {\"case_id\": \"c1\", \"touchpoint\": \"home\", \"timestamp\": \"2024-05-01T10:00:00Z\"}", j.file)
		case err != nil:
			return Event{}, err
		case len(bytes.TrimSpace(line)) == 0:
			continue // blank line: not a row
		default:
			reason = j.event(line)
		}
		j.stats.Rows++
		if reason == "" {
			j.ev.Line = j.line
			return j.ev, nil
		}
		if err := j.malformed(j.line, reason); err != nil {
			return Event{}, err
		}
	}
}

// kv is one key of a JSON object with its value as a CSV cell would hold
// it, or the reason the value cannot be an event field.
type kv struct{ k, v, reason string }

func (j *jsonlReader) event(line []byte) string {
	if !j.scanFlat(line) {
		if reason := j.decodeSlow(line); reason != "" {
			return reason
		}
	}
	get := func(keys []string) (string, string) {
		for _, k := range keys {
			if p := j.find(k); p != nil {
				if p.reason != "" {
					return "", fmt.Sprintf("key %q: %s", k, p.reason)
				}
				return p.v, ""
			}
		}
		return "", ""
	}
	ev := &j.ev
	ev.Attrs = ev.Attrs[:0]
	resetMeaning(ev)
	caseID, r1 := get(j.caseKeys)
	name, r2 := get(j.tpKeys)
	ts, r3 := get(j.tKeys)
	if r := cmp.Or(r1, r2, r3); r != "" {
		return r
	}
	if caseID != j.lastCase { // no allocation when the case repeats
		j.lastCase = strings.Clone(caseID)
	}
	if n, ok := j.names[name]; ok {
		name = n
	} else if len(j.names) < 1<<16 {
		name = strings.Clone(name)
		j.names[name] = name
	}
	if reason := j.fill(ev, j.lastCase, name, ts); reason != "" {
		return reason
	}
	// A JSON object has no order: attributes come sorted by key.
	slices.SortFunc(j.pairs, func(a, b kv) int { return strings.Compare(a.k, b.k) })
	for _, p := range j.pairs {
		if slices.Contains(j.caseKeys, p.k) || slices.Contains(j.tpKeys, p.k) || slices.Contains(j.tKeys, p.k) {
			continue
		}
		if p.reason != "" {
			return fmt.Sprintf("key %q: %s", p.k, p.reason)
		}
		if ok, reason := j.special(ev, p.k, p.v); ok {
			if reason != "" {
				return reason
			}
			continue
		}
		if j.opts.Attrs == nil || slices.Contains(j.opts.Attrs, p.k) {
			ev.Attrs = append(ev.Attrs, Attr{Key: p.k, Value: strings.Clone(p.v)})
		}
	}
	return ""
}

func (j *jsonlReader) find(k string) *kv {
	for i := range j.pairs {
		if j.pairs[i].k == k {
			return &j.pairs[i]
		}
	}
	return nil
}

// put records a key's value; a later duplicate wins, as in encoding/json.
func (j *jsonlReader) put(p kv) {
	if q := j.find(p.k); q != nil {
		*q = p
		return
	}
	j.pairs = append(j.pairs, p)
}

// decodeSlow reads any JSON object with encoding/json.
func (j *jsonlReader) decodeSlow(line []byte) string {
	clear(j.obj)
	if j.obj == nil {
		j.obj = map[string]json.RawMessage{}
	}
	j.pairs = j.pairs[:0]
	// encoding/json reads a byte that is not UTF-8, and an unpaired
	// surrogate escape, as U+FFFD: two customers "\xff" and "\xfe" would
	// become one. Such a row is malformed instead.
	if !utf8.Valid(line) {
		return "invalid UTF-8: JSON text must be UTF-8 (bytes that are not would read as another customer's id or name); export the log as UTF-8"
	}
	if loneSurrogate(line) {
		return `an unpaired UTF-16 surrogate escape (\ud800-\udfff without its pair) in a string: it stands for no character`
	}
	if err := json.Unmarshal(line, &j.obj); err != nil {
		return "not a JSON object: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	for k, raw := range j.obj {
		v, reason := jsonText(raw)
		j.pairs = append(j.pairs, kv{k: k, v: v, reason: reason})
	}
	return ""
}

// scanFlat reads the common case, a flat object of strings without
// escapes, numbers, booleans and nulls, without encoding/json and without
// allocating (values point into line until the event is built). It
// reports false for anything else, which decodeSlow then reads, so the two
// always agree.
func (j *jsonlReader) scanFlat(line []byte) bool {
	j.pairs = j.pairs[:0]
	i := skipWS(line, 0)
	if i == len(line) || line[i] != '{' {
		return false
	}
	i = skipWS(line, i+1)
	if i < len(line) && line[i] == '}' {
		return skipWS(line, i+1) == len(line)
	}
	for {
		if i == len(line) || line[i] != '"' {
			return false
		}
		key, n, ok := plainString(line, i)
		if !ok {
			return false
		}
		i = skipWS(line, n)
		if i == len(line) || line[i] != ':' {
			return false
		}
		i = skipWS(line, i+1)
		if i == len(line) {
			return false
		}
		var val []byte
		switch c := line[i]; {
		case c == '"':
			if val, n, ok = plainString(line, i); !ok {
				return false
			}
		case c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n':
			n = i
			for n < len(line) && line[n] != ',' && line[n] != '}' && !isJSONSpace(line[n]) {
				n++
			}
			val = line[i:n]
			switch string(val) {
			case "true", "false":
			case "null":
				val = nil
			default:
				if !isJSONNumber(val) {
					return false
				}
			}
		default:
			return false // an object, an array, or not JSON: the slow path says which
		}
		j.put(kv{k: j.key(key), v: unsafeString(val)})
		i = skipWS(line, n)
		if i == len(line) {
			return false
		}
		switch line[i] {
		case ',':
			i = skipWS(line, i+1)
		case '}':
			return skipWS(line, i+1) == len(line)
		default:
			return false
		}
	}
}

// key interns an object key (a log has few distinct keys).
func (j *jsonlReader) key(b []byte) string {
	if k, ok := j.keyNames[string(b)]; ok {
		return k
	}
	k := string(b)
	if len(j.keyNames) < 4096 {
		j.keyNames[k] = k
	}
	return k
}

// plainString reads the string starting at line[i] == '"' if it has no
// escape, no control character and is valid UTF-8; it returns its bytes
// and the index after the closing quote.
func plainString(line []byte, i int) ([]byte, int, bool) {
	for n := i + 1; n < len(line); n++ {
		switch c := line[n]; {
		case c == '"':
			s := line[i+1 : n]
			return s, n + 1, utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, 0, false
		}
	}
	return nil, 0, false
}

func skipWS(b []byte, i int) int {
	for i < len(b) && isJSONSpace(b[i]) {
		i++
	}
	return i
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isJSONNumber checks JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isJSONNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i - start
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

// jsonText turns a JSON value into the text a CSV cell would hold.
func jsonText(v json.RawMessage) (string, string) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return "", ""
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", "bad string"
		}
		return s, ""
	case v[0] == '{' || v[0] == '[':
		return "", "nested objects and arrays are not event fields; flatten them"
	}
	return string(v), ""
}

// unsafeString views b as a string without copying; the string must not
// outlive the line it points into (event clones what it keeps).
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// loneSurrogate reports whether a JSON text has a \u escape of a UTF-16
// surrogate that is not half of a high-low pair.
func loneSurrogate(b []byte) bool {
	hex4 := func(i int) (rune, bool) {
		if i+4 > len(b) {
			return 0, false
		}
		var v rune
		for _, c := range b[i : i+4] {
			switch {
			case c >= '0' && c <= '9':
				v = v<<4 | rune(c-'0')
			case c >= 'a' && c <= 'f':
				v = v<<4 | rune(c-'a'+10)
			case c >= 'A' && c <= 'F':
				v = v<<4 | rune(c-'A'+10)
			default:
				return 0, false
			}
		}
		return v, true
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			continue
		}
		if b[i+1] != 'u' {
			i++ // an escape of one character: \\, \", \n...
			continue
		}
		v, ok := hex4(i + 2)
		if !ok {
			continue
		}
		switch {
		case v >= 0xD800 && v < 0xDC00: // high: a low must follow
			if i+7 < len(b) && b[i+6] == '\\' && b[i+7] == 'u' {
				if w, ok := hex4(i + 8); ok && w >= 0xDC00 && w < 0xE000 {
					i += 11
					continue
				}
			}
			return true
		case v >= 0xDC00 && v < 0xE000: // a low alone
			return true
		}
		i += 5
	}
	return false
}
