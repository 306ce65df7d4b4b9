package friction_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/journey"
)

func exampleReport(t *testing.T, name string) *friction.Report {
	t.Helper()
	j, err := journey.Load("../examples/" + name + "/journey.yaml")
	require.NoError(t, err)
	res, err := replayCSV(j, "../examples/"+name+"/events.csv")
	require.NoError(t, err)
	return friction.Analyze(j, res, friction.Options{})
}

// htmlStructure tokenizes the page and returns the node ids, the edges
// (from->to) and the number of finding rows; it fails on markup that does
// not nest.
func htmlStructure(t *testing.T, page []byte) (nodes map[string]bool, edges map[string]bool, findings int) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(page))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	nodes, edges = map[string]bool{}, map[string]bool{}
	attr := func(se xml.StartElement, name string) string {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		require.NoError(t, err)
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch attr(se, "class") {
		case "node":
			nodes[attr(se, "data-id")] = true
		case "edge":
			edges[attr(se, "data-from")+"->"+attr(se, "data-to")] = true
		case "finding":
			findings++
		}
		if se.Name.Local == "script" || (se.Name.Local == "link" && attr(se, "href") != "") {
			t.Errorf("the page loads something: <%s>", se.Name.Local)
		}
	}
}

// The HTML page has a node for every touchpoint, an edge for every
// observed transition, every finding, and loads nothing from the network.
func TestHTMLMapStructure(t *testing.T) {
	for _, name := range []string{"retail", "tv-installation", "bank-onboarding"} {
		t.Run(name, func(t *testing.T) {
			r := exampleReport(t, name)
			var buf bytes.Buffer
			require.NoError(t, r.WriteHTML(&buf))
			page := buf.Bytes()
			nodes, edges, findings := htmlStructure(t, page)
			assert.Len(t, nodes, len(r.Touchpoints))
			for _, tp := range r.Touchpoints {
				assert.True(t, nodes[tp.ID], "node for %s", tp.ID)
			}
			for _, tr := range r.Transitions {
				assert.True(t, edges[tr.From+"->"+tr.To], "edge %s -> %s", tr.From, tr.To)
			}
			assert.Equal(t, len(r.Findings), findings)
			assert.NotContains(t, string(page), "http://www.w3.org/1999", "no external references but the SVG namespace")
			assert.NotContains(t, string(page), "https://")
		})
	}
}

func TestHTMLEscapes(t *testing.T) {
	r := &friction.Report{Journey: friction.JourneyInfo{ID: "x", Name: `<script>alert("x")</script>`},
		Stages:      []friction.StageReport{{ID: "s", Name: "S & T"}},
		Touchpoints: []friction.TouchpointReport{{ID: "a", Name: `A "<b>"`, Stage: "s"}}}
	var buf bytes.Buffer
	require.NoError(t, r.WriteHTML(&buf))
	assert.NotContains(t, buf.String(), "<script>")
	assert.Contains(t, buf.String(), "&lt;script&gt;")
	_, _, _ = htmlStructure(t, buf.Bytes())
}

func TestMarkdownAndDOTGolden(t *testing.T) {
	r := exampleReport(t, "retail")
	var md, dot bytes.Buffer
	require.NoError(t, r.WriteMarkdown(&md))
	require.NoError(t, r.WriteDOT(&dot))
	golden(t, "retail.md", md.Bytes())
	golden(t, "retail.dot", dot.Bytes())
	assert.Contains(t, md.String(), "```mermaid\nflowchart LR\n")
	assert.Equal(t, len(r.Transitions), strings.Count(dot.String(), " -> "))
}

// TestHTMLInBrowser opens the retail page in headless Chromium, as a
// person would: the DOM holds every node and the screenshot is not blank.
// It skips where Chromium is not installed (.ci/run installs Debian's).
func TestHTMLInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium); the structural test above still checks the page")
	}
	r := exampleReport(t, "retail")
	dir := t.TempDir()
	page := filepath.Join(dir, "retail.html")
	var buf bytes.Buffer
	require.NoError(t, r.WriteHTML(&buf))
	require.NoError(t, os.WriteFile(page, buf.Bytes(), 0o644))
	shot := filepath.Join(dir, "retail.png")
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + filepath.Join(dir, "profile")}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dom, err := exec.CommandContext(ctx, chromium, append(base, "--dump-dom", "file://"+page)...).Output()
	require.NoError(t, err)
	assert.Equal(t, len(r.Touchpoints), strings.Count(string(dom), `class="node"`), "every touchpoint is in the rendered DOM")
	assert.Contains(t, string(dom), `id="journey-map"`)

	out, err := exec.CommandContext(ctx, chromium, append(base, "--window-size=1200,900", "--screenshot="+shot, "file://"+page)...).CombinedOutput()
	require.NoError(t, err, string(out))
	f, err := os.Open(shot)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	colours := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 12, g >> 12, bl >> 12}] = true
		}
	}
	assert.Greater(t, len(colours), 12, "the screenshot shows a map, not a blank page")
}

// Every rendering tells the same numbers: each stage's cases, dropped and
// bounced counts as the JSON has them stand in the text, Markdown and HTML
// rows of that stage, and the headline's counts in each.
func TestRenderingsAgree(t *testing.T) {
	for _, name := range []string{"retail", "tv-installation", "bank-onboarding"} {
		r := exampleReport(t, name)
		out := map[string]string{}
		for format, write := range map[string]func(io.Writer) error{"text": r.WriteText, "markdown": r.WriteMarkdown, "html": r.WriteHTML} {
			var b bytes.Buffer
			require.NoError(t, write(&b))
			out[format] = b.String()
		}
		for _, s := range r.Stages {
			for format, page := range out {
				row := ""
				for _, line := range strings.Split(page, "\n") {
					if format == "text" && strings.HasPrefix(line, "  "+s.ID+" ") || strings.Contains(line, "| "+s.Name+" |") || strings.Contains(line, "<td>"+s.Name+"</td>") {
						row = line
						break
					}
				}
				require.NotEmpty(t, row, "%s: %s has a row for stage %s", name, format, s.ID)
				for _, n := range []int64{s.Cases, s.Dropped, s.Bounced} {
					assert.Regexp(t, `(^|[^0-9])`+strconv.FormatInt(n, 10)+`([^0-9]|$)`, row, "%s %s: stage %s row %q lacks %d", name, format, s.ID, row, n)
				}
			}
		}
		for format, page := range out {
			for _, n := range []int64{r.Cases.Total, r.Cases.Completed, r.Cases.Dropped, r.Cases.InProgress, r.Events.Read, r.Events.Replayed} {
				assert.Contains(t, page, strconv.FormatInt(n, 10), "%s %s: headline count %d", name, format, n)
			}
		}
	}
}
