package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// postgresURL is the server the PostgreSQL tests use: .ci/run starts one
// in a scratch directory, on a local socket, and sets
// JOURNEYMAP_TEST_POSTGRES to it (postgres:///postgres?host=/path&user=postgres).
func postgresURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("JOURNEYMAP_TEST_POSTGRES")
	if u == "" {
		t.Skip("no PostgreSQL server: set JOURNEYMAP_TEST_POSTGRES to a database URL (.ci/run starts one on a local socket)")
	}
	return u
}

// loadTable copies an example's CSV log into a table of its own.
func loadTable(t testing.TB, db *sql.DB, table, csvPath string) {
	t.Helper()
	f, err := os.Open(csvPath)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	ctx := context.Background()
	_, err = db.ExecContext(ctx, fmt.Sprintf(`DROP TABLE IF EXISTS %s; CREATE TABLE %s (case_id text, touchpoint text, "timestamp" timestamptz, channel text, csat int, ces int, persona text)`, table, table))
	require.NoError(t, err)
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	stmt, err := tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO %s VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, '')::int, NULLIF($6, '')::int, $7)`, table))
	require.NoError(t, err)
	for _, r := range rows[1:] {
		_, err := stmt.ExecContext(ctx, r[0], r[1], r[2], r[3], r[4], r[5], r[6])
		require.NoError(t, err)
	}
	require.NoError(t, stmt.Close())
	require.NoError(t, tx.Commit())
}

// An example log loaded into PostgreSQL and analysed from a query gives the
// report its CSV file gives, byte for byte, in case order (read once, a
// case at a time) and in time order; a bad password or query is a message
// that names what to fix, never the password.
func TestAnalyzeFromPostgreSQL(t *testing.T) {
	dsn := postgresURL(t)
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Ping())
	loadTable(t, db, "retail_events", "../../examples/retail/events.csv")

	args := []string{"analyze", "--journey", "../../examples/retail/journey.yaml", "--format", "json", "--segment", "persona"}
	code, want, errOut := runCmd(append(args, "--events", "../../examples/retail/events.csv")...)
	require.Equal(t, 0, code, errOut)
	for _, order := range []string{"case_id, \"timestamp\"", "\"timestamp\""} {
		q := "SELECT case_id, touchpoint, \"timestamp\", channel, csat, ces, persona FROM retail_events ORDER BY " + order
		code, got, errOut := runCmd(append(args, "--events", dsn, "--query", q)...)
		require.Equal(t, 0, code, errOut)
		assert.Equal(t, want, got, "ORDER BY %s", order)
	}

	code, _, errOut = runCmd("discover", "--events", dsn, "--query", "SELECT case_id, touchpoint, \"timestamp\" FROM retail_events ORDER BY case_id", "--format", "json")
	assert.Equal(t, 0, code, errOut)

	code, _, errOut = runCmd(append(args, "--events", dsn, "--query", "SELECT nope FROM retail_events")...)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "the query failed")

	code, _, errOut = runCmd(append(args, "--events", dsn)...)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "add --query")

	// A cast that fails quotes the value: a case id, here. Under
	// --pseudonymize the message keeps the row and the database's words,
	// not the value.
	cast := "SELECT case_id, touchpoint, (CASE WHEN case_id > 'C0001000' THEN case_id ELSE \"timestamp\"::text END)::timestamptz AS \"timestamp\" FROM retail_events ORDER BY case_id"
	code, _, errOut = runCmd(append(args, "--events", dsn, "--query", cast)...)
	assert.Equal(t, 1, code)
	require.Regexp(t, `"C\d+`, errOut, "without --pseudonymize, the database's message as it is")
	code, out, errOut := runCmd(append(args, "--events", dsn, "--query", cast, "--pseudonymize", "k3y-for-the-test")...)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `"(a value)"`)
	assert.NotRegexp(t, `C\d{7}`, errOut+out, "no case id in the message")

	const secret = "s3cret-Pa55word"
	bad := "postgres://nobody:" + secret + "@127.0.0.1:1/nodb?sslmode=disable&connect_timeout=2"
	code, out, errOut = runCmd(append(args, "--events", bad, "--query", "SELECT 1")...)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "cannot connect")
	assert.NotContains(t, errOut+out, secret, "a password never appears")
}

// The query's rows stream: replaying a table sorted by case holds one case
// at a time, whatever the table's size (the memory is measured by
// BenchmarkPostgresByCase, not timed here).
func BenchmarkPostgresByCase(b *testing.B) {
	dsn := os.Getenv("JOURNEYMAP_TEST_POSTGRES")
	if dsn == "" {
		b.Skip("no PostgreSQL server: set JOURNEYMAP_TEST_POSTGRES")
	}
	db, err := sql.Open("pgx", dsn)
	require.NoError(b, err)
	defer db.Close()
	loadTable(b, db, "bench_base", "../../examples/retail/events.csv")
	// The table grows by copies of the retail log under new case ids;
	// peak-heap-B, the most live heap seen while the report is made,
	// should not grow with it.
	for _, copies := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("copies=%d", copies), func(b *testing.B) {
			_, err := db.Exec(fmt.Sprintf(`DROP TABLE IF EXISTS bench_events; CREATE TABLE bench_events AS
				SELECT case_id || '-' || k AS case_id, touchpoint, "timestamp" FROM bench_base, generate_series(1, %d) k`, copies))
			require.NoError(b, err)
			var rows int64
			require.NoError(b, db.QueryRow("SELECT count(*) FROM bench_events").Scan(&rows))
			q := "SELECT case_id, touchpoint, \"timestamp\" FROM bench_events ORDER BY case_id, \"timestamp\""
			var peak atomic.Uint64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { // sample the live heap while the benchmark runs
				defer close(done)
				sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
				for {
					select {
					case <-stop:
						return
					case <-time.After(time.Millisecond):
					}
					metrics.Read(sample)
					if v := sample[0].Value.Uint64(); v > peak.Load() {
						peak.Store(v)
					}
				}
			}()
			runtime.GC()
			for b.Loop() {
				code, _, errOut := runCmd("analyze", "--journey", "../../examples/retail/journey.yaml", "--events", dsn, "--query", q, "-o", os.DevNull)
				if code != 0 {
					b.Fatal(strings.TrimSpace(errOut))
				}
			}
			close(stop)
			<-done
			b.ReportMetric(float64(peak.Load()), "peak-heap-B")
			b.ReportMetric(float64(rows), "rows")
		})
	}
}
