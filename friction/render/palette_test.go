package render

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The map's severity colours stay apart for the common colour
// blindnesses, simulated (Machado, Oliveira and Fernandes 2009, full
// severity), and every level has a second cue besides colour; the dashed
// undesigned edges keep their contrast against the page. A red-green
// palette, the usual mistake, fails the same checks.
func TestPaletteSurvivesColourBlindness(t *testing.T) {
	strokes := []string{levelFill[0][1], levelFill[1][1], levelFill[2][1], levelFill[3][1]}
	fills := []string{levelFill[0][0], levelFill[1][0], levelFill[2][0], levelFill[3][0]}
	for _, v := range visions {
		t.Run(v.name, func(t *testing.T) {
			d, _, _ := closest(strokes, v.m)
			t.Logf("closest borders %.1f apart", d)
			if d, a, b := closest(strokes, v.m); d < minStrokeDeltaE {
				t.Errorf("levels %d and %d have borders %.1f apart (ΔE); want at least %d", a, b, d, minStrokeDeltaE)
			}
			if d, a, b := closest(fills, v.m); d < minFillDeltaE {
				t.Errorf("levels %d and %d have fills %.1f apart (ΔE); want at least %d", a, b, d, minFillDeltaE)
			}
			if d := deltaE(simulate(edgeUndesigned, v.m), simulate(edgeDesigned, v.m)); d < minStrokeDeltaE {
				t.Errorf("undesigned and designed edges are %.1f apart (ΔE); want at least %d", d, minStrokeDeltaE)
			}
			if c := contrast(simulate(edgeUndesigned, v.m), simulate("#ffffff", v.m)); c < 3 {
				t.Errorf("an undesigned edge has contrast %.2f:1 against the page; want 3:1 (WCAG, graphics)", c)
			}
		})
	}
	redGreen := []string{"#2e7d32", "#f9a825", "#c62828"} // none, medium, high
	deut := visions[1]
	d, _, _ := closest(redGreen, deut.m)
	assert.Less(t, d, float64(minStrokeDeltaE), "the check tells a red-green palette apart from a safe one")

	// A second cue: each level's words differ, and so does its border.
	seen := map[string]bool{}
	for l := range levelFill {
		cue := fmt.Sprint(levelCue[l], "|", levelFill[l][2], "|", l == 3)
		assert.False(t, seen[cue], "level %d has the cues of another", l)
		seen[cue] = true
	}
}

const minStrokeDeltaE, minFillDeltaE = 20, 4

var visions = []struct {
	name string
	m    [3][3]float64
}{
	{"normal", [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}},
	{"deuteranopia", [3][3]float64{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}},
	{"protanopia", [3][3]float64{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}},
	{"tritanopia", [3][3]float64{{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}},
}

// simulate returns colour hex as seen through m, in linear RGB.
func simulate(hex string, m [3][3]float64) [3]float64 {
	var c [3]float64
	for i := range 3 {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		s := float64(v) / 255
		if s <= 0.04045 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	var out [3]float64
	for i := range 3 {
		out[i] = min(1, max(0, m[i][0]*c[0]+m[i][1]*c[1]+m[i][2]*c[2]))
	}
	return out
}

// closest returns the smallest ΔE between two of the colours, and which.
func closest(colours []string, m [3][3]float64) (float64, int, int) {
	best, a, b := math.Inf(1), 0, 0
	for i := range colours {
		for j := i + 1; j < len(colours); j++ {
			if d := deltaE(simulate(colours[i], m), simulate(colours[j], m)); d < best {
				best, a, b = d, i, j
			}
		}
	}
	return best, a, b
}

// deltaE is the CIE76 distance of two linear-RGB colours in CIELAB (D65).
func deltaE(x, y [3]float64) float64 {
	a, b := lab(x), lab(y)
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}

func lab(c [3]float64) [3]float64 {
	xyz := [3]float64{
		(0.4124*c[0] + 0.3576*c[1] + 0.1805*c[2]) / 0.95047,
		0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2],
		(0.0193*c[0] + 0.1192*c[1] + 0.9505*c[2]) / 1.08883,
	}
	f := func(v float64) float64 {
		if v > 216.0/24389 {
			return math.Cbrt(v)
		}
		return (24389.0/27*v + 16) / 116
	}
	fx, fy, fz := f(xyz[0]), f(xyz[1]), f(xyz[2])
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

// contrast is the WCAG contrast ratio of two linear-RGB colours.
func contrast(x, y [3]float64) float64 {
	l := func(c [3]float64) float64 { return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2] }
	a, b := l(x), l(y)
	return (max(a, b) + 0.05) / (min(a, b) + 0.05)
}
