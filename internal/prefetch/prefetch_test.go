package prefetch

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// A prefetch changes nothing a program can see, so what is tested is
// that it is safe: empty batches (the assembly loops would run 2^64 times
// on a length of 0), indexes past the items there are, and places past
// any memory (a prefetch never faults).
func TestPrefetchIsSafe(t *testing.T) {
	items := make([]int64, 4)
	base := unsafe.Pointer(unsafe.SliceData(items))
	Hashed(base, 3, 62, nil)
	Indexed(base, 3, nil, len(items))
	Indexed(base, 3, []int32{0, 3, 4, 1 << 30, -1}, len(items))
	Indexed(nil, 4, []int32{0, 1}, 0)
	Hashed(base, 3, 0, []uint64{0, 1 << 63, ^uint64(0)})
	Hashed(nil, 4, 60, []uint64{^uint64(0)})
}

// What a prefetch is for: lookups at random places in a table larger
// than the cache, a batch at a time, with the batch after asked for ahead.
func BenchmarkLookups(b *testing.B) {
	const n = 1 << 24 // 16M items of 8 bytes: 128 MB
	table := make([]int64, n)
	rng := rand.New(rand.NewPCG(1, 2))
	idx := make([]int32, 1<<16)
	for i := range idx {
		idx[i] = int32(rng.IntN(n))
	}
	base := unsafe.Pointer(unsafe.SliceData(table))
	for _, ahead := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "prefetched"}[ahead]
		b.Run(name, func(b *testing.B) {
			var sum int64
			for b.Loop() {
				for lo := 0; lo < len(idx); lo += 8 {
					if ahead && lo+8 < len(idx) {
						Indexed(base, 3, idx[lo+8:lo+16], n)
					}
					for _, i := range idx[lo : lo+8] {
						sum += table[i]
						table[i] = sum
					}
				}
			}
			_ = sum
		})
	}
}
