package arena

import "testing"

// Values come back in the order they went in, across block boundaries,
// and no block is ever grown past BlockLen (which would copy it).
func TestArenaKeepsOrder(t *testing.T) {
	var a Arena[int32]
	const n = 2*BlockLen + 17
	for i := range int32(n) {
		a.Add(i)
	}
	if a.Len() != n {
		t.Fatalf("Len %d, want %d", a.Len(), n)
	}
	want := int32(0)
	for _, b := range a.Blocks() {
		if cap(b) != BlockLen {
			t.Fatalf("a block of capacity %d, want %d", cap(b), BlockLen)
		}
		for _, v := range b {
			if v != want {
				t.Fatalf("value %d where %d was added", v, want)
			}
			want++
		}
	}
	if want != n || len(a.Blocks()) != 3 {
		t.Fatalf("%d values in %d blocks", want, len(a.Blocks()))
	}
	a.Reset()
	if a.Len() != 0 || len(a.Blocks()) != 0 {
		t.Fatal("Reset kept values")
	}
}
