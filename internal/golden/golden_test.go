package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Fatal(...any)          { r.failed = true }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "out.txt")
	r := &recorder{TB: t}
	Check(r, path, []byte("x\n"))
	if !r.failed {
		t.Fatal("a missing golden file passed")
	}
	*update = true
	Check(t, path, []byte("x\ny\n"))
	*update = false
	if b, _ := os.ReadFile(path); string(b) != "x\ny\n" {
		t.Fatalf("-update wrote %q", b)
	}
	for _, tc := range []struct {
		got  string
		fail bool
	}{{"x\ny\n", false}, {"x\nz\n", true}, {"x\n", true}, {"x\ny\n\n", true}} {
		r := &recorder{TB: t}
		Check(r, path, []byte(tc.got))
		if r.failed != tc.fail {
			t.Errorf("Check(%q) failed=%v, want %v", tc.got, r.failed, tc.fail)
		}
	}
}
