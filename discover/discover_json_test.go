package discover

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encodingJSON is what WriteJSON must equal: encoding/json's indented output.
func encodingJSON(t testing.TB, d *Discovery) []byte {
	t.Helper()
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(d))
	return want.Bytes()
}

func checkJSON(t testing.TB, d *Discovery) {
	t.Helper()
	var got bytes.Buffer
	require.NoError(t, d.WriteJSON(&got))
	if want := encodingJSON(t, d); !bytes.Equal(want, got.Bytes()) {
		t.Fatalf("WriteJSON differs from encoding/json:\ngot:\n%s\nwant:\n%s", got.Bytes(), want)
	}
}

// WriteJSON writes what encoding/json writes, byte for byte: for empty
// and nil parts, strings that need escaping, and floats of every size.
func TestDiscoveryJSONMatchesEncodingJSON(t *testing.T) {
	checkJSON(t, &Discovery{})
	checkJSON(t, &Discovery{Start: map[string]int64{}, End: map[string]int64{}, Rework: map[string]int64{}, DFG: []DFGEdge{}, Variants: []Variant{}})
	checkJSON(t, &Discovery{Variants: []Variant{{Cases: 1}, {Path: []string{}, Cases: 2}}})

	rng := rand.New(rand.NewPCG(1, 2))
	odd := []string{"", "plain", `quote " and \ back`, "<script>&amp;</script>", "tab\tnew\nline\r\x00\x1f\x7f", "\u2028\u2029", "bad \xff utf-8", "é ü 日本", "\b\f"}
	word := func() string {
		if rng.IntN(3) == 0 {
			return odd[rng.IntN(len(odd))]
		}
		return strings.Repeat("ab", rng.IntN(4)) + string(rune('a'+rng.IntN(26)))
	}
	float := func() float64 {
		switch rng.IntN(6) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		case 2:
			return float64(rng.IntN(1e6))
		default:
			return (rng.Float64() - 0.3) * math.Pow(10, float64(rng.IntN(60)-30))
		}
	}
	counts := func() map[string]int64 {
		if rng.IntN(5) == 0 {
			return nil
		}
		m := map[string]int64{}
		for range rng.IntN(6) {
			m[word()] = rng.Int64N(1e12) - 5
		}
		return m
	}
	for range 300 {
		d := &Discovery{Cases: rng.Int64(), Events: -rng.Int64N(9), Touchpoints: rng.IntN(100), Start: counts(), End: counts(), Rework: counts()}
		for range rng.IntN(5) {
			d.DFG = append(d.DFG, DFGEdge{From: word(), To: word(), Count: rng.Int64N(1e9), MeanS: float(), MedianS: float()})
		}
		for range rng.IntN(5) {
			v := Variant{Cases: rng.Int64N(1e6)}
			for range rng.IntN(4) {
				v.Path = append(v.Path, word())
			}
			d.Variants = append(d.Variants, v)
		}
		d.CaseDuration = Summary{Mean: float(), Median: float(), Min: float(), Max: float()}
		checkJSON(t, d)
	}
}

// A value JSON cannot hold is an error, as encoding/json's is.
func TestDiscoveryJSONRefusesNaN(t *testing.T) {
	d := &Discovery{CaseDuration: Summary{Mean: math.NaN()}}
	err := d.WriteJSON(&bytes.Buffer{})
	var uv *json.UnsupportedValueError
	assert.True(t, errors.As(err, &uv), "%v", err)
}

// FuzzDiscoveryJSON: for any strings and times, WriteJSON writes what
// encoding/json writes.
func FuzzDiscoveryJSON(f *testing.F) {
	f.Add("home", "<b>&", 1.5, 1e21, int64(3))
	f.Add("", "\xff\u2028", 1e-7, -0.0, int64(-1))
	f.Fuzz(func(t *testing.T, a, b string, x, y float64, n int64) {
		if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
			t.Skip("JSON has no NaN or infinity")
		}
		checkJSON(t, &Discovery{
			Cases: n, DFG: []DFGEdge{{From: a, To: b, Count: n, MeanS: x, MedianS: y}},
			Start: map[string]int64{a: n}, End: map[string]int64{b: n, a: 1}, Rework: map[string]int64{},
			Variants:     []Variant{{Path: []string{a, b, a}, Cases: n}},
			CaseDuration: Summary{Mean: x, Median: y, Min: -x, Max: y * 3},
		})
	})
}

// A log with more names than a journey may hold gives a draft of the most
// frequent ones that still loads, and says what it left out.
func TestDraftWithinTheLimits(t *testing.T) {
	var evs []replay.Event
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := range 6000 {
		id := fmt.Sprint("c", c)
		evs = append(evs,
			replay.Event{Case: id, Touchpoint: "start", Time: t0},
			replay.Event{Case: id, Touchpoint: fmt.Sprint("step ", c%5000), Time: t0.Add(time.Minute)},
			replay.Event{Case: id, Touchpoint: "end", Time: t0.Add(2 * time.Minute)})
	}
	d, err := Run(context.Background(), replay.SliceEvents(evs), Options{})
	require.NoError(t, err)
	var b strings.Builder
	sum, err := d.WriteDraft(&b, DraftOptions{ID: "wide"})
	require.NoError(t, err)
	assert.Equal(t, 5002, sum.Names)
	assert.Equal(t, journey.MaxTouchpoints, sum.NamesKept)
	assert.Contains(t, b.String(), fmt.Sprintf("# Kept %d of 5002 event names", journey.MaxTouchpoints))
	assert.Less(t, b.Len(), journey.MaxFileSize)
	j, err := journey.Parse(strings.NewReader(b.String()), "wide.yaml")
	require.NoError(t, err, "the draft loads")
	assert.Equal(t, journey.MaxTouchpoints, j.Len())
}

// The draft keeps the steps its options allow: every step by default; the
// steps of the most common variants with TopVariants; the frequent ones
// with MinCases (which drops rare names too); and a step must pass every
// filter given. Every name kept stays reachable. Each draft loads.
func TestDraftFilters(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []replay.Event
	add := func(n int, path ...string) {
		for c := range n {
			id := fmt.Sprint(path[0], len(evs), "-", c)
			for i, tp := range path {
				evs = append(evs, replay.Event{Case: id, Touchpoint: tp, Time: t0.Add(time.Duration(i) * time.Minute)})
			}
		}
	}
	add(60, "browse", "cart", "pay")         // the main flow
	add(30, "browse", "cart", "help", "pay") // second variant
	add(8, "browse", "help", "cart", "pay")  // third
	add(2, "search", "cart", "pay")          // rare start
	d, err := Run(context.Background(), replay.SliceEvents(evs), Options{})
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		opts    DraftOptions
		steps   []string
		entries []string
	}{
		{"every step", DraftOptions{}, []string{"browse>cart", "browse>help", "cart>help", "cart>pay", "help>cart", "help>pay", "search>cart"}, []string{"browse", "search"}},
		// every name stays reachable: help by its most common step in,
		// search (no step in) as an entry
		{"top variant", DraftOptions{TopVariants: 1}, []string{"browse>cart", "cart>help", "cart>pay"}, []string{"browse", "search"}},
		{"top two variants", DraftOptions{TopVariants: 2}, []string{"browse>cart", "cart>help", "cart>pay", "help>pay"}, []string{"browse", "search"}},
		{"min cases", DraftOptions{MinCases: 20}, []string{"browse>cart", "cart>help", "cart>pay", "help>pay"}, []string{"browse"}},
		{"top three and min cases", DraftOptions{TopVariants: 3, MinCases: 19}, []string{"browse>cart", "cart>help", "cart>pay", "help>pay"}, []string{"browse"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.ID = "shop"
			var b strings.Builder
			sum, err := d.WriteDraft(&b, tc.opts)
			require.NoError(t, err)
			j, err := journey.Parse(strings.NewReader(b.String()), "shop.yaml")
			require.NoError(t, err, "the draft loads:\n%s", b.String())
			var steps []string
			for _, tr := range j.Transitions() {
				steps = append(steps, tr.From+">"+tr.To)
			}
			slices.Sort(steps)
			entries := j.Entries()
			slices.Sort(entries)
			assert.Equal(t, tc.steps, steps)
			assert.Equal(t, tc.entries, entries)
			assert.Equal(t, sum.Steps > sum.StepsKept, len(tc.steps) < 7, "the summary says whether steps were left out")
		})
	}
}

// Whatever the log's names, the draft is a journey file that loads, each
// name meets exactly one touchpoint, and no name writes a line of its own:
// names that read alike are one touchpoint, ids stay clear of every
// name, and comments quote what would break them.
func TestDraftOfHostileNames(t *testing.T) {
	for _, names := range [][]string{
		{"Submit", "submit", "SUBMIT", "Review"},
		{"a b", "a_b", "a-b", "A  B", "c"},
		{"submit", "submit_2", "Submit 2", "Submit"},
		{"touchpoint", "", " ", "x"},
		{"Submit\nsettings: {case_timeout: 1s}", "Review\r\n- id: injected", "done"},
		{"ünïcödé", "ÜNÏCÖDÉ", "日本語", "emoji 🙂", "tab\there"},
		{"stage_1", "Stage 1", "id", "name", "goal: true"},
	} {
		t.Run(names[0], func(t *testing.T) {
			var evs []replay.Event
			for c := range 3 {
				for k, n := range names {
					evs = append(evs, replay.Event{Case: fmt.Sprint("c", c), Touchpoint: n, Time: time.Unix(int64(60*k+c), 0)})
				}
			}
			d, err := Run(t.Context(), replay.SliceEvents(evs), Options{})
			require.NoError(t, err)
			var b bytes.Buffer
			_, err = d.WriteDraft(&b, DraftOptions{ID: "hostile"})
			require.NoError(t, err)
			j, err := journey.Parse(bytes.NewReader(b.Bytes()), "draft.yaml")
			require.NoError(t, err, "the draft loads:\n%s", b.String())
			for _, n := range names {
				if strings.TrimSpace(n) == "" {
					continue
				}
				assert.GreaterOrEqual(t, j.LookupIndex(n), 0, "%q meets a touchpoint", n)
			}
			head, _, _ := strings.Cut(b.String(), "\nid: ")
			for _, line := range strings.Split(head, "\n") {
				assert.True(t, strings.HasPrefix(line, "#"), "a comment line: %q", line)
			}
		})
	}
}
