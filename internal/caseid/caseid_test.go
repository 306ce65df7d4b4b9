package caseid

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A Table numbers ids as a map would, through its growth, for ids of
// every length (past the 9 a slot can tell apart too) and ids that
// differ in one byte; and still does when every id has the same hash, so
// that only the ids themselves tell them apart, and when the table grows
// past what its tags can place (so that ids are hashed again).
func TestTable(t *testing.T) {
	defer func(bits int) { tagBits = bits }(tagBits)
	for name, hash := range map[string]func(tbl *Table, id string) uint64{
		"hashed":    (*Table).Hash,
		"colliding": func(*Table, string) uint64 { return 0xdeadbeef },
		"rehashed":  (*Table).Hash,
	} {
		tagBits = 28
		if name == "rehashed" {
			tagBits = 13
		}
		tbl := New(42)
		want := map[string]int32{}
		rng := rand.New(rand.NewPCG(3, 3))
		n := 50000
		if name == "colliding" {
			n = 3000 // every search walks every slot taken
		}
		for i := range n {
			b := make([]byte, rng.IntN(20))
			for k := range b {
				b[k] = byte('a' + rng.IntN(3))
			}
			id := string(b)
			switch i % 7 {
			case 0:
				id = fmt.Sprintf("C%07d", rng.IntN(20000))
			case 1: // longer than a slot says: the same first 8 bytes and length
				id = strings.Repeat("x", 250+rng.IntN(10)) + string(b)
			}
			k, ok := want[id]
			if !ok {
				k = int32(len(want))
				want[id] = k
			}
			require.Equal(t, k, tbl.Number(id, hash(tbl, id)), "%s: %q", name, id)
		}
		for id, k := range want {
			require.Equal(t, id, tbl.ID(k), "%s: the id of case %d", name, k)
		}
		require.Greater(t, len(want), n/5, name)
		require.Equal(t, len(want), tbl.Len(), name)
	}
}

// The seed changes the hash, so that no fixed set of ids collides for
// every run.
func TestSeedChangesHash(t *testing.T) {
	require.NotEqual(t, New(1).Hash("case-0001"), New(2).Hash("case-0001"))
	require.Equal(t, New(1).Hash("case-0001"), New(1).Hash("case-0001"))
}

func FuzzTable(f *testing.F) {
	f.Add("a", "b", "a")
	f.Add("longer than eight", "longer than eighT", "")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		tbl := New(7)
		want := map[string]int32{}
		for _, id := range []string{a, b, c, a, c, b} {
			k, ok := want[id]
			if !ok {
				k = int32(len(want))
				want[id] = k
			}
			if got := tbl.Number(id, tbl.Hash(id)); got != k {
				t.Fatalf("%q: got %d, want %d", id, got, k)
			}
			if got := tbl.ID(k); got != id {
				t.Fatalf("ID(%d) = %q, want %q", k, got, id)
			}
		}
	})
}
