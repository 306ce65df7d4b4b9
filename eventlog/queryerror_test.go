package eventlog_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/journeymap/journeymap/eventlog"
)

// A database's message keeps its words and loses the values it quotes.
func TestQueryErrorWithheld(t *testing.T) {
	for _, tc := range []struct {
		err  eventlog.QueryError
		full string
		safe string
	}{
		{eventlog.QueryError{Row: 12, Err: errors.New(`ERROR: invalid input syntax for type timestamp with time zone: "c0017" (SQLSTATE 22007)`)},
			`reading the query's rows (row 12): ERROR: invalid input syntax for type timestamp with time zone: "c0017" (SQLSTATE 22007)`,
			`reading the query's rows (row 12): ERROR: invalid input syntax for type timestamp with time zone: "(a value)" (SQLSTATE 22007)`},
		{eventlog.QueryError{Row: 3, Scan: true, Err: errors.New(`converting 'CUST-9 \'x\'' to int64: invalid syntax`)},
			`row 3: converting 'CUST-9 \'x\'' to int64: invalid syntax`,
			`row 3: converting "(a value)" to int64: invalid syntax`},
		{eventlog.QueryError{Err: errors.New(`column "nope" does not exist`)},
			`the query failed: column "nope" does not exist`,
			`the query failed: column "(a value)" does not exist`},
	} {
		assert.Equal(t, tc.full, tc.err.Error())
		assert.Equal(t, tc.safe, tc.err.Withheld())
		assert.ErrorIs(t, &tc.err, tc.err.Err)
	}
}
