package replay

import (
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/journeymap/journeymap/internal/exact"
)

// exactLimit is how many samples a Durations keeps exactly; past it,
// quantiles come from buckets 1/128 wide (under 1% error).
const exactLimit = 1024

// Durations is a distribution of durations that merges exactly: the result
// of adding samples in any order, or of merging any split of them, is the
// same value. Up to 1024 samples it is exact; beyond, quantiles are read
// from log-spaced buckets with under 1% relative error, while the count,
// mean, minimum and maximum stay exact. The zero value is empty and ready.
type Durations struct {
	n        int64
	sum      exact.Sum // of nanoseconds, so the order samples are added in cannot change the mean
	min, max time.Duration
	exact    []time.Duration // while n <= exactLimit
	buckets  []int64         // past exactLimit: counts by bucketOf, as long as the largest bucket used (a few KB)
}

// Add records one duration; negative ones count as zero.
func (d *Durations) Add(v time.Duration) {
	if v < 0 {
		v = 0
	}
	if d.n == 0 || v < d.min {
		d.min = v
	}
	if v > d.max {
		d.max = v
	}
	d.n++
	d.sum.Add(int64(v))
	if d.buckets == nil {
		d.exact = append(d.exact, v)
		if len(d.exact) > exactLimit {
			d.spill()
		}
		return
	}
	d.count(bucketOf(v), 1)
}

// count adds n samples to bucket b.
func (d *Durations) count(b uint16, n int64) {
	if int(b) >= len(d.buckets) {
		d.buckets = append(d.buckets, make([]int64, int(b)+1-len(d.buckets))...)
	}
	d.buckets[b] += n
}

func (d *Durations) spill() {
	d.buckets = make([]int64, 0, 1024)
	for _, v := range d.exact {
		d.count(bucketOf(v), 1)
	}
	d.exact = nil
}

// Merge adds every sample of o to d.
func (d *Durations) Merge(o *Durations) {
	if o.n == 0 {
		return
	}
	if d.n == 0 || o.min < d.min {
		d.min = o.min
	}
	d.max = max(d.max, o.max)
	d.n += o.n
	d.sum.Merge(o.sum)
	if d.buckets == nil && o.buckets == nil && len(d.exact)+len(o.exact) <= exactLimit {
		d.exact = append(d.exact, o.exact...)
		return
	}
	if d.buckets == nil {
		d.spill()
	}
	for _, v := range o.exact {
		d.count(bucketOf(v), 1)
	}
	if len(o.buckets) > len(d.buckets) {
		d.buckets = append(d.buckets, make([]int64, len(o.buckets)-len(d.buckets))...)
	}
	for b, c := range o.buckets {
		d.buckets[b] += c
	}
}

// Count is the number of samples.
func (d *Durations) Count() int64 { return d.n }

// Mean is the average, or 0 when empty.
func (d *Durations) Mean() time.Duration {
	if d.n == 0 {
		return 0
	}
	q, ok := d.sum.Quo(d.n)
	if !ok { // cannot happen for real durations; keep the division defined
		return d.max
	}
	return time.Duration(q)
}

// Min and Max are the smallest and largest samples (0 when empty).
func (d *Durations) Min() time.Duration { return d.min }
func (d *Durations) Max() time.Duration { return d.max }

// CountAbove returns how many samples exceed v: exact while the samples are
// kept, else read from the buckets (a bucket straddling v counts whole
// when its middle exceeds v).
func (d *Durations) CountAbove(v time.Duration) int64 {
	var n int64
	if d.buckets == nil {
		for _, x := range d.exact {
			if x > v {
				n++
			}
		}
		return n
	}
	for b, c := range d.buckets {
		if c > 0 && min(max(bucketMid(uint16(b)), d.min), d.max) > v {
			n += c
		}
	}
	return n
}

// ExcessOver returns the sum, over the samples that exceed v, of how much
// they exceed it: the waiting a limit of v would have saved. Exact while
// the samples are kept, else read from the buckets' middles.
func (d *Durations) ExcessOver(v time.Duration) time.Duration {
	var sum time.Duration
	if d.buckets == nil {
		for _, x := range d.exact {
			if x > v {
				sum += x - v
			}
		}
		return sum
	}
	for b, c := range d.buckets {
		if x := min(max(bucketMid(uint16(b)), d.min), d.max); c > 0 && x > v {
			sum += time.Duration(c) * (x - v)
		}
	}
	return sum
}

// Median is Quantile(0.5).
func (d *Durations) Median() time.Duration { return d.Quantile(0.5) }

// Quantile returns the q-quantile (0 <= q <= 1), interpolating between the
// two nearest samples as numpy and PM4Py do; 0 when empty.
func (d *Durations) Quantile(q float64) time.Duration {
	if d.n == 0 {
		return 0
	}
	if d.buckets == nil {
		return exact.Quantile(slices.Clone(d.exact), q)
	}
	rank := int64(math.Round(q * float64(d.n-1)))
	var seen int64
	for k, c := range d.buckets {
		seen += c
		if seen > rank {
			return min(max(bucketMid(uint16(k)), d.min), d.max)
		}
	}
	return d.max
}

// Buckets of durations in milliseconds: values below 128 ms exactly, then
// 128 buckets per power of two.
func bucketOf(v time.Duration) uint16 {
	ms := uint64(v / time.Millisecond)
	if ms < 128 {
		return uint16(ms)
	}
	shift := bits.Len64(ms) - 8
	return uint16((shift+1)*128 + int(ms>>shift) - 128)
}

func bucketMid(b uint16) time.Duration {
	if b < 128 {
		return time.Duration(b) * time.Millisecond
	}
	shift := int(b)/128 - 1
	m := uint64(b%128 + 128)
	lo := m << shift
	return time.Duration(lo+(uint64(1)<<shift)/2) * time.Millisecond
}
