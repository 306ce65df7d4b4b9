package discovery

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// A pathTrie gives each path one node, numbered in order of first
// appearance, as a map from (node, name) would: whether a node's
// children are found by the last step taken, by a scan of its list, or in
// the map it keeps once it has many (here, past 0, 2 and 8); and path
// gives back the names.
func TestPathTrieNumbersEachPathOnce(t *testing.T) {
	for _, kids := range []int32{0, 2, 8} {
		restore := SetNarrowKids(kids)
		var p pathTrie
		want := map[[2]int32]int32{}
		paths := map[int32][]int32{0: nil}
		rng := rand.New(rand.NewPCG(1, uint64(kids)))
		var at int32
		for range 20000 {
			if rng.IntN(6) == 0 {
				at = 0 // a new case
			}
			name := int32(rng.IntN(12))
			if rng.IntN(3) == 0 {
				name = int32(rng.IntN(2)) // a few names often: the same step again
			}
			k, ok := want[[2]int32{at, name}]
			if !ok {
				k = int32(len(want) + 1)
				want[[2]int32{at, name}] = k
				paths[k] = append(append([]int32(nil), paths[at]...), name)
			}
			got := p.step(at, name)
			require.Equal(t, k, got, "children up to %d in a list: step from %d by %d", kids, at, name)
			require.Equal(t, paths[k], p.path(got, nil), "the path of node %d", got)
			at = got
		}
		restore()
		require.Len(t, p.name, len(want)+1, "one node a path, and the root")
	}
}
