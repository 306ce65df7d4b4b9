package eventlog

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// byteIndex is blockIndex the slow way: each line's start and field ends,
// a byte at a time.
func byteIndex(data []byte) (starts []int, ends [][]int32) {
	start := 0
	var cur []int32
	for i, c := range data {
		switch c {
		case ',':
			cur = append(cur, int32(i-start))
		case '\n':
			starts, ends = append(starts, start), append(ends, append(cur, int32(i-start)))
			start, cur = i+1, nil
		}
	}
	if start < len(data) {
		starts, ends = append(starts, start), append(ends, append(cur, int32(len(data)-start)))
	}
	return starts, ends
}

// indexLines reads data's lines and fields from a blockIndex, as
// colParser.parse does.
func indexLines(data []byte) (starts []int, ends [][]int32) {
	var ix blockIndex
	ix.build(data)
	for off := 0; off < len(data); {
		start, end := off, len(data)
		if nl := ix.nextBreak(off); nl >= 0 {
			end, off = nl, nl+1
		} else {
			off = len(data)
		}
		starts, ends = append(starts, start), append(ends, ix.fieldEnds(start, end, nil))
	}
	return starts, ends
}

// randomBlock is n bytes of lines with commas, and the bytes a careless
// bit trick confuses with them: one above and below each, each with the
// high bit set, zeros.
func randomBlock(rng *rand.Rand, n int) []byte {
	alphabet := []byte{',', '\n', ',' - 1, ',' + 1, '\n' - 1, '\n' + 1, ',' | 0x80, '\n' | 0x80, 0, 0x80, 0xff, 'a', 'a', 'a'}
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return b
}

// The index finds every line and field a byte-at-a-time scan finds, for
// blocks of every length around the 64-byte words (so a short last word,
// and lines across words).
func TestBlockIndexMatchesBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 200; n++ {
		for range 20 {
			data := randomBlock(rng, n)
			ws, we := byteIndex(data)
			gs, ge := indexLines(data)
			require.Equal(t, ws, gs, "line starts of %q", data)
			require.Equal(t, we, ge, "field ends of %q", data)
		}
	}
}

// The AVX2 indexer (where the processor has it) marks the same bytes as
// its Go twin, and the Go twin the same as a byte at a time.
func TestIndexChunksTwins(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, words := range []int{1, 2, 3, 7, 64, 1000} {
		data := randomBlock(rng, 64*words)
		fast, fastB := make([]uint64, words), make([]uint64, words)
		slow, slowB := make([]uint64, words), make([]uint64, words)
		indexChunks(data, fast, fastB)
		indexChunksGo(data, slow, slowB)
		for w := range words {
			c, b := markBytes(data[64*w : 64*w+64])
			require.Equal(t, c, slow[w], "commas of word %d (Go)", w)
			require.Equal(t, b, slowB[w], "line breaks of word %d (Go)", w)
		}
		require.Equal(t, slow, fast, "commas (AVX2: %v)", hasAVX2)
		require.Equal(t, slowB, fastB, "line breaks (AVX2: %v)", hasAVX2)
	}
	if !hasAVX2 {
		t.Log("no AVX2 here: indexChunks is the Go twin")
	}
}

// FuzzBlockIndex: on any bytes, the index's lines and fields are a
// byte-at-a-time scan's.
func FuzzBlockIndex(f *testing.F) {
	f.Add([]byte("a,b,c\n1,2,3\n"))
	f.Add([]byte("\n\n,,\n,"))
	f.Add(slices.Repeat([]byte("case,step,2024-01-01T00:00:00Z\r\n"), 5))
	f.Fuzz(func(t *testing.T, data []byte) {
		ws, we := byteIndex(data)
		gs, ge := indexLines(data)
		if !slices.Equal(ws, gs) || !slices.EqualFunc(we, ge, slices.Equal) {
			t.Fatalf("index %v %v, bytes %v %v", gs, ge, ws, we)
		}
	})
}
