// Package prefetch asks the processor to bring memory into its cache
// ahead of use, without waiting for it: the way to overlap the cache
// misses of lookups at random places (a case's slot in a hash table, its
// state in a table of cases) with the work between.
//
// A plain read of the same place would wait: the processor cannot retire
// past a load that misses, and a few hundred instructions later it
// stalls. A prefetch retires at once. On amd64 these are PREFETCHT0
// instructions; elsewhere (and with -tags purego) they do nothing, and
// the lookups miss as they would have.
//
// Places are given as a base and indexes scaled by a power of two, so
// that a batch of them costs one call.
package prefetch

import "unsafe"

// Hashed prefetches, for each h in hs, the item of 1<<sizeShift bytes at
// index h>>shift from base: a hash table's slots placed by their hashes'
// top bits. O(len(hs)).
func Hashed(base unsafe.Pointer, sizeShift, shift uint, hs []uint64) {
	if len(hs) > 0 {
		hashed(base, uint64(sizeShift), uint64(shift), hs)
	}
}

// Indexed prefetches, for each i in idx below n, the item of
// 1<<sizeShift bytes at index i from base (indexes at or past n, of items
// not there yet, are skipped). O(len(idx)).
func Indexed(base unsafe.Pointer, sizeShift uint, idx []int32, n int) {
	if len(idx) > 0 {
		indexed(base, uint64(sizeShift), idx, int64(n))
	}
}
