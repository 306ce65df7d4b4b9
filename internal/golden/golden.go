// Package golden compares a test's output with a file under testdata/,
// and rewrites the file when the test binary runs with -update.
//
// A test binary that imports it has the -update flag; run
//
//	go test ./PACKAGE -run TEST -update
//
// and review the diff before committing it.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// Updating reports whether the test binary runs with -update.
func Updating() bool { return *update }

// Check compares got with the file at path (its folders are made with
// -update). A difference fails the test with the first line that differs,
// not two whole files.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run go test with -update to write it", err)
	}
	if string(want) == string(got) {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Errorf("%s differs from line %d:\n want: %q\n  got: %q\nif intended, run go test with -update and review the diff", path, i+1, w, g)
			return
		}
	}
	t.Errorf("%s differs at its end: want %d lines, got %d (a line break more or less)\nif intended, run go test with -update and review the diff", path, len(wl), len(gl))
}
