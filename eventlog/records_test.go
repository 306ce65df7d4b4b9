package eventlog_test

import (
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/eventlog"
)

// columnsOnly is a RecordSource with columns and no records.
type columnsOnly []string

func (c columnsOnly) Columns() []string                { return c }
func (columnsOnly) Next([]any) (eventlog.Where, error) { return eventlog.Where{}, io.EOF }
func (columnsOnly) Close() error                       { return nil }

// A table-shaped log without a needed column (a Parquet schema, a query's
// columns) gets the CSV reader's *ColumnError, without a line number, so
// that the command can name its flag.
func TestRecordReaderColumnError(t *testing.T) {
	_, err := eventlog.NewRecordReader(columnsOnly{"who", "touchpoint", "timestamp"}, "log.parquet", eventlog.Options{})
	var ce *eventlog.ColumnError
	ok := errors.As(err, &ce)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "CaseCol", ce.Option)
	assert.Equal(t, "log.parquet", ce.Where())
	assert.Equal(t, `log.parquet: no case id column: the header has "who","touchpoint","timestamp"; name it case_id or case:concept:name, or name the log's own column (Options.CaseCol)`, err.Error())
}
