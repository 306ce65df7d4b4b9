package friction_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/friction/render"
	"github.com/journeymap/journeymap/journey"
)

// Example paths protect customers (contract 9): every path shown is
// shared by at least k of a finding's customers, the rarer ones are only
// counted, no case id is shown without a pseudonymizer, and every
// rendering says the same.
func TestExamplePathsAreKAnonymous(t *testing.T) {
	j, err := journey.Load("../examples/retail/journey.yaml")
	require.NoError(t, err)
	res, err := replayCSV(j, "../examples/retail/events.csv")
	require.NoError(t, err)
	for _, k := range []int{2, 5, 20} {
		rep := friction.Analyze(j, res, friction.Options{ExampleCases: 4, ExampleK: k})
		shown := 0
		for _, f := range rep.Findings {
			paths, _ := f.Evidence["example_paths"].([]map[string]any)
			for _, p := range paths {
				assert.GreaterOrEqual(t, p["cases"].(int), k, "%s: a path shown is shared by at least %d", f.Key(), k)
				assert.NotContains(t, p, "examples", "no ids without a pseudonymizer")
				shown++
			}
			assert.LessOrEqual(t, len(paths), 4)
			if r, ok := f.Evidence["rarer_paths"].(map[string]any); ok {
				assert.Equal(t, k, r["shared_by_fewer_than"])
			}
		}
		if k <= 5 {
			require.Positive(t, shown, "k=%d: some path is shared widely enough", k)
		}
		var text, md, html strings.Builder
		require.NoError(t, render.Text(&text, rep))
		require.NoError(t, render.Markdown(&md, rep))
		require.NoError(t, render.HTML(&html, rep))
		for name, out := range map[string]string{"text": text.String(), "markdown": md.String(), "html": html.String()} {
			out = strings.Join(strings.Fields(out), " ") // wrapped lines read as one
			assert.False(t, strings.Contains(out, "C000"), "%s: no case id", name)
			assert.True(t, shown == 0 || strings.Contains(out, "customers took"), "%s: the paths", name)
			assert.True(t, strings.Contains(out, "so that no customer can be picked out"), "%s: the rarer paths, counted", name)
		}
	}
	p, err := friction.Pseudonymizer([]byte("0123456789abcdef"))
	require.NoError(t, err)
	rep := friction.Analyze(j, res, friction.Options{ExampleCases: 2, Pseudonymize: p})
	var text strings.Builder
	require.NoError(t, render.Text(&text, rep))
	out := strings.Join(strings.Fields(text.String()), " ")
	assert.True(t, strings.Contains(out, "(e.g. p-"), "pseudonymized ids")
	assert.False(t, strings.Contains(out, "C000"), "no id in the clear")
	assert.Regexp(t, `began 2024-\d\d-\d\dT\d\d:00Z`, out, "times binned to the hour")
}
