package discover

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"
)

// WriteJSON writes d as indented JSON with sorted keys: the same log gives
// the same bytes. They are the bytes encoding/json writes (an Encoder
// indenting by two spaces), written as they are made instead of built
// and indented in memory: a log's variants can run to megabytes.
func (d *Discovery) WriteJSON(w io.Writer) error {
	j := jsonWriter{w: bufio.NewWriterSize(w, 64<<10), names: map[string][]byte{}}
	j.raw("{\n")
	j.key(1, "cases").int(d.Cases).raw(",\n")
	j.key(1, "events").int(d.Events).raw(",\n")
	j.key(1, "touchpoints").int(int64(d.Touchpoints)).raw(",\n")
	j.key(1, "dfg")
	if d.DFG == nil {
		j.raw("null")
	} else {
		j.list(1, len(d.DFG), func(i int) {
			e := &d.DFG[i]
			j.raw("{\n")
			j.key(3, "from").str(e.From).raw(",\n")
			j.key(3, "to").str(e.To).raw(",\n")
			j.key(3, "count").int(e.Count).raw(",\n")
			j.key(3, "mean_s").float(e.MeanS).raw(",\n")
			j.key(3, "median_s").float(e.MedianS).raw("\n")
			j.indent(2).raw("}")
		})
	}
	j.raw(",\n")
	j.key(1, "start").counts(1, d.Start).raw(",\n")
	j.key(1, "end").counts(1, d.End).raw(",\n")
	j.key(1, "variants")
	if d.Variants == nil {
		j.raw("null")
	} else {
		j.list(1, len(d.Variants), func(i int) {
			v := &d.Variants[i]
			j.raw("{\n")
			j.key(3, "path")
			if v.Path == nil {
				j.raw("null")
			} else {
				j.list(3, len(v.Path), func(k int) { j.str(v.Path[k]) })
			}
			j.raw(",\n")
			j.key(3, "cases").int(v.Cases).raw("\n")
			j.indent(2).raw("}")
		})
	}
	j.raw(",\n")
	j.key(1, "rework").counts(1, d.Rework).raw(",\n")
	s := &d.CaseDuration
	j.key(1, "case_duration_s").raw("{\n")
	j.key(2, "mean").float(s.Mean).raw(",\n")
	j.key(2, "median").float(s.Median).raw(",\n")
	j.key(2, "min").float(s.Min).raw(",\n")
	j.key(2, "max").float(s.Max).raw("\n")
	j.indent(1).raw("}\n}\n")
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

// jsonWriter writes JSON a piece at a time, keeping the first error.
type jsonWriter struct {
	w     *bufio.Writer
	buf   []byte
	names map[string][]byte // strings already encoded: names repeat
	err   error
}

func (j *jsonWriter) raw(s string) *jsonWriter {
	j.w.WriteString(s)
	return j
}

func (j *jsonWriter) indent(depth int) *jsonWriter {
	for range depth {
		j.w.WriteString("  ")
	}
	return j
}

func (j *jsonWriter) key(depth int, k string) *jsonWriter {
	j.indent(depth).raw(`"`).raw(k).raw(`": `)
	return j
}

func (j *jsonWriter) int(n int64) *jsonWriter {
	j.buf = strconv.AppendInt(j.buf[:0], n, 10)
	j.w.Write(j.buf)
	return j
}

// float writes f as encoding/json does: the shortest form that reads
// back, with an exponent only for very small or large magnitudes.
func (j *jsonWriter) float(f float64) *jsonWriter {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		if j.err == nil {
			j.err = &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
		}
		return j
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(j.buf[:0], f, format, -1, 64)
	if format == 'e' { // e-09 to e-9, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	j.buf = b
	j.w.Write(b)
	return j
}

// str writes s quoted and escaped by encoding/json, each distinct string
// encoded once.
func (j *jsonWriter) str(s string) *jsonWriter {
	b, ok := j.names[s]
	if !ok {
		b, _ = json.Marshal(s) // a string always marshals
		j.names[s] = b
	}
	j.w.Write(b)
	return j
}

// list writes n elements, each by elem, as an array whose brackets are
// at depth and elements one deeper.
func (j *jsonWriter) list(depth, n int, elem func(i int)) *jsonWriter {
	if n == 0 {
		return j.raw("[]")
	}
	j.raw("[\n")
	for i := range n {
		j.indent(depth + 1)
		elem(i)
		if i < n-1 {
			j.raw(",")
		}
		j.raw("\n")
	}
	return j.indent(depth).raw("]")
}

// counts writes m as an object with sorted keys, its braces at depth.
func (j *jsonWriter) counts(depth int, m map[string]int64) *jsonWriter {
	if m == nil {
		return j.raw("null")
	}
	if len(m) == 0 {
		return j.raw("{}")
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	j.raw("{\n")
	for i, k := range keys {
		j.indent(depth + 1).str(k).raw(": ").int(m[k])
		if i < len(keys)-1 {
			j.raw(",")
		}
		j.raw("\n")
	}
	return j.indent(depth).raw("}")
}
