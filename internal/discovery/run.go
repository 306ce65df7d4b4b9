package discovery

import (
	"context"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/journeymap/journeymap/internal/caseid"
	"github.com/journeymap/journeymap/internal/hugepage"
)

// Block is a block of a log's events in compact form (replay.Columns
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
