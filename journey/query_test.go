package journey_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/journey"
)

func loadSmall(t testing.TB) *journey.Journey {
	t.Helper()
	j, err := journey.Load("testdata/good/small.yaml")
	require.NoError(t, err)
	return j
}

func TestQueries(t *testing.T) {
	j := loadSmall(t)
	var ids []string
	for _, tp := range j.Touchpoints() {
		ids = append(ids, tp.ID)
	}
	assert.Equal(t, []string{"home", "search", "product", "cart", "help", "paid"}, ids)
	assert.Equal(t, []string{"home", "product"}, j.Entries())
	assert.Equal(t, []string{"paid"}, j.Goals())
	assert.Equal(t, []string{"search", "product"}, j.Successors("home"))
	assert.Equal(t, []string{"cart", "help"}, j.Predecessors("help"))
	assert.Nil(t, j.Successors("nope"))
	assert.Equal(t, "buy", j.StageOf("help"))
	assert.Equal(t, "", j.StageOf("nope"))
	assert.Equal(t, 1, j.StageIndexOf(j.Index("cart")))

	tests := []struct {
		from, to string
		designed bool
	}{
		{"home", "search", true},
		{"search", "home", false},
		{"help", "help", true}, // declared self-loop
		{"cart", "cart", false},
		{"home", "nope", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.designed, j.IsDesigned(tc.from, tc.to), "%s -> %s", tc.from, tc.to)
	}

	lookups := map[string]string{"landing": "home", "pdp": "product", "product_view": "product", "paid": "paid"}
	for name, want := range lookups {
		tp, ok := j.Lookup(name)
		assert.True(t, ok, name)
		assert.Equal(t, want, tp.ID, name)
	}
	_, ok := j.Lookup("Landing")
	assert.False(t, ok, "event names are compared exactly")
	assert.Equal(t, -1, j.LookupIndex("unknown"))
}

func TestShortestPath(t *testing.T) {
	j := loadSmall(t)
	tests := []struct {
		from, to string
		want     []string
	}{
		{"home", "paid", []string{"home", "product", "cart", "paid"}},
		{"search", "help", []string{"search", "product", "cart", "help"}},
		{"help", "paid", []string{"help", "cart", "paid"}},
		{"home", "home", []string{"home"}},
		{"paid", "home", nil},
		{"cart", "search", nil},
	}
	for _, tc := range tests {
		got, ok := j.ShortestPath(tc.from, tc.to)
		assert.Equal(t, tc.want != nil, ok, "%s -> %s", tc.from, tc.to)
		assert.Equal(t, tc.want, got, "%s -> %s", tc.from, tc.to)
		assert.Equal(t, len(tc.want)-1, j.Distance(j.Index(tc.from), j.Index(tc.to)))
	}
}

// Among shortest paths of equal length the one through lower indexes wins,
// on every run, however the transitions are written.
func TestShortestPathTiesAreDeterministic(t *testing.T) {
	for _, order := range []string{"[b, c]", "[c, b]"} {
		src := `
id: diamond
stages: [s]
touchpoints:
  - {id: a, stage: s, entry: true}
  - {id: b, stage: s}
  - {id: c, stage: s}
  - {id: d, stage: s, goal: true}
transitions:
  - {from: a, to: ` + order + `}
  - {from: c, to: d}
  - {from: b, to: d}
`
		j, err := journey.Parse(strings.NewReader(src), "diamond.yaml")
		require.NoError(t, err)
		for range 20 {
			p, ok := j.ShortestPath("a", "d")
			require.True(t, ok)
			assert.Equal(t, []string{"a", "b", "d"}, p)
		}
	}
}

func TestLoops(t *testing.T) {
	j := loadSmall(t)
	assert.Equal(t, [][]string{{"cart", "help"}}, j.Loops())
	g, err := j.Graph()
	require.NoError(t, err)
	order, err := g.Order()
	require.NoError(t, err)
	assert.Equal(t, j.Len(), order)
	extra := j.At(0)
	extra.ID = "extra"
	require.NoError(t, g.AddVertex(extra), "the copy is the caller's to change")
	_, ok := j.Touchpoint("extra")
	assert.False(t, ok, "changing the copy leaves the journey alone")
}

func TestExportIsEscapedAndStable(t *testing.T) {
	j, err := journey.Parse(strings.NewReader(`
id: esc
name: 'Say "hi" \ bye'
stages: [{id: s, name: "Stage \"one\""}]
touchpoints:
  - {id: a, name: 'A "quoted" name', stage: s, entry: true, channel: web, owner: x}
  - {id: b, name: "line\nbreak", stage: s, goal: true}
transitions:
  - {from: a, to: b}
`), "esc.yaml")
	require.NoError(t, err)
	var dot, mer bytes.Buffer
	require.NoError(t, j.WriteDOT(&dot))
	require.NoError(t, j.WriteMermaid(&mer))
	goldenFile(t, "esc.dot", dot.String())
	goldenFile(t, "esc.mmd", mer.String())
	assert.Contains(t, dot.String(), `label="Say \"hi\" \\ bye"`)
	assert.Contains(t, mer.String(), `A #quot;quoted#quot; name`)
	assert.NotContains(t, mer.String(), "\nbreak", "a newline in a name must not end the label")

	for range 5 { // byte-identical on every run
		var again bytes.Buffer
		require.NoError(t, j.WriteDOT(&again))
		assert.Equal(t, dot.String(), again.String())
	}
}

func TestExportExamples(t *testing.T) {
	j, err := journey.Load("../examples/retail/journey.yaml")
	require.NoError(t, err)
	var dot, mer bytes.Buffer
	require.NoError(t, j.WriteDOT(&dot))
	require.NoError(t, j.WriteMermaid(&mer))
	goldenFile(t, "retail.dot", dot.String())
	goldenFile(t, "retail.mmd", mer.String())
	// Every touchpoint is a node and every transition an edge.
	assert.Equal(t, len(j.Transitions()), strings.Count(dot.String(), " -> "))
	assert.Equal(t, len(j.Transitions()), strings.Count(mer.String(), " --> "))
	for _, tp := range j.Touchpoints() {
		assert.Contains(t, dot.String(), `"`+tp.ID+`" [label=`)
	}
	assert.Equal(t, len(j.Stages()), strings.Count(mer.String(), "  subgraph "))
}

// Names are text, never markup or a directive, in every drawing.
func TestExportResistsInjection(t *testing.T) {
	j, err := journey.Parse(strings.NewReader(`
id: hostile
stages: [{id: s, name: "%%{init: {'theme':'dark'}}%%"}]
touchpoints:
  - {id: a, name: "<img src=x onerror=alert(1)>", stage: s, entry: true}
  - {id: b, name: "x\"]\nclick b call alert()\r\n%%{init: {}}%%", stage: s, goal: true}
transitions:
  - {from: a, to: b}
`), "hostile.yaml")
	require.NoError(t, err)
	var mer, dot bytes.Buffer
	require.NoError(t, j.WriteMermaid(&mer))
	require.NoError(t, j.WriteDOT(&dot))
	for _, bad := range []string{"<img", "%%{", "\nclick", "\r", `x"]`} {
		assert.NotContains(t, mer.String(), bad)
	}
	assert.Contains(t, mer.String(), "#lt;img src=x onerror=alert(1)#gt;")
	assert.Contains(t, mer.String(), "#37;#37;{init")
	assert.NotContains(t, dot.String(), "\r")
	assert.Contains(t, dot.String(), `x\"]\nclick b call alert()\n%%{init: {}}%%`)
}
