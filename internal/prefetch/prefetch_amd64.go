//go:build !purego

package prefetch

import "unsafe"

//go:noescape
func hashed(base unsafe.Pointer, sizeShift, shift uint64, hs []uint64)

//go:noescape
func indexed(base unsafe.Pointer, sizeShift uint64, idx []int32, n int64)
