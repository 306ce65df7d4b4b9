package hugepage

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

func advise(p unsafe.Pointer, n uintptr) {
	_ = unix.Madvise(unsafe.Slice((*byte)(p), n), unix.MADV_HUGEPAGE) // a hint: a kernel that refuses it is fine
}
