//go:build !purego

package eventlog

import "golang.org/x/sys/cpu"

// indexChunksAVX2 is indexChunksGo with AVX2: two 32-byte compares and
// mask moves per bitmap word.
//
//go:noescape
func indexChunksAVX2(data []byte, commas, breaks []uint64)

var hasAVX2 = cpu.X86.HasAVX2

// indexChunks fills commas and breaks for data, a multiple of 64 bytes
// long.
func indexChunks(data []byte, commas, breaks []uint64) {
	if hasAVX2 {
		indexChunksAVX2(data, commas, breaks)
		return
	}
	indexChunksGo(data, commas, breaks)
}
