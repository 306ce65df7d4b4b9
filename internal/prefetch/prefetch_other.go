//go:build !amd64 || purego

package prefetch

import "unsafe"

func hashed(base unsafe.Pointer, sizeShift, shift uint64, hs []uint64) {}

func indexed(base unsafe.Pointer, sizeShift uint64, idx []int32, n int64) {}
