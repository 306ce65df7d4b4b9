// Package design holds a journey's frozen index: the tables replay's hot
// loop reads, built once when package journey loads a journey file, and
// read-only from then on.
//
// Package journey builds an Index and registers how to reach it (Of);
// package replay reads it. Neither the index nor the registration is part
// of the library's surface: a program reaches the same facts through
// *journey.Journey's methods.
package design

import (
	"time"

	"github.com/journeymap/journeymap/touchpoint"
)

// Index is a journey's frozen index. Touchpoints are numbered 0..n-1 in
// stage order, as *journey.Journey numbers them. Every slice is shared
// with the journey and must not be changed.
type Index struct {
	ID          string
	CaseTimeout time.Duration // the journey's settings.case_timeout
	Touchpoints []touchpoint.Touchpoint
	NStages     int
	ByName      map[string]int32 // every event name (ids and match names) -> touchpoint
	ByLoose     map[string]int32 // the loose form of every event name -> touchpoint
	StageOf     []int32          // touchpoint -> its stage
	Designed    []uint64         // bitset n*n: Designed[from*n+to]
	// The shortest designed paths, by target: Next[to*n+from] is the next
	// hop from from towards to, Dist[to*n+from] the number of hops; -1 for
	// none.
	Next, Dist []int16

	// For the aggregates replay keeps of each case instead of the case.
	StagePlace []int32    // touchpoint -> its place among its stage's touchpoints
	PairBase   []int      // stage -> its first slot (see PairSlot)
	NPairs     int        // slots in all
	Dch        []int32    // touchpoint -> its designed channel, an index into DchNames
	DchNames   []string   // the designed channels, sorted ("" first, if any)
	ConsIdx    [][2]int32 // the consistency pairs, as stage indexes [earlier, later]
}

// Of returns the Index of a *journey.Journey. Package journey sets it
// when it is initialised (this package cannot import journey, which
// imports it).
var Of func(j any) *Index

// Len is the number of touchpoints.
func (x *Index) Len() int { return len(x.Touchpoints) }

// IsDesigned reports whether the journey has a transition a -> b. O(1).
func (x *Index) IsDesigned(a, b int32) bool {
	k := int(a)*len(x.Touchpoints) + int(b)
	return x.Designed[k>>6]&(1<<(k&63)) != 0
}

// NextHop is the next touchpoint on the shortest designed path from a to
// b, or -1. O(1).
func (x *Index) NextHop(a, b int32) int32 { return int32(x.Next[int(b)*len(x.Touchpoints)+int(a)]) }

// Hops is the number of designed steps on the shortest path from a to b,
// or -1. O(1).
func (x *Index) Hops(a, b int32) int32 { return int32(x.Dist[int(b)*len(x.Touchpoints)+int(a)]) }

// NextRow is the next hop towards to from every touchpoint: following a
// path to one target reads this one row.
func (x *Index) NextRow(to int32) []int16 {
	n := len(x.Touchpoints)
	return x.Next[int(to)*n:][:n]
}

// PairSlot is the slot of two touchpoints of one stage in the per-case
// aggregates, or -1 for touchpoints of different stages (or one
// touchpoint). Slots are numbered stage by stage, within a stage by the
// later touchpoint's place and then the earlier's, in O(1) and without an
// n×n table.
func (x *Index) PairSlot(a, b int32) int {
	if a == b || x.StageOf[a] != x.StageOf[b] {
		return -1
	}
	la, lb := int(x.StagePlace[a]), int(x.StagePlace[b])
	if la > lb {
		la, lb = lb, la
	}
	return x.PairBase[x.StageOf[a]] + lb*(lb-1)/2 + la
}
