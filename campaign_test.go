package journeymap_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/friction/render"
)

// A campaign of hostile logs, generated, not collected: each mutation is
// a class of defect a past campaign found (a row cut short, a byte-order
// mark before a row, invalid UTF-8 or control bytes in a case id, a quoted
// cell with line breaks, a duplicated header, CRLF and lone CR, NUL bytes,
// columns missing or extra, timestamps out of range or in a daylight-
// saving gap, scores off their scale, a case id of 100 KB), applied at
// random places and in random combinations from fixed seeds, in CSV, JSON
// Lines and XES. Whatever comes, journeymap either reports or refuses:
//
//   - never a panic, and an error names the file;
//   - a report accounts for every row: read = replayed + unmatched +
//     malformed (+ outside the period);
//   - under pseudonymization no case id reaches the report in any
//     rendering, or the message.
//
// A new variant of a class is caught here before a person finds it.
func TestHostileCampaign(t *testing.T) {
	runs := 120
	if testing.Short() {
		runs = 30
	}
	pseudo, err := friction.Pseudonymizer([]byte("a campaign key of sixteen+ bytes"))
	require.NoError(t, err)
	dir := t.TempDir()
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 36))
		format := []string{"csv", "jsonl", "xes"}[seed%3]
		data := hostileLog(rng, format)
		path := filepath.Join(dir, fmt.Sprintf("campaign-%03d.%s", seed, format))
		require.NoError(t, os.WriteFile(path, data, 0o644))
		opts := journeymap.Options{}
		opts.Friction.Pseudonymize = pseudo
		opts.Friction.ExampleCases = 3
		opts.Friction.ExampleK = 1
		rep, err := func() (rep *friction.Report, err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return journeymap.Analyze(t.Context(), "examples/retail/journey.yaml", path, opts)
		}()
		if err != nil {
			msg := err.Error()
			require.NotContains(t, msg, "panic", "seed %d", seed)
			require.Contains(t, msg, filepath.Base(path), "seed %d: the error names the file: %s", seed, msg)
			requireNoID(t, seed, "the message", msg)
			continue
		}
		e := rep.Events
		require.Equal(t, e.Read, e.Replayed+e.Unmatched+e.Malformed+e.Outside, "seed %d: every row accounted for", seed)
		var all bytes.Buffer
		for _, write := range []func(*bytes.Buffer) error{
			func(b *bytes.Buffer) error { return rep.WriteJSON(b) },
			func(b *bytes.Buffer) error { return render.Text(b, rep) },
			func(b *bytes.Buffer) error { return render.Markdown(b, rep) },
			func(b *bytes.Buffer) error { return render.HTML(b, rep) },
		} {
			require.NoError(t, write(&all), "seed %d", seed)
		}
		requireNoID(t, seed, "the report", all.String())
	}
}

// Every case id of a campaign log starts so, whatever is mangled after it.
const secretID = "SECRET-ID-"

var idPattern = regexp.MustCompile(`SECRET-ID|SECRET\\u002dID|U0VDUkVU`) // as written, JSON-escaped, or base64

func requireNoID(t *testing.T, seed int, where, s string) {
	t.Helper()
	if loc := idPattern.FindStringIndex(s); loc != nil {
		t.Fatalf("seed %d: a case id in %s: …%s…", seed, where, s[max(0, loc[0]-80):min(len(s), loc[1]+80)])
	}
}

// hostileLog is a log of the retail journey's touchpoints, a few hundred
// rows, with a handful of mutations of the campaign's classes.
func hostileLog(rng *rand.Rand, format string) []byte {
	tps := []string{"home", "product", "cart", "login", "checkout", "payment", "order_confirmed", "Product Page", "unknown_thing"}
	type row struct{ id, tp, ts, ch, csat string }
	var rows []row
	for c := range 40 + rng.IntN(40) {
		id := fmt.Sprintf("%s%05d", secretID, c)
		switch rng.IntN(12) {
		case 0:
			id += "\xff\xfe" // invalid UTF-8
		case 1:
			id += "\x1b[2J\x00" // control bytes
		case 2:
			id += strings.Repeat("x", 100_000) // a huge id
		case 3:
			id = "\ufeff" + id // a byte-order mark before it
		}
		for k := range 3 + rng.IntN(6) {
			ts := fmt.Sprintf("2024-03-%02dT%02d:%02d:00Z", 1+c%28, 8+k, rng.IntN(60))
			switch rng.IntN(40) {
			case 0:
				ts = "2024-03-31T02:30:00" // no zone: read in UTC here
			case 1:
				ts = "99999-01-01T00:00:00Z"
			case 2:
				ts = "not a time"
			case 3:
				ts = ""
			}
			csat := ""
			if rng.IntN(5) == 0 {
				csat = fmt.Sprint(rng.IntN(9) - 2) // off the 1-5 scale at times
			}
			rows = append(rows, row{id, tps[rng.IntN(len(tps))], ts, []string{"web", "", "phone", "Web\n"}[rng.IntN(4)], csat})
		}
	}
	var b bytes.Buffer
	switch format {
	case "csv":
		q := func(s string) string {
			if strings.ContainsAny(s, ",\"\n\r") {
				return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
			}
			return s
		}
		b.WriteString("case_id,touchpoint,timestamp,channel,csat\n")
		for _, r := range rows {
			fmt.Fprintf(&b, "%s,%s,%s,%s,%s\n", q(r.id), q(r.tp), q(r.ts), q(r.ch), q(r.csat))
		}
	case "jsonl":
		for _, r := range rows {
			m := map[string]any{"case_id": r.id, "touchpoint": r.tp, "timestamp": r.ts, "channel": r.ch}
			if r.csat != "" {
				m["csat"] = r.csat
			}
			line, _ := json.Marshal(m)
			b.Write(line)
			b.WriteByte('\n')
		}
	case "xes":
		esc := html.EscapeString
		b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log>\n")
		last := ""
		for i, r := range rows {
			if r.id != last {
				if i > 0 {
					b.WriteString("</trace>\n")
				}
				fmt.Fprintf(&b, "<trace><string key=\"concept:name\" value=\"%s\"/>\n", esc(r.id))
				last = r.id
			}
			fmt.Fprintf(&b, "<event><string key=\"concept:name\" value=\"%s\"/><date key=\"time:timestamp\" value=\"%s\"/></event>\n", esc(r.tp), esc(r.ts))
		}
		b.WriteString("</trace>\n</log>\n")
	}
	out := b.Bytes()
	// Byte-level mutations, at random places.
	for range rng.IntN(4) {
		if len(out) < 10 {
			break
		}
		at := rng.IntN(len(out))
		switch rng.IntN(7) {
		case 0: // a row cut short: the file ends mid-row
			out = out[:at]
		case 1: // a byte-order mark at a row's start
			if i := bytes.IndexByte(out[at:], '\n'); i >= 0 {
				out = append(out[:at+i+1:at+i+1], append([]byte("\xef\xbb\xbf"), out[at+i+1:]...)...)
			}
		case 2: // CRLF and lone CR
			out = bytes.ReplaceAll(out, []byte("\n"), []byte([]string{"\r\n", "\r"}[rng.IntN(2)]))
		case 3: // a NUL
			out = append(out[:at:at], append([]byte{0}, out[at:]...)...)
		case 4: // the header again
			if i := bytes.IndexByte(out, '\n'); i > 0 && at > i {
				out = append(out[:at:at], append(append([]byte{'\n'}, out[:i]...), out[at:]...)...)
			}
		case 5: // a quote opened and never closed
			out = append(out[:at:at], append([]byte{'"'}, out[at:]...)...)
		case 6: // a column dropped from a row
			if i := bytes.IndexByte(out[at:], ','); i >= 0 {
				out = append(out[:at+i:at+i], out[at+i+1:]...)
			}
		}
	}
	return out
}
