package journey_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/journeymap/journeymap/journey"
)

// FuzzParse feeds arbitrary bytes to the loader. It must never panic; it
// fails with an ErrorList whose every entry has a position, or it returns a
// journey whose queries agree with each other.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.yaml")
	more, _ := filepath.Glob("../examples/*/journey.yaml")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := journey.Parse(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			var list journey.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %v", err)
			}
			for _, d := range list {
				if d.Pos.File != "fuzz.yaml" || d.Message == "" {
					t.Fatalf("diagnostic without position or message: %#v", d)
				}
			}
			return
		}
		if len(j.Entries()) == 0 || len(j.Goals()) == 0 {
			t.Fatal("valid journey without entry or goal")
		}
		for i, tp := range j.Touchpoints() {
			if j.Index(tp.ID) != i || j.LookupIndex(tp.ID) != i {
				t.Fatalf("index of %q is inconsistent", tp.ID)
			}
			for _, s := range j.Successors(tp.ID) {
				if !j.IsDesigned(tp.ID, s) {
					t.Fatalf("successor %q of %q is not designed", s, tp.ID)
				}
				if p, ok := j.ShortestPath(tp.ID, s); !ok || (s != tp.ID && len(p) != 2) {
					t.Fatalf("shortest path %s -> %s = %v", tp.ID, s, p)
				}
			}
		}
		var buf bytes.Buffer
		if err := j.WriteDOT(&buf); err != nil {
			t.Fatal(err)
		}
		if err := j.WriteMermaid(&buf); err != nil {
			t.Fatal(err)
		}
	})
}
