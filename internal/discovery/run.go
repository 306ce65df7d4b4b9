package discovery

import (
	"context"
	"io"
	"math/bits"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/journeymap/journeymap/internal/caseid"
	"github.com/journeymap/journeymap/internal/hugepage"
)

// Block is a block of a log's events in compact form (journey.Columns
// converts to it): per event a case id, a name as an index into Names,
// and a time in Unix nanoseconds. A Block is not changed once read.
type Block struct {
	Case  []string
	Names []string
	Name  []int32
	Time  []int64

	// Done, if set, is called once every shard is done with the block,
	// so that its memory can be reused.
	Done func()
}

// OrderError is Run's error, with inOrder, at an event earlier than the
// one before it in its case.
type OrderError struct {
	Case   string // the case's id
	Behind int64  // by how many nanoseconds
}

func (e *OrderError) Error() string { return "a case's events are not in time order" }

// Run reads blocks from next until it returns io.EOF and counts them
// into a Tally on shards goroutines (at least one). With inOrder, each
// case's events must come in time order, or Run stops with an
// *OrderError; the result is the same either way.
func Run(ctx context.Context, next func() (*Block, error), inOrder bool, shards int) (*Tally, error) {
	var names []string
	index := map[string]int32{}
	sh := make([]*shard, max(shards, 1))
	var stop atomic.Bool
	var wg sync.WaitGroup
	seed := rand.Uint64() // a log cannot be made to collide on purpose
	for s := range sh {
		sh[s] = newShard(seed, inOrder)
		wg.Go(func() { sh[s].run(&names, &stop) })
	}
	err := func() error {
		for !stop.Load() { // until a shard finds a case out of time order
			if err := ctx.Err(); err != nil {
				return err
			}
			b, err := next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			nameOf := make([]int32, len(b.Names)) // read by every shard: a new one each block
			for i, n := range b.Names {
				k, ok := index[n]
				if !ok {
					k = int32(len(names))
					n = strings.Clone(n)
					index[n] = k
					names = append(names, n)
				}
				nameOf[i] = k
			}
			// Each event hashed once, here, and each shard sent its own.
			own := make([]*owned, len(sh))
			for s := range sh {
				select {
				case own[s] = <-sh[s].free:
					own[s].k, own[s].h = own[s].k[:0], own[s].h[:0]
				default:
					own[s] = &owned{}
				}
			}
			for k, id := range b.Case {
				h := caseid.Hash(seed, id)
				o := own[shardOf(h, len(sh))]
				o.k = append(o.k, int32(k))
				o.h = append(o.h, h)
			}
			pending := new(atomic.Int32)
			pending.Store(int32(len(sh)))
			for s := range sh {
				sh[s].in <- block{b, nameOf, len(names), own[s], pending}
			}
		}
		return nil
	}()
	if err != nil {
		stop.Store(true)
	}
	for _, s := range sh {
		close(s.in)
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	for _, s := range sh {
		if s.err != nil {
			return nil, s.err
		}
	}
	// The first shard's tally takes the others': with room made first for
	// every case's duration, so that none is copied twice. It is copied
	// out of the shard, so that the shards' tables can go.
	cases := 0
	for _, s := range sh {
		s.tally.Names = names
		cases += len(s.tally.Durations)
	}
	t := sh[0].tally
	t.Durations = hugepage.Grow(t.Durations, cases-len(t.Durations))
	for _, s := range sh[1:] {
		t.Merge(&s.tally)
	}
	return &t, nil
}

// Number returns s's index in list, appending a copy of s (it may be a
// view of a reader's buffer that is reused) when it is new; index maps
// list's names to their indexes. Readers number a block's names with it.
func Number(index map[string]int32, list *[]string, s string) int32 {
	if k, ok := index[s]; ok {
		return k
	}
	k := int32(len(*list))
	s = strings.Clone(s)
	index[s] = k
	*list = append(*list, s)
	return k
}

// Numbering numbers a block's strings (names, or values) in its own list,
// as Number does, for a reader that numbers every event's: a log has a
// handful of them, repeated on every event, so most are found in a table
// of recent ones. A string of up to 16 bytes is known there by its length
// and two words of its bytes (see words), compared without reading the
// list; a longer one is compared with the list's. Use one list between
// Resets. Its zero value is ready to use.
type Numbering struct {
	index map[string]int32
	slots [256]recent
}

// recent is a string numbered lately: its words and length, and its index
// in the list plus one (0 for an empty slot).
type recent struct {
	w0, w1 uint64
	n, k   int32
}

// Reset forgets the strings numbered, for a new list.
func (n *Numbering) Reset() {
	clear(n.index)
	clear(n.slots[:])
}

// Number returns s's index in list, appending a copy of s (it may be a
// view of a reader's buffer that is reused) when it is new.
func (n *Numbering) Number(list *[]string, s string) int32 {
	w0, w1 := words(s)
	slot := &n.slots[recentPlace(w0, w1, len(s))]
	if slot.k > 0 && slot.w0 == w0 && slot.w1 == w1 && int(slot.n) == len(s) && (len(s) <= 16 || (*list)[slot.k-1] == s) {
		return slot.k - 1
	}
	if n.index == nil {
		n.index = map[string]int32{}
	}
	k := Number(n.index, list, s)
	*slot = recent{w0: w0, w1: w1, n: int32(len(s)), k: k + 1}
	return k
}

// recentPlace is where a string of length n and words w0, w1 is kept in
// a Numbering's table.
func recentPlace(w0, w1 uint64, n int) uint8 {
	return uint8((w0 ^ bits.RotateLeft64(w1, 31) ^ uint64(n)) * 0x9E3779B97F4A7C15 >> 56)
}

// words are two words of s's bytes that, with its length, tell it from
// any other string of up to 16 bytes: its first and last 8 bytes (which
// overlap under 16), or its first and last 4 (under 8), or its bytes
// (under 4). Longer strings share them with others.
func words(s string) (w0, w1 uint64) {
	n := len(s)
	switch {
	case n >= 8:
		return load64(s), load64(s[n-8:])
	case n >= 4:
		return uint64(load32(s)) | uint64(load32(s[n-4:]))<<32, 0
	}
	for i := range n {
		w0 |= uint64(s[i]) << (8 * i)
	}
	return w0, 0
}

func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func load32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// RecentSlot places a string in a table of 256 recent ones, as a
// Numbering does: by its length and words.
func RecentSlot(s string) uint8 {
	w0, w1 := words(s)
	return recentPlace(w0, w1, len(s))
}
