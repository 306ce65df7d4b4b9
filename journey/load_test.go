package journey_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/internal/golden"
	"github.com/journeymap/journeymap/journey"
)

// golden compares got with testdata/NAME, or rewrites it under -update.
func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
}

// Every broken journey fails with every one of its problems, each with a
// position, and the whole list matches the golden file.
func TestLoadBroken(t *testing.T) {
	files, err := filepath.Glob("testdata/broken/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			j, err := journey.Load(f)
			require.Error(t, err)
			assert.Nil(t, j)
			var list journey.ErrorList
			require.True(t, errors.As(err, &list), "error is not an ErrorList: %v", err)
			for _, d := range list {
				assert.Equal(t, f, d.Pos.File)
				assert.False(t, d.Warning)
			}
			goldenFile(t, strings.TrimPrefix(strings.TrimSuffix(f, ".yaml"), "testdata/")+".golden", err.Error()+"\n")
		})
	}
}

// The typo file holds one of each mistake the contract names; check the
// ones a user relies on by their exact wording, not only through the golden.
func TestLoadReportsEveryProblemWithHints(t *testing.T) {
	_, err := journey.Load("testdata/broken/typos.yaml")
	var list journey.ErrorList
	require.ErrorAs(t, err, &list)
	msgs := err.Error()
	for _, want := range []string{
		`typos.yaml:7:5: unknown key "stge" in touchpoint (did you mean "stage"?)`,
		`typos.yaml:11:12: touchpoint "checkout" is in unknown stage "purchse" (did you mean "purchase"?)`,
		`typos.yaml:17:5: touchpoint "pay" is declared twice`,
		`match name "browse_done" of touchpoint "confirm" is already claimed by touchpoint "pay"`,
		`bad duration "10 minutes"`,
		`bad rate "1.5"`,
		`unknown key "max_wait" in touchpoint expect`,
		`typos.yaml:25:10: transition to unknown touchpoint "chekout" (did you mean "checkout"?)`,
		`typos.yaml:26:11: transition from unknown touchpoint "paymnet"`,
		`consistency names unknown stage "purchases" (did you mean "purchase"?)`,
		`bad duration "3x"`,
		`key "case_timeout" appears twice in settings`,
	} {
		assert.Contains(t, msgs, want)
	}
	// Lines are in file order.
	for i := 1; i < len(list); i++ {
		assert.LessOrEqual(t, list[i-1].Pos.Line, list[i].Pos.Line)
	}
}

func TestLoadGood(t *testing.T) {
	files, _ := filepath.Glob("../examples/*/journey.yaml")
	files = append(files, "testdata/good/small.yaml")
	require.GreaterOrEqual(t, len(files), 4)
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			j, err := journey.Load(f)
			require.NoError(t, err)
			assert.Empty(t, j.Warnings())
			assert.NotEmpty(t, j.Entries())
			assert.NotEmpty(t, j.Goals())
			for i, tp := range j.Touchpoints() {
				assert.Equal(t, i, j.Index(tp.ID))
				for _, name := range tp.Names() {
					got, ok := j.Lookup(name)
					assert.True(t, ok)
					assert.Equal(t, tp.ID, got.ID)
				}
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := journey.Load("testdata/no-such-file.yaml")
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), "testdata/no-such-file.yaml")
}

func TestUnreachableTouchpointIsAWarning(t *testing.T) {
	j, err := journey.Parse(strings.NewReader(`
id: warn
stages: [s]
touchpoints:
  - {id: a, stage: s, entry: true}
  - {id: b, stage: s, goal: true}
  - {id: orphan, stage: s}
transitions:
  - {from: a, to: b}
  - {from: orphan, to: b}
  - {from: a, to: b}
`), "warn.yaml")
	require.NoError(t, err)
	var msgs []string
	for _, w := range j.Warnings() {
		assert.True(t, w.Warning)
		msgs = append(msgs, w.Error())
	}
	assert.Equal(t, []string{
		`warn.yaml:7:5: warning: touchpoint "orphan" cannot be reached from any entry (add a transition into it, or remove it)`,
		`warn.yaml:11:19: warning: transition a -> b is declared twice`,
	}, msgs)
	assert.False(t, j.Reachable("orphan"))
	assert.True(t, j.Reachable("b"))
}

func TestSettingsAndExpectations(t *testing.T) {
	j, err := journey.Load("testdata/good/small.yaml")
	require.NoError(t, err)
	s := j.Settings()
	assert.Equal(t, 48*time.Hour, s.CaseTimeout)
	assert.Equal(t, 5, s.MinCases)
	assert.True(t, s.HasMaxDropoff)
	assert.InDelta(t, 0.25, s.MaxDropoff, 1e-12)

	buy, ok := j.Stage("buy")
	require.True(t, ok)
	assert.Equal(t, 48*time.Hour, buy.Expect.MaxDuration)
	assert.InDelta(t, 0.2, buy.Expect.MaxDropoff, 1e-12)

	paid, _ := j.Touchpoint("paid")
	assert.Equal(t, 90*time.Minute, paid.Expect.MaxDwell)
	assert.False(t, paid.Expect.HasMaxDropoff)

	tr, ok := j.Transition("cart", "help")
	require.True(t, ok)
	assert.Equal(t, 36*time.Hour, tr.Expect.MaxWait)

	home, _ := j.Touchpoint("home")
	assert.Equal(t, "web", home.Channel, "channels are lower-cased")

	// Consistency pairs come back as [earlier, later] whatever the file's order.
	assert.Equal(t, [][2]string{{"discover", "buy"}}, j.Consistency())

	// Defaults where the file sets nothing.
	d, err := journey.Parse(strings.NewReader("id: d\nstages: [s]\ntouchpoints: [{id: a, stage: s, entry: true, goal: true}]\n"), "d.yaml")
	require.NoError(t, err)
	assert.Equal(t, journey.DefaultCaseTimeout, d.Settings().CaseTimeout)
	assert.Equal(t, journey.DefaultMinCases, d.Settings().MinCases)
	assert.False(t, d.Settings().HasMaxDropoff)
}

// A wide alias bomb that has the shape of a journey: one touchpoint with
// many match names, used 20,000 times. Only the node budget stops it; the
// message names the budget.
func TestAliasBombWithAJourneysShape(t *testing.T) {
	var b strings.Builder
	b.WriteString("id: wide\nstages: [s]\ntouchpoints:\n  - &t {id: a, stage: s, entry: true, goal: true, match: [")
	for i := range 50 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "m%d", i)
	}
	b.WriteString("]}\n")
	for range 20000 {
		b.WriteString("  - *t\n")
	}
	_, err := journey.Parse(strings.NewReader(b.String()), "wide.yaml")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "file expands to more than 200000 YAML nodes")
	assert.Less(t, len(err.Error()), 20_000, "one message for the bomb, not one per use")
}
