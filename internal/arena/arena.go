// Package arena holds a stream of small values in fixed-size blocks, so
// that appending never copies what is held and memory is never more than
// one block beyond what is used. Replay's collector and each discovery
// shard keep every event of a log in any order this way, each with its
// case number, and then lay the events out case by case with a counting
// sort over the blocks, a batch of cases at a time (a pass over the blocks
// each batch, at most 8: O(events + cases) per pass).
package arena

// BlockLen is how many values a block holds.
const BlockLen = 1 << 15

// Arena is a list of blocks of values. The zero value is empty and ready.
type Arena[E any] struct {
	blocks [][]E
	n      int
}

// Add appends e.
func (a *Arena[E]) Add(e E) {
	k := len(a.blocks) - 1
	if k < 0 || len(a.blocks[k]) == BlockLen {
		a.blocks = append(a.blocks, make([]E, 0, BlockLen))
		k++
	}
	a.blocks[k] = append(a.blocks[k], e)
	a.n++
}

// Len is the number of values added.
func (a *Arena[E]) Len() int { return a.n }

// Blocks are the values, in the order they were added, a block at a
// time. Setting a block to nil frees it once it has been read.
func (a *Arena[E]) Blocks() [][]E { return a.blocks }

// Reset empties the arena and lets its blocks go.
func (a *Arena[E]) Reset() { a.blocks, a.n = nil, 0 }
