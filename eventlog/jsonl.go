package eventlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
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
	keys                    []string
	ev                      Event
}

// NewJSONLReader reads a JSON Lines log from r; name is used in problems.
func NewJSONLReader(r io.Reader, name string, opts Options) (Reader, error) {
	j := &jsonlReader{
		rows:       newRows(name, opts),
		lineReader: newLineReader(r),
		caseKeys:   pick(opts.CaseCol, defaultCaseCols),
		tpKeys:     pick(opts.TouchpointCol, defaultTouchpointCols),
		tKeys:      pick(opts.TimeCol, defaultTimeCols),
	}
	if c, ok := r.(io.Closer); ok {
		j.closer = c
	}
	return j, nil
}

func (j *jsonlReader) Close() error {
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

func (j *jsonlReader) event(line []byte) string {
	clear(j.obj)
	if j.obj == nil {
		j.obj = map[string]json.RawMessage{}
	}
	if err := json.Unmarshal(line, &j.obj); err != nil {
		return "not a JSON object: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	get := func(keys []string) (string, string) {
		for _, k := range keys {
			if v, ok := j.obj[k]; ok {
				s, reason := jsonText(v)
				if reason != "" {
					return "", fmt.Sprintf("key %q: %s", k, reason)
				}
				return s, ""
			}
		}
		return "", ""
	}
	ev := &j.ev
	ev.Attrs = ev.Attrs[:0]
	ev.Channel = ""
	resetScores(ev)
	caseID, r1 := get(j.caseKeys)
	name, r2 := get(j.tpKeys)
	ts, r3 := get(j.tKeys)
	if r := cmpOr(r1, r2, r3); r != "" {
		return r
	}
	if reason := j.fill(ev, caseID, name, ts); reason != "" {
		return reason
	}
	j.keys = j.keys[:0]
	for k := range j.obj {
		if !slices.Contains(j.caseKeys, k) && !slices.Contains(j.tpKeys, k) && !slices.Contains(j.tKeys, k) {
			j.keys = append(j.keys, k)
		}
	}
	slices.Sort(j.keys) // a JSON object has no order; attributes come sorted by key
	for _, k := range j.keys {
		v, reason := jsonText(j.obj[k])
		if reason != "" {
			return fmt.Sprintf("key %q: %s", k, reason)
		}
		if ok, reason := j.special(ev, k, v); ok {
			if reason != "" {
				return reason
			}
			continue
		}
		if j.opts.Attrs == nil || slices.Contains(j.opts.Attrs, k) {
			ev.Attrs = append(ev.Attrs, Attr{Key: k, Value: v})
		}
	}
	return ""
}

func cmpOr(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
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
