//go:build !amd64 || purego

package eventlog

// indexChunks fills commas and breaks for data, a multiple of 64 bytes
// long.
func indexChunks(data []byte, commas, breaks []uint64) { indexChunksGo(data, commas, breaks) }

var hasAVX2 = false
