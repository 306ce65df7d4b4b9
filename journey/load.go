package journey

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/journeymap/journeymap/internal/textcut"
	"github.com/journeymap/journeymap/touchpoint"
)

// Limits on what a journey file may hold. They are far above any real
// journey map and keep a hostile file from costing unbounded time or memory.
const (
	MaxFileSize    = 8 << 20 // bytes
	MaxTouchpoints = 4096
	maxNodes       = 200_000 // YAML nodes visited, aliases counted each time they are used
)

// Load reads and validates the journey file at path. On a file that is not a
// valid journey it returns an ErrorList holding every problem found, each
// with its line and column.
func Load(path string) (*Journey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open journey file: %w", err)
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads and validates a journey from r; name is used in positions (a
// file name, or something like "<stdin>").
func Parse(r io.Reader, name string) (*Journey, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read journey file: %w", name, err)
	}
	if len(data) > MaxFileSize {
		return nil, ErrorList{{Pos: Position{File: name}, Message: fmt.Sprintf("file is larger than %d MiB, the limit for a journey file", MaxFileSize>>20), Hint: "is this an event log? A journey file is the map, not the log"}}
	}
	d := &decoder{file: name}
	raw := d.document(data)
	if raw == nil {
		return nil, d.errs()
	}
	// Cross-references are checked even when the file had other errors, so
	// that one run lists every problem; but not past the touchpoint limit,
	// whose tables are touchpoints² in size.
	if len(raw.tps) > MaxTouchpoints {
		return nil, d.errs()
	}
	j := d.build(raw)
	if errs := d.errs(); len(errs) > 0 {
		return nil, errs
	}
	j.warnings = d.warns()
	return j, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// raw forms of the file, with the positions of what validation may complain about.
type rawJourney struct {
	id, name                       string
	pos, stagesPos, touchpointsPos Position
	stages                         []rawStage
	tps                            []rawTouchpoint
	transitions                    []rawTransition
	consistency                    []rawPair
	settings                       Settings
}

type rawStage struct {
	Stage
	pos Position
}

type rawTouchpoint struct {
	touchpoint.Touchpoint
	pos, stagePos Position
	matchPos      []Position
}

type rawTransition struct {
	from    string
	fromPos Position
	to      []string
	toPos   []Position
	expect  touchpoint.Expectations
}

type rawPair struct {
	stages [2]string
	pos    [2]Position
}

type decoder struct {
	file  string
	diags []*Diagnostic
	nodes int
}

// maxErrors caps the list: past it, more errors say nothing new.
const maxErrors = 100

func (d *decoder) errs() ErrorList {
	var l ErrorList
	for _, x := range d.diags {
		if !x.Warning {
			l = append(l, x)
		}
	}
	sortDiagnostics(l)
	l = slices.CompactFunc(l, func(a, b *Diagnostic) bool { return *a == *b })
	if len(l) > maxErrors {
		more := len(l) - maxErrors
		l = append(l[:maxErrors], &Diagnostic{Pos: Position{File: d.file}, Message: fmt.Sprintf("%d more errors not shown", more), Hint: "fix the ones above first"})
	}
	return l
}

func (d *decoder) warns() []*Diagnostic {
	var l []*Diagnostic
	for _, x := range d.diags {
		if x.Warning {
			l = append(l, x)
		}
	}
	sortDiagnostics(l)
	return l
}

func sortDiagnostics(l []*Diagnostic) {
	sort.SliceStable(l, func(a, b int) bool {
		if l[a].Pos.Line != l[b].Pos.Line {
			return l[a].Pos.Line < l[b].Pos.Line
		}
		return l[a].Pos.Col < l[b].Pos.Col
	})
}

func (d *decoder) pos(n *yaml.Node) Position {
	if n == nil {
		return Position{File: d.file}
	}
	return Position{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *decoder) report(p Position, warning bool, hint, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = textcut.Cut(s)
		}
	}
	d.diags = append(d.diags, &Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...), Hint: hint, Warning: warning})
}

func (d *decoder) errorf(n *yaml.Node, hint, format string, args ...any) {
	d.report(d.pos(n), false, hint, format, args...)
}

// resolve follows aliases, counting every node visited so that an alias bomb
// is stopped long before it costs anything.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	d.nodes++
	if d.nodes == maxNodes {
		d.errorf(n, "journey files do not need YAML aliases; write the values out", "file expands to more than %d YAML nodes", maxNodes)
	}
	if d.nodes >= maxNodes {
		return nil
	}
	return n
}

func (d *decoder) document(data []byte) *rawJourney {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.report(Position{File: d.file}, false, "a journey needs id, stages and touchpoints; see the README's journey file reference", "file is empty")
			return nil
		}
		d.yamlError(err)
		return nil
	}
	var second yaml.Node
	if err := dec.Decode(&second); err == nil {
		d.report(d.pos(&second), false, "keep one journey per file", "the file holds a second YAML document (after ---): a journey file is one document")
	} else if !errors.Is(err, io.EOF) {
		d.yamlError(err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	raw := &rawJourney{pos: d.pos(root)}
	root = d.resolve(root)
	if root == nil {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "a journey file is a YAML mapping with id, stages and touchpoints", "expected a mapping at the top of the file")
		return nil
	}
	required := d.fields(root, "journey", map[string]func(k, v *yaml.Node){
		"id":          func(_, v *yaml.Node) { raw.id = d.id(v, "journey") },
		"name":        func(_, v *yaml.Node) { raw.name = d.str(v) },
		"description": func(_, v *yaml.Node) { d.str(v) },
		"stages": func(k, v *yaml.Node) {
			raw.stagesPos = d.pos(k)
			if d.each(v, "stages", func(n *yaml.Node) { raw.stages = append(raw.stages, d.stage(n)) }) && len(raw.stages) == 0 {
				d.errorf(k, "", "stages is empty: list at least one stage")
			}
		},
		"touchpoints": func(k, v *yaml.Node) {
			raw.touchpointsPos = d.pos(k)
			if d.each(v, "touchpoints", func(n *yaml.Node) { raw.tps = append(raw.tps, d.touchpoint(n)) }) && len(raw.tps) == 0 {
				d.errorf(k, "", "touchpoints is empty: list at least one touchpoint")
			}
		},
		"transitions": func(_, v *yaml.Node) {
			d.each(v, "transitions", func(n *yaml.Node) { raw.transitions = append(raw.transitions, d.transition(n)) })
		},
		"consistency": func(_, v *yaml.Node) {
			d.each(v, "consistency", func(n *yaml.Node) { raw.consistency = append(raw.consistency, d.pair(n)) })
		},
		"settings": func(_, v *yaml.Node) { raw.settings = d.settings(v) },
	})
	for _, key := range []string{"id", "stages", "touchpoints"} {
		if !required[key] {
			d.errorf(root, "", "journey has no %s: add a top-level %q key", key, key)
		}
	}
	if len(raw.tps) > MaxTouchpoints {
		d.report(raw.touchpointsPos, false, "", "journey has %d touchpoints; the limit is %d", len(raw.tps), MaxTouchpoints)
	}
	return raw
}

func (d *decoder) yamlError(err error) {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		p := Position{File: d.file}
		if g := yamlLine.FindStringSubmatch(m); g != nil {
			p.Line, _ = strconv.Atoi(g[1])
			m = g[2]
		} else {
			m = strings.TrimPrefix(m, "yaml: ")
		}
		d.report(p, false, "", "not valid YAML: %s", m)
	}
}

// fields walks the key/value pairs of a mapping in file order, rejecting
// duplicate and unknown keys, and returns the set of keys seen.
func (d *decoder) fields(n *yaml.Node, what string, handlers map[string]func(k, v *yaml.Node)) map[string]bool {
	seen := map[string]bool{}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "", "%s must be a mapping of key: value", what)
		return seen
	}
	known := make([]string, 0, len(handlers))
	for k := range handlers {
		known = append(known, k)
	}
	slices.Sort(known)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := d.resolve(n.Content[i])
		v := d.resolve(n.Content[i+1])
		if k == nil || v == nil {
			return seen
		}
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "", "%s keys must be plain words", what)
			continue
		}
		h, ok := handlers[k.Value]
		switch {
		case !ok:
			hint := didYouMean(k.Value, known)
			if hint == "" {
				hint = "known keys: " + strings.Join(known, ", ")
			}
			d.errorf(k, hint, "unknown key %q in %s", k.Value, what)
		case seen[k.Value]:
			d.errorf(k, "", "key %q appears twice in %s; keep one", k.Value, what)
		default:
			seen[k.Value] = true
			h(k, v)
		}
	}
	return seen
}

// each calls f on every item of a list and reports whether n was a list.
func (d *decoder) each(n *yaml.Node, what string, f func(*yaml.Node)) bool {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "", "%s must be a list (lines starting with \"- \")", what)
		return false
	}
	for _, c := range n.Content {
		if c = d.resolve(c); c == nil {
			return true
		}
		f(c)
	}
	return true
}

func (d *decoder) str(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "", "expected a single value, not a list or mapping")
		return ""
	}
	return n.Value
}

// nonEmpty is str for a value that must be given.
func (d *decoder) nonEmpty(n *yaml.Node, key string) string {
	s := d.str(n)
	if s == "" && n.Kind == yaml.ScalarNode {
		d.errorf(n, "", "%s is empty: give a value", key)
	}
	return s
}

func (d *decoder) boolean(n *yaml.Node) bool {
	if n.Kind == yaml.ScalarNode {
		switch n.Value {
		case "true", "True", "TRUE", "yes":
			return true
		case "false", "False", "FALSE", "no":
			return false
		}
	}
	d.errorf(n, "", "expected true or false, got %q", n.Value)
	return false
}

func (d *decoder) id(n *yaml.Node, what string) string {
	s := d.str(n)
	if s == "" && n.Kind != yaml.ScalarNode {
		return ""
	}
	if err := touchpoint.ValidateID(s); err != nil {
		d.errorf(n, "", "%s %v", what, err)
	}
	return s
}

// strList accepts one value or a list of values.
func (d *decoder) strList(n *yaml.Node) ([]string, []Position) {
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}, []Position{d.pos(n)}
	}
	var vals []string
	var ps []Position
	d.each(n, "value", func(c *yaml.Node) {
		vals = append(vals, d.str(c))
		ps = append(ps, d.pos(c))
	})
	return vals, ps
}

func (d *decoder) duration(n *yaml.Node) time.Duration {
	v, err := ParseDuration(d.str(n))
	if err != nil {
		d.errorf(n, "", "%v", err)
		return 0
	}
	if v == 0 {
		d.errorf(n, "", "duration must be more than zero")
	}
	return v
}

func (d *decoder) rate(n *yaml.Node) float64 {
	s := d.str(n)
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if pct {
		v /= 100
	}
	if err != nil || v < 0 || v > 1 {
		d.errorf(n, "", "bad rate %q: write a share between 0 and 1 (0.15) or a percentage (15%%)", s)
		return 0
	}
	return v
}

func (d *decoder) count(n *yaml.Node) int {
	s := d.str(n)
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		d.errorf(n, "", "bad count %q: write a whole number of at least 1", s)
		return 0
	}
	return v
}

// expect decodes an `expect:` block, accepting only the keys that mean
// something where it stands.
func (d *decoder) expect(n *yaml.Node, what string, keys ...string) touchpoint.Expectations {
	var e touchpoint.Expectations
	all := map[string]func(k, v *yaml.Node){
		"max_dwell":    func(_, v *yaml.Node) { e.MaxDwell = d.duration(v) },
		"max_wait":     func(_, v *yaml.Node) { e.MaxWait = d.duration(v) },
		"max_duration": func(_, v *yaml.Node) { e.MaxDuration = d.duration(v) },
		"max_dropoff":  func(_, v *yaml.Node) { e.MaxDropoff, e.HasMaxDropoff = d.rate(v), true },
	}
	h := map[string]func(k, v *yaml.Node){}
	for _, k := range keys {
		h[k] = all[k]
	}
	d.fields(n, what+" expect", h)
	return e
}

func (d *decoder) stage(n *yaml.Node) rawStage {
	s := rawStage{pos: d.pos(n)}
	if n.Kind == yaml.ScalarNode { // "- discover" is shorthand for "- id: discover"
		s.ID = d.id(n, "stage")
		return s
	}
	seen := d.fields(n, "stage", map[string]func(k, v *yaml.Node){
		"id":          func(_, v *yaml.Node) { s.ID = d.id(v, "stage") },
		"name":        func(_, v *yaml.Node) { s.Name = d.str(v) },
		"description": func(_, v *yaml.Node) { d.str(v) },
		"expect":      func(_, v *yaml.Node) { s.Expect = d.expect(v, "stage", "max_dropoff", "max_duration") },
	})
	if n.Kind == yaml.MappingNode && !seen["id"] {
		d.errorf(n, "", "stage has no id: add \"id: <stage>\"")
	}
	return s
}

func (d *decoder) touchpoint(n *yaml.Node) rawTouchpoint {
	t := rawTouchpoint{pos: d.pos(n)}
	seen := d.fields(n, "touchpoint", map[string]func(k, v *yaml.Node){
		"id":          func(_, v *yaml.Node) { t.ID = d.id(v, "touchpoint") },
		"name":        func(_, v *yaml.Node) { t.Name = d.str(v) },
		"description": func(_, v *yaml.Node) { d.str(v) },
		"stage":       func(_, v *yaml.Node) { t.Stage, t.stagePos = d.nonEmpty(v, "stage"), d.pos(v) },
		"channel":     func(_, v *yaml.Node) { t.Channel = touchpoint.NormalizeChannel(d.str(v)) },
		"owner":       func(_, v *yaml.Node) { t.Owner = d.str(v) },
		"entry":       func(_, v *yaml.Node) { t.Entry = d.boolean(v) },
		"goal":        func(_, v *yaml.Node) { t.Goal = d.boolean(v) },
		"outcome": func(_, v *yaml.Node) {
			t.Outcome = d.str(v)
			if err := touchpoint.ValidateOutcome(t.Outcome); err != nil && v.Kind == yaml.ScalarNode {
				d.errorf(v, "", "%v", err)
			}
		},
		"match":  func(_, v *yaml.Node) { t.Match, t.matchPos = d.strList(v) },
		"tags":   func(_, v *yaml.Node) { t.Tags, _ = d.strList(v) },
		"expect": func(_, v *yaml.Node) { t.Expect = d.expect(v, "touchpoint", "max_dwell", "max_dropoff") },
	})
	if n.Kind == yaml.MappingNode {
		for _, key := range []string{"id", "stage"} {
			if !seen[key] {
				d.errorf(n, "", "touchpoint %shas no %s: add \"%s: <%s>\"", quoteOrEmpty(t.ID), key, key, key)
			}
		}
	}
	return t
}

func quoteOrEmpty(id string) string {
	if id == "" {
		return ""
	}
	return strconv.Quote(id) + " "
}

func (d *decoder) transition(n *yaml.Node) rawTransition {
	t := rawTransition{}
	seen := d.fields(n, "transition", map[string]func(k, v *yaml.Node){
		"from": func(_, v *yaml.Node) { t.from, t.fromPos = d.nonEmpty(v, "from"), d.pos(v) },
		"to": func(_, v *yaml.Node) {
			t.to, t.toPos = d.strList(v)
			for k, id := range t.to {
				if id == "" {
					d.report(t.toPos[k], false, "", "to is empty: name a touchpoint")
				}
			}
		},
		"expect": func(_, v *yaml.Node) { t.expect = d.expect(v, "transition", "max_wait") },
	})
	if n.Kind == yaml.MappingNode {
		for _, key := range []string{"from", "to"} {
			if !seen[key] {
				d.errorf(n, "", "transition has no %q: write {from: a, to: b} or to: [b, c]", key)
			}
		}
	}
	return t
}

func (d *decoder) pair(n *yaml.Node) rawPair {
	var p rawPair
	if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
		d.errorf(n, "", "a consistency entry is a pair of stages, like [purchase, exchange]")
		return p
	}
	for i, c := range n.Content {
		if c = d.resolve(c); c == nil {
			return p
		}
		p.stages[i], p.pos[i] = d.nonEmpty(c, "stage"), d.pos(c)
	}
	return p
}

func (d *decoder) settings(n *yaml.Node) Settings {
	var s Settings
	d.fields(n, "settings", map[string]func(k, v *yaml.Node){
		"case_timeout": func(_, v *yaml.Node) { s.CaseTimeout = d.duration(v) },
		"min_cases":    func(_, v *yaml.Node) { s.MinCases = d.count(v) },
		"max_dropoff":  func(_, v *yaml.Node) { s.MaxDropoff, s.HasMaxDropoff = d.rate(v), true },
		"max_wait":     func(_, v *yaml.Node) { s.MaxWait = d.duration(v) },
	})
	return s
}
