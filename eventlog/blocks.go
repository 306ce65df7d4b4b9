package eventlog

import (
	"bufio"
	"bytes"
	"io"
	"runtime"
	"sync"
)

// This file is the format-independent half of ReadColumns: a goroutine
// cuts the file into blocks of whole lines, one parser a core turns
// blocks into Columns (csv's colParser, jsonl's jsonlParser), and the
// reader hands the results over in file order, adding up their counts
// and problems.

// blockParser parses a block of whole lines into Columns, with the
// checks and messages of its format's Read.
type blockParser interface {
	parse(colBlock) colResult
}

// startPipe starts the column pipeline over lr's lines, the next being
// line+1, with one parser a core made by newParser (given the channel of
// blocks handed back by Recycle). With cutAtQuote, the pipeline stops at
// the first block with a double quote (a CSV field may then hold a line
// break), as it always does at a line longer than a block; the reader
// goes on a row at a time from there.
func startPipe(lr *lineReader, line int64, cutAtQuote bool, newParser func(spare chan *Columns) blockParser) *colPipe {
	// Blocks are read past what lr has buffered straight from what it
	// reads, not copied through its buffer. The buffer is then empty, and
	// reading on through it (as the reader does where the pipeline stops)
	// reads on from there.
	rd := io.Reader(lr.br)
	if lr.src != nil {
		rd = io.MultiReader(io.LimitReader(lr.br, int64(lr.br.Buffered())), lr.src)
	}
	workers := runtime.GOMAXPROCS(0)
	p := &colPipe{order: make(chan chan colResult, 2*workers), done: make(chan struct{}), free: make(chan []byte, 2*workers+2), spare: make(chan *Columns, 4*workers+8)}
	blocks := make(chan colBlock, workers)
	var wg sync.WaitGroup
	for range workers {
		w := newParser(p.spare)
		wg.Go(func() {
			for b := range blocks {
				res := w.parse(b)
				select {
				case p.free <- b.data[:0]:
				default:
				}
				select {
				case b.out <- res:
				case <-p.done:
					return
				}
			}
		})
	}
	size := columnBlock
	go func() {
		defer func() {
			close(blocks)
			close(p.order)
		}()
		var carry []byte
		for {
			var buf []byte
			select {
			case buf = <-p.free:
			default:
			}
			if cap(buf) < size+len(carry) {
				// Room for the carry of later blocks too, or a buffer
				// handed back would rarely fit: untouched, it costs nothing.
				buf = make([]byte, size+len(carry), max(size+len(carry), size+size/4))
				p.made++
			}
			buf = buf[:size+len(carry)]
			n := copy(buf, carry)
			m, err := io.ReadFull(rd, buf[n:])
			data := buf[:n+m]
			eof := err == io.EOF || err == io.ErrUnexpectedEOF
			if err != nil && !eof {
				p.readErr = err
				return
			}
			cut := len(data)
			if !eof {
				cut = bytes.LastIndexByte(data, '\n') + 1
			}
			if cut == 0 && len(data) > 0 || cutAtQuote && bytes.IndexByte(data[:cut], '"') >= 0 {
				// A line longer than a block, or quotes (a quoted field
				// may hold a line break): rows from here on are read one
				// at a time.
				p.rest, p.restLine = data, line
				return
			}
			block := colBlock{data: data[:cut], line: line, out: make(chan colResult, 1)}
			block.lines = bytes.Count(block.data, []byte{'\n'})
			line += int64(block.lines)
			carry = append(carry[:0:0], data[cut:]...)
			if len(block.data) > 0 {
				select {
				case blocks <- block:
				case <-p.done:
					return
				}
				select {
				case p.order <- block.out:
				case <-p.done:
					return
				}
			}
			if eof {
				return
			}
		}
	}()
	return p
}

// nextBlock is ReadColumns over the pipeline p: the next block's
// columns, its counts and problems added to r's. Where the pipeline
// stopped cutting, the reader goes on a row at a time (lr reads from
// there, *seq is set) with byRow.
func (r *rows) nextBlock(p *colPipe, lr *lineReader, seq *bool, byRow func() (*Columns, error)) (*Columns, error) {
	for {
		out, ok := <-p.order
		if !ok {
			if p.readErr != nil {
				return nil, p.readErr
			}
			if p.rest == nil {
				return nil, io.EOF
			}
			// Go on a row at a time from where the splitter stopped.
			*lr = lineReader{br: bufio.NewReaderSize(io.MultiReader(bytes.NewReader(p.rest), lr.br), 256<<10), line: p.restLine}
			*seq = true
			return byRow()
		}
		res := <-out
		r.stats.Rows += res.rows
		r.stats.Malformed += res.malformed
		for _, prob := range res.problems {
			if len(r.stats.Problems) < r.opts.MaxProblems {
				r.stats.Problems = append(r.stats.Problems, prob)
			}
		}
		if res.err != nil {
			return nil, res.err
		}
		if len(res.cols.Case) > 0 {
			return res.cols, nil
		}
	}
}

// stop ends the pipeline's goroutines (they finish the read or block
// they are in).
func (p *colPipe) stop() {
	if p != nil {
		p.once.Do(func() { close(p.done) })
	}
}

// recycle keeps a block handed back, for a parser to reuse.
func (p *colPipe) recycle(cols *Columns) {
	if p == nil || cols == nil {
		return
	}
	select {
	case p.spare <- cols:
	default:
	}
}

// columnSet says which of replay's optional columns a reader fills.
type columnSet struct{ channel, lifecycle, scores, segment bool }

// fits reports whether a recycled block has the columns a parser fills
// (every one of replay's it has, or only discovery's), and no others.
func fits(cols *Columns, opts Options, set columnSet) bool {
	full := !opts.ColumnsForDiscovery
	return (cols.Line != nil) == full && (cols.Channel != nil) == (full && set.channel) &&
		(cols.Lifecycle != nil) == (full && set.lifecycle) && (cols.CSAT != nil) == (full && set.scores) &&
		(cols.Segment != nil) == (full && set.segment)
}

// spareColumns is a block handed back (see fits), emptied with room for
// n events, or a new one.
func spareColumns(spare chan *Columns, n int, opts Options, set columnSet) *Columns {
	select {
	case cols := <-spare:
		if fits(cols, opts, set) {
			cols.reuse(n)
			return cols
		}
	default:
	}
	if opts.ColumnsForDiscovery {
		return &Columns{Case: make([]string, 0, n), Name: make([]int32, 0, n), Time: make([]int64, 0, n)}
	}
	return newColumns(n, set)
}
