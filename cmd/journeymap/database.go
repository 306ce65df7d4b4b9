package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver, pure Go

	"github.com/journeymap/journeymap"
)

// isDatabase reports whether --events names a database rather than a file.
func isDatabase(events string) bool {
	return strings.HasPrefix(events, "postgres://") || strings.HasPrefix(events, "postgresql://")
}

// openDatabase connects to the PostgreSQL database --events names and sets
// opts to read --query's rows. The returned name stands for the database
// in messages: the URL without its password, which never appears in a
// message or a report.
func openDatabase(events, query string, opts *journeymap.Options) (name string, closeDB func(), err error) {
	if query == "" {
		return "", nil, usageError("--events %s is a database: add --query \"SELECT case_id, touchpoint, timestamp FROM ... ORDER BY case_id, timestamp\"", redact(events))
	}
	name = redact(events)
	u, err := url.Parse(events)
	if err != nil {
		return "", nil, usageError("--events: not a database URL (postgres://user:password@host:5432/db?sslmode=disable): %v", scrub(err, events))
	}
	db, err := sql.Open("pgx", events)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", name, scrub(err, events))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("%s: cannot connect: %w; check the host, port, user, password and database in --events (for a local socket: postgres:///db?host=/path/to/socket)", name, scrub(err, events, passwordOf(u)))
	}
	opts.DB, opts.Query = db, query
	return name, func() { db.Close() }, nil
}

// redact is a database URL without its password.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the database URL"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func passwordOf(u *url.URL) string {
	if u == nil {
		return ""
	}
	if p, ok := u.User.Password(); ok {
		return p
	}
	return u.Query().Get("password")
}

// scrub removes the database URL and its password from an error's text.
func scrub(err error, secrets ...string) error {
	msg := err.Error()
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return errors.New(msg)
}
