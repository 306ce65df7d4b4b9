package eventlog

import (
	"bufio"
	"bytes"
	"io"
)

// ReadColumns implements ColumnReader: blocks of lines are parsed on
// every core (a JSON Lines record never spans lines), with the checks,
// messages and counts of Read. Every block has every column replay reads,
// since any line may have any key.
func (j *jsonlReader) ReadColumns() (*Columns, error) {
	if j.seq {
		return j.readColumnsByRow()
	}
	if j.pipe == nil {
		if _, err := j.br.Peek(1); err != nil && j.line == 0 {
			// Nothing to cut: Read says why (an empty file).
			j.seq = true
			return j.readColumnsByRow()
		}
		j.pipe = startPipe(&j.lineReader, j.line, false, func(spare chan *Columns) blockParser {
			r := &jsonlReader{rows: newRows(j.file, j.opts), caseKeys: j.caseKeys, tpKeys: j.tpKeys, tKeys: j.tKeys, keyNames: map[string]string{}, names: map[string]string{}}
			return &jsonlParser{r: r, spare: spare, rd: bytes.NewReader(nil)}
		})
	}
	return j.rows.nextBlock(j.pipe, &j.lineReader, &j.seq, j.readColumnsByRow)
}

func (j *jsonlReader) readColumnsByRow() (*Columns, error) {
	return readEventColumns(j.Read, j.opts, j.columnSet())
}

// columnSet is every column replay reads (any line may have any key), a
// segment if Options.SegmentCol names one.
func (j *jsonlReader) columnSet() columnSet {
	return columnSet{channel: true, lifecycle: true, scores: true, segment: j.opts.SegmentCol != ""}
}

// Recycle hands back a block the caller is done with (see csvReader's).
func (j *jsonlReader) Recycle(cols *Columns) { j.pipe.recycle(cols) }

// jsonlParser parses blocks of JSON Lines with a reader of its own.
type jsonlParser struct {
	r     *jsonlReader
	spare chan *Columns
	rd    *bytes.Reader
	b     eventColumns
}

func (p *jsonlParser) parse(blk colBlock) (res colResult) {
	cols := spareColumns(p.spare, blk.lines+1, p.r.opts, p.r.columnSet())
	p.b.reset(cols, p.r.opts)
	r := p.r
	p.rd.Reset(blk.data)
	if r.br == nil {
		r.br = bufio.NewReaderSize(p.rd, 64<<10)
	} else {
		r.br.Reset(p.rd)
	}
	r.lineReader = lineReader{br: r.br, line: blk.line}
	r.stats = Stats{}
	for {
		ev, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			res.err = err // strict mode: the first malformed row
			break
		}
		p.b.add(&ev)
	}
	res.cols, res.rows, res.malformed, res.problems = cols, r.stats.Rows, r.stats.Malformed, r.stats.Problems
	return res
}
