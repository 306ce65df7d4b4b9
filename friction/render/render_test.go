package render_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/discover"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/friction/render"
	"github.com/journeymap/journeymap/internal/golden"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// discoveredReport is the report of an example's log against the draft
// journey discover proposes for it: the as-is map a new user sees first.
func discoveredReport(t *testing.T, name string) *friction.Report {
	t.Helper()
	f, err := os.Open("../../examples/" + name + "/events.csv")
	require.NoError(t, err)
	defer f.Close()
	r, err := eventlog.NewReader(f, name, eventlog.CSV, eventlog.Options{})
	require.NoError(t, err)
	evs, err := eventlog.ReadAll(r)
	require.NoError(t, err)
	var jevs []replay.Event
	for _, e := range evs {
		jevs = append(jevs, replay.Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time, Line: e.Line, Channel: e.Channel, CSAT: e.CSAT, CES: e.CES, NPS: e.NPS})
	}
	d, err := discover.Run(context.Background(), replay.SliceEvents(jevs), discover.Options{})
	require.NoError(t, err)
	var draft bytes.Buffer
	_, err = d.WriteDraft(&draft, discover.DraftOptions{ID: "discovered", Coverage: 0.9})
	require.NoError(t, err)
	j, err := journey.Parse(&draft, "draft.yaml")
	require.NoError(t, err)
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(jevs), replay.Options{})
	require.NoError(t, err)
	return friction.Analyze(j, res, friction.Options{})
}

func exampleReport(t *testing.T, name string) *friction.Report {
	t.Helper()
	j, err := journey.Load("../../examples/" + name + "/journey.yaml")
	require.NoError(t, err)
	r, err := eventlog.Open("../../examples/"+name+"/events.csv", eventlog.Options{})
	require.NoError(t, err)
	defer r.Close()
	res, err := replay.Run(t.Context(), j, journeymap.NewEventSource(r, ""), replay.Options{KeepCases: true})
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
		switch class, _, _ := strings.Cut(attr(se, "class"), " "); class {
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
			require.NoError(t, render.HTML(&buf, r))
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
	require.NoError(t, render.HTML(&buf, r))
	assert.NotContains(t, buf.String(), "<script>")
	assert.Contains(t, buf.String(), "&lt;script&gt;")
	_, _, _ = htmlStructure(t, buf.Bytes())
}

// The Markdown (with its Mermaid map) and DOT renderings of every bundled
// example are golden files: a change to a drawing shows as a diff.
func TestMarkdownAndDOTGolden(t *testing.T) {
	for _, name := range []string{"retail", "tv-installation", "bank-onboarding"} {
		t.Run(name, func(t *testing.T) {
			r := exampleReport(t, name)
			var md, dot bytes.Buffer
			require.NoError(t, render.Markdown(&md, r))
			require.NoError(t, render.DOT(&dot, r))
			golden.Check(t, "testdata/"+name+".md", md.Bytes())
			golden.Check(t, "testdata/"+name+".dot", dot.Bytes())
			assert.Contains(t, md.String(), "```mermaid\nflowchart TB\n")
			assert.Equal(t, len(r.Transitions), strings.Count(dot.String(), " -> "))
		})
	}
}

// TestHTMLInBrowser opens the retail page in headless Chromium, as a
// person would: the DOM holds every node and the screenshot is not blank.
// It skips where Chromium is not installed (.ci/run installs Debian's).
// checkScript measures the rendered page, as a person would see it, and
// writes what it found into the body's data-check attribute: the drawing's
// box, every node and label that lies outside it or outside its node, the
// worst finding's touchpoints outside the window, and links without a
// target. It is added to a copy of the page by the test only: the report
// itself carries no script.
const checkScript = `<script>
window.addEventListener('load', () => {
  const map = document.getElementById('journey-map');
  const svg = map.getBoundingClientRect();
  const out = {svgWidth: svg.width, mapRight: document.querySelector('div.map').getBoundingClientRect().right, window: window.innerWidth, clipped: [], offscreen: [], badLinks: [], nodes: 0};
  // The map is drawn at its own size, not shrunk to the window: its text
  // as rendered is its font size times the drawing's scale.
  const scale = svg.width / map.viewBox.baseVal.width;
  const inside = (a, b, slack) => a.left >= b.left - slack && a.right <= b.right + slack && a.top >= b.top - slack && a.bottom <= b.bottom + slack;
  for (const g of document.querySelectorAll('g.node')) {
    out.nodes++;
    const box = g.querySelector('rect.box').getBoundingClientRect();
    if (!inside(box, svg, 1)) out.clipped.push(g.dataset.id);
    for (const t of g.querySelectorAll('text')) {
      if (!inside(t.getBoundingClientRect(), box, 1)) out.clipped.push(g.dataset.id + ': ' + t.textContent);
    }
    const a = g.querySelector('a');
    if (a && !document.getElementById(a.getAttribute('href').slice(1))) out.badLinks.push(g.dataset.id);
  }
  for (const t of document.querySelectorAll('text.edge-label, g.stage text')) {
    if (!inside(t.getBoundingClientRect(), svg, 1)) out.clipped.push('label ' + t.textContent);
  }
  for (const p of document.querySelectorAll('path.edge')) {
    if (!inside(p.getBoundingClientRect(), svg, 2)) out.clipped.push('edge ' + p.dataset.from + '>' + p.dataset.to);
  }
  const worst = document.querySelector('tr.finding');
  if (worst) {
    const id = worst.id;
    for (const g of document.querySelectorAll('[data-f~="' + id + '"]')) {
      const r = g.getBoundingClientRect();
      if (r.right > window.innerWidth || r.left < 0) out.offscreen.push(g.dataset.id || g.dataset.from);
    }
    for (const a of worst.querySelectorAll('a')) {
      if (!document.getElementById(a.getAttribute('href').slice(1))) out.badLinks.push(id);
    }
  }
  const w = document.getElementById('worst');
  out.worstBottom = w ? w.getBoundingClientRect().bottom : -1;
  out.small = [];
  for (const el of document.querySelectorAll('body *:not(svg):not(svg *):not(script):not(style)')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() !== '');
    if (own && el.getClientRects().length > 0 && parseFloat(getComputedStyle(el).fontSize) < 11) out.small.push(el.tagName + ': ' + el.textContent.trim().slice(0, 30));
  }
  for (const t of map.querySelectorAll('text')) {
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (t.getClientRects().length > 0 && px < 10.5) out.small.push('map text ' + px.toFixed(1) + 'px: ' + t.textContent.trim().slice(0, 30));
  }
  document.body.setAttribute('data-check', JSON.stringify(out));
});
</script>`

// pageCheck is what checkScript found.
type pageCheck struct {
	SVGWidth  float64  `json:"svgWidth"`
	MapRight  float64  `json:"mapRight"` // where the map's frame ends: inside the window, the drawing scrolls within it
	Window    float64  `json:"window"`
	Nodes     int      `json:"nodes"`
	Clipped   []string `json:"clipped"`
	Offscreen []string `json:"offscreen"`
	BadLinks  []string `json:"badLinks"`
	// WorstBottom is where the "fix first" box ends (-1: none).
	WorstBottom float64  `json:"worstBottom"`
	Small       []string `json:"small"` // page text under 11 px
}

// Each example's page, rendered in Chromium at 1400 and 800 pixels wide as
// a person would open it, and printed to PDF: the map scales to the window
// with the worst finding's touchpoints on screen, no node, label or edge
// is cut, the links between findings and map lead somewhere, and the print
// is a landscape PDF.
func TestHTMLInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium); the structural test above still checks the page")
	}
	reports := map[string]*friction.Report{"discovered-tv-installation": render.AsIs(discoveredReport(t, "tv-installation"))} // as discover draws it
	for _, name := range []string{"retail", "tv-installation", "bank-onboarding", "discovered-tv-installation"} {
		r := reports[name]
		if r == nil {
			r = exampleReport(t, name)
		}
		dir := t.TempDir()
		var buf bytes.Buffer
		require.NoError(t, render.HTML(&buf, r))
		page := filepath.Join(dir, name+".html")
		require.NoError(t, os.WriteFile(page, buf.Bytes(), 0o644))
		checked := filepath.Join(dir, name+"-checked.html")
		require.NoError(t, os.WriteFile(checked, bytes.Replace(buf.Bytes(), []byte("</body>"), []byte(checkScript+"</body>"), 1), 0o644))
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + filepath.Join(dir, "profile")}
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		for _, width := range []int{1400, 800} {
			dom, err := exec.CommandContext(ctx, chromium, append(base, fmt.Sprintf("--window-size=%d,1000", width), "--virtual-time-budget=2000", "--dump-dom", "file://"+checked)...).Output()
			require.NoError(t, err)
			m := regexp.MustCompile(`data-check="([^"]*)"`).FindSubmatch(dom)
			require.NotNil(t, m, "%s at %d px: the page was measured", name, width)
			var c pageCheck
			require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &c))
			assert.Equal(t, len(r.Touchpoints), c.Nodes, "%s at %d px: every touchpoint is drawn", name, width)
			assert.LessOrEqual(t, c.MapRight, c.Window, "%s at %d px: the map's frame fits the window (a wider drawing scrolls inside it)", name, width)
			assert.Empty(t, c.Clipped, "%s at %d px: nothing is cut", name, width)
			if width == 1400 { // at 800 the Fix first box names them, and the map scrolls to them
				assert.Empty(t, c.Offscreen, "%s at %d px: the worst finding's touchpoints are on screen", name, width)
			}
			assert.Empty(t, c.BadLinks, "%s at %d px: links lead somewhere", name, width)
			if len(r.Findings) > 0 {
				assert.Greater(t, c.WorstBottom, 0.0, "%s at %d px: the finding to fix first is drawn", name, width)
				assert.LessOrEqual(t, c.WorstBottom, 1000.0, "%s at %d px: the finding to fix first, its recommendation and its worth are on the first screen", name, width)
			}
			assert.Empty(t, c.Small, "%s at %d px: no text under 11 px, the map's as drawn included", name, width)
		}
		shot := filepath.Join(dir, name+".png")
		out, err := exec.CommandContext(ctx, chromium, append(base, "--window-size=1400,900", "--screenshot="+shot, "file://"+page)...).CombinedOutput()
		require.NoError(t, err, string(out))
		f, err := os.Open(shot)
		require.NoError(t, err)
		img, err := png.Decode(f)
		f.Close()
		require.NoError(t, err)
		colours := map[[3]uint32]bool{}
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y += 7 {
			for x := b.Min.X; x < b.Max.X; x += 7 {
				r, g, bl, _ := img.At(x, y).RGBA()
				colours[[3]uint32{r >> 12, g >> 12, bl >> 12}] = true
			}
		}
		assert.Greater(t, len(colours), 12, "%s: the screenshot shows a map, not a blank page", name)

		pdf := filepath.Join(dir, name+".pdf")
		out, err = exec.CommandContext(ctx, chromium, append(base, "--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+page)...).CombinedOutput()
		require.NoError(t, err, string(out))
		data, err := os.ReadFile(pdf)
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(data, []byte("%PDF")), "%s: a PDF", name)
		if pdftotext, err := exec.LookPath("pdftotext"); err != nil {
			t.Logf("pdftotext not installed (apt-get install poppler-utils): what the first printed page holds is not checked")
		} else if len(r.Findings) > 0 {
			first, err := exec.CommandContext(ctx, pdftotext, "-f", "1", "-l", "1", pdf, "-").Output()
			require.NoError(t, err)
			page := string(first)
			assert.Contains(t, page, "Fix first", "%s: the first printed page has the finding to fix first", name)
			assert.Contains(t, page, "Findings (", "%s: and the findings", name)
			assert.Contains(t, page, string(r.Findings[0].Reason), "%s: the worst one named", name)
		}
		if box := regexp.MustCompile(`/MediaBox \[\s*0 0 ([0-9.]+) ([0-9.]+)`).FindSubmatch(data); box != nil {
			w, _ := strconv.ParseFloat(string(box[1]), 64)
			h, _ := strconv.ParseFloat(string(box[2]), 64)
			assert.Greater(t, w, h, "%s: printed on a landscape page", name)
		}
		if os.Getenv("JOURNEYMAP_SCREENSHOTS") != "" && !strings.HasPrefix(name, "discovered") { // to refresh docs/: JOURNEYMAP_SCREENSHOTS=../../docs go test ./friction/render -run TestHTMLInBrowser
			for _, width := range []int{1400, 800} {
				dst, _ := filepath.Abs(filepath.Join(os.Getenv("JOURNEYMAP_SCREENSHOTS"), fmt.Sprintf("%s-map-%d.png", name, width)))
				out, err := exec.CommandContext(ctx, chromium, append(base, fmt.Sprintf("--window-size=%d,1000", width), "--screenshot="+dst, "file://"+page)...).CombinedOutput()
				require.NoError(t, err, string(out))
			}
		}
	}
}

// Every rendering tells the same numbers: each stage's cases, dropped and
// bounced counts as the JSON has them stand in the text, Markdown and HTML
// rows of that stage, and the headline's counts in each.
func TestRenderingsAgree(t *testing.T) {
	for _, name := range []string{"retail", "tv-installation", "bank-onboarding"} {
		r := exampleReport(t, name)
		out := map[string]string{}
		for format, write := range map[string]func(io.Writer, *friction.Report) error{"text": render.Text, "markdown": render.Markdown, "html": render.HTML} {
			var b bytes.Buffer
			require.NoError(t, write(&b, r))
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

// The Mermaid block of each example's Markdown renders with mermaid-cli,
// the renderer code-hosting pages use, to a picture of a page's shape
// (not a strip ten times as wide as it is high). mmdc comes from npm
// (.ci/run installs it with the system's Chromium); without it, this skips.
func TestMermaidRenders(t *testing.T) {
	mmdc := os.Getenv("JOURNEYMAP_MMDC")
	if mmdc == "" {
		var err error
		if mmdc, err = exec.LookPath("mmdc"); err != nil {
			t.Skip("mermaid-cli (mmdc) not installed: set JOURNEYMAP_MMDC, or see .ci/run")
		}
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed, which mermaid-cli drives")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "puppeteer.json")
	require.NoError(t, os.WriteFile(conf, []byte(`{"executablePath": "`+chromium+`", "args": ["--no-sandbox", "--disable-gpu"]}`), 0o644))
	for _, name := range []string{"retail", "tv-installation", "bank-onboarding"} {
		var md bytes.Buffer
		require.NoError(t, render.Markdown(&md, exampleReport(t, name)))
		_, block, ok := strings.Cut(md.String(), "```mermaid\n")
		require.True(t, ok)
		block, _, _ = strings.Cut(block, "```")
		in, out := filepath.Join(dir, name+".mmd"), filepath.Join(dir, name+".png")
		require.NoError(t, os.WriteFile(in, []byte(block), 0o644))
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		msg, err := exec.CommandContext(ctx, mmdc, "-p", conf, "-i", in, "-o", out, "-w", "1000").CombinedOutput()
		cancel()
		require.NoError(t, err, "%s: %s", name, msg)
		f, err := os.Open(out)
		require.NoError(t, err)
		cfg, err := png.DecodeConfig(f)
		f.Close()
		require.NoError(t, err)
		ratio := float64(cfg.Width) / float64(cfg.Height)
		assert.True(t, ratio > 0.2 && ratio < 3, "%s: the map is %dx%d, readable at page width", name, cfg.Width, cfg.Height)
	}
}

// A finding about a stage is drawn on the stage (its border and a badge
// linked to the finding), the CX scores are on the nodes, and the evidence
// reads as sentences, not keys.
func TestHTMLDrawsStageFindingsScoresAndEvidence(t *testing.T) {
	r := exampleReport(t, "retail")
	var buf bytes.Buffer
	require.NoError(t, render.HTML(&buf, r))
	page := buf.String()
	for i, f := range r.Findings {
		if f.Evidence["scope"] != "stage" {
			continue
		}
		anchor := fmt.Sprintf("f%d", i+1)
		stage := regexp.MustCompile(`<g class="stage" data-f="[^"]*\b` + anchor + `\b[^"]*" data-level="[1-3]">.*?</g>`).FindString(page)
		require.NotEmpty(t, stage, "stage %s is drawn with its finding %s", f.Stage, anchor)
		assert.Contains(t, stage, `class="stage-finding"`)
		assert.Contains(t, stage, `href="#`+anchor+`"`)
		assert.Contains(t, stage, strings.ReplaceAll(string(f.Reason), "_", " "))
	}
	scored := 0
	for _, tp := range r.Touchpoints {
		if tp.Metrics.CSAT == nil {
			continue
		}
		scored++
		node := regexp.MustCompile(`(?s)<g class="node" data-id="` + tp.ID + `".*?</g>`).FindString(page)
		assert.Contains(t, node, "CSAT "+fmt.Sprintf("%.0f%%", 100*tp.Metrics.CSAT.Score), "CSAT on the node of %s", tp.ID)
	}
	require.Positive(t, scored, "the retail log has scores")
	items := regexp.MustCompile(`<ul class="evidence">(.*?)</ul>`).FindAllStringSubmatch(page, -1)
	require.Len(t, items, len(r.Findings))
	for _, it := range items {
		for _, li := range regexp.MustCompile(`<li>(.*?)</li>`).FindAllStringSubmatch(it[1], -1) {
			label, _, ok := strings.Cut(li[1], ": ")
			require.True(t, ok, "an evidence item is a label and its value: %q", li[1])
			assert.NotContains(t, label, "_", "evidence labels are words: %q", li[1])
			assert.True(t, strings.HasSuffix(li[1], "."), "a sentence: %q", li[1])
		}
	}
}

// discover's picture is the as-is map: titled so, no findings and no
// "not enough evidence" (it judges nothing), every observed edge says
// how often and how long; a dense map offers the coverage control, which
// starts at 80% and hides the rarer steps without a script.
func TestAsIsHTML(t *testing.T) {
	r := exampleReport(t, "tv-installation")
	require.NotEmpty(t, r.Findings)
	// Make it dense: a tail of rare undesigned steps between touchpoints.
	for i, a := range r.Touchpoints {
		for _, b := range r.Touchpoints[i+1:] {
			if len(r.Transitions) > 60 {
				break
			}
			r.Transitions = append(r.Transitions, friction.TransitionReport{From: a.ID, To: b.ID, Steps: 2, Cases: 2, WaitMedS: 60})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, render.HTML(&buf, render.AsIs(r)))
	page := buf.String()
	assert.Contains(t, page, "<h1>As-is journey: ")
	assert.NotContains(t, page, "Journey friction")
	assert.NotContains(t, page, `id="findings"`)
	assert.NotContains(t, page, "Fix first")
	assert.NotContains(t, page, "Not enough evidence")
	labels := regexp.MustCompile(`<text class="edge-label t(\d+)"[^>]*>([^<]*)</text>`).FindAllStringSubmatch(page, -1)
	observed := 0
	for _, tr := range r.Transitions {
		if tr.Steps > 0 {
			observed++
		}
	}
	assert.Len(t, labels, observed, "every observed step is labelled")
	for _, l := range labels {
		assert.Regexp(t, `^(↻ )?\d+ · [0-9.]+[smhd]$`, l[2])
	}
	assert.Contains(t, page, `id="cov80" checked`)
	for _, lv := range []int{50, 80, 90, 95} {
		assert.Contains(t, page, fmt.Sprintf("body:has(#cov%d:checked) .t100{display:none}", lv))
	}
	assert.Regexp(t, `class="edge t100"`, page, "the rare steps are in the last tier")
	assert.Len(t, r.Findings, len(exampleReport(t, "tv-installation").Findings), "AsIs does not change the report it is given")

	var md bytes.Buffer
	require.NoError(t, render.Markdown(&md, render.AsIs(r)))
	assert.Contains(t, md.String(), "# As-is journey: ")
	assert.NotContains(t, md.String(), "## Findings")
	assert.NotContains(t, md.String(), "## Fix first")

	// A report's own page keeps its findings, and a sparse map no control.
	buf.Reset()
	require.NoError(t, render.HTML(&buf, exampleReport(t, "tv-installation")))
	assert.Contains(t, buf.String(), `id="findings"`)
	assert.NotContains(t, buf.String(), `name="coverage"`)
}
