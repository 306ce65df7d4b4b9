// Package hugepage asks the kernel to back a large table with huge pages
// (2 MB on amd64 and most arm64 Linux), for tables read at random places:
// a case table, a shard's table of cases. With 4 KB pages a lookup in a
// table of tens of megabytes also misses the processor's TLB, and a miss
// walks the page tables (twice over in a virtual machine); with huge
// pages the TLB covers the table. First touches of the table fault a
// 2 MB page in at a time, not 4 KB.
//
// It is a hint: on Linux, madvise(MADV_HUGEPAGE), which transparent huge
// pages set to "madvise" (many distributions' default) need, "always"
// does not, and "never" ignores; elsewhere it does nothing. Only memory
// not yet touched gets huge pages, so advise a table just made: Make
// and Grow do. Grow copies the old table in pieces, as Clear clears one,
// so that a goroutine busy with a large table can still be stopped for a
// garbage collection.
package hugepage

import "unsafe"

// huge is the huge page size asked for.
const huge = 2 << 20

// Advise asks for huge pages under the n bytes at p: the 2 MB extents
// wholly inside them. Tables under 4 MB are left as they are.
func Advise(p unsafe.Pointer, n uintptr) {
	if n < 2*huge {
		return
	}
	if lo, hi := extent(uintptr(p), n); hi > lo {
		advise(unsafe.Add(p, lo-uintptr(p)), hi-lo)
	}
}

// extent is the range of whole huge pages inside the n bytes at p.
func extent(p, n uintptr) (lo, hi uintptr) {
	return (p + huge - 1) &^ (huge - 1), (p + n) &^ (huge - 1)
}

// piece is how many bytes Grow copies and Clear clears at a time: a
// goroutine can be preempted between pieces, and one copy or clear of
// tens of megabytes (as slices.Grow and clear make) would hold up a
// garbage collection's stop of the world for milliseconds, every other
// goroutine waiting.
const piece = 256 << 10

// Make is make([]T, n) for a large table, advised (Advise) before
// anything is written to it.
func Make[T any](n int) []T {
	t := make([]T, n)
	Advise(unsafe.Pointer(unsafe.SliceData(t)), uintptr(n)*size[T]())
	return t
}

// Grow is slices.Grow(s, n) for a large table: the new array is made with
// Make, and s is copied into it a piece at a time.
func Grow[T any](s []T, n int) []T {
	if n <= cap(s)-len(s) {
		return s
	}
	g := Make[T](len(s) + n)[:len(s)]
	step := pieceLen[T]()
	for i := 0; i < len(s); i += step {
		copy(g[i:min(i+step, len(s))], s[i:])
	}
	return g
}

// Clear is clear(s), a piece at a time.
func Clear[T any](s []T) {
	step := pieceLen[T]()
	for i := 0; i < len(s); i += step {
		clear(s[i:min(i+step, len(s))])
	}
}

// size is the size of a T.
func size[T any]() uintptr {
	var zero T
	return unsafe.Sizeof(zero)
}

// pieceLen is how many Ts make a piece (one at least).
func pieceLen[T any]() int { return max(piece/max(int(size[T]()), 1), 1) }
