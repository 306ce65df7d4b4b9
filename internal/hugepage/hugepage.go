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
// not yet touched gets huge pages, so advise a table just made.
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
