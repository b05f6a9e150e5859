// Package sqlstore implements graphmodel.Store on SQL databases: an embedded
// SQLite file (modernc.org/sqlite, pure Go) by default.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Dialect is the SQL flavour of a database.
type Dialect int

// Dialects.
const (
	SQLite Dialect = iota
	Postgres
)

// Options tune Open.
type Options struct {
	// BusyTimeout is how long a write waits for a lock held by another
	// connection before failing with EUNAVAILABLE.
	BusyTimeout time.Duration
	// StatementTimeout bounds one SQL statement on PostgreSQL (default 60 s;
	// backup and restore lift it for their own transaction).
	StatementTimeout time.Duration
	// ConnectTimeout bounds connecting to PostgreSQL (default 5 s).
	ConnectTimeout time.Duration
}

// DB is a Store on a SQL database.
type DB struct {
	db      *sql.DB
	dialect Dialect
	dsn     string
	opt     Options
}

var _ gm.Store = (*DB)(nil)

// DefaultPath returns the default database file:
// $COOPCHAIN_DB, else $XDG_DATA_HOME/coopchain/coopchain.db, else
// ~/.local/share/coopchain/coopchain.db.
func DefaultPath(getenv func(string) string) string {
	if p := getenv("COOPCHAIN_DB"); p != "" {
		return p
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "coopchain", "coopchain.db")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "coopchain", "coopchain.db")
}

// Open opens (creating if needed) the database named by dsn — a file path
// for SQLite — and applies pending migrations.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = 5 * time.Second
	}
	if opt.StatementTimeout <= 0 {
		opt.StatementTimeout = 60 * time.Second
	}
	if opt.ConnectTimeout <= 0 {
		opt.ConnectTimeout = 5 * time.Second
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn, opt)
	}
	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, gm.Errorf(gm.EINVALID, "cannot create the database folder %s: %v", dir, err)
		}
	}
	// busy_timeout comes first: switching a new file to WAL needs a lock
	// that another process opening it at the same moment may hold.
	q := fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate",
		escapePath(dsn), opt.BusyTimeout.Milliseconds())
	db, err := sql.Open("sqlite", q)
	if err != nil {
		return nil, gm.Internal(err, "open database")
	}
	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &DB{db: db, dialect: SQLite, dsn: dsn, opt: opt}
	if err := s.migrateWhenFree(ctx); err != nil {
		db.Close()
		if gm.ErrorCode(err) == gm.EUNAVAILABLE { // read-only, unwritable, locked, disk full
			return nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: fmt.Sprintf("cannot open the database %s: %s", dsn, strings.TrimSuffix(gm.ErrorMessage(err), "; nothing was stored")), Err: err}
		}
		return nil, err
	}
	return s, nil
}

// migrateWhenFree migrates, trying again while another process holds the
// new file's lock for up to the busy timeout. Replicas that start together
// on one new file race to switch it to WAL and create the schema; SQLite
// answers some of those steps SQLITE_BUSY at once, without waiting in its
// busy handler (switching the journal mode, WAL recovery).
func (s *DB) migrateWhenFree(ctx context.Context) error {
	deadline := time.Now().Add(s.opt.BusyTimeout)
	for {
		err := s.migrate(ctx)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY && se.Code()&0xff != sqlite3.SQLITE_LOCKED || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func escapePath(p string) string {
	return strings.NewReplacer("?", "%3F", "#", "%23", "%", "%25").Replace(p)
}

// Close closes the database.
func (s *DB) Close() error { return s.db.Close() }

// SQL returns the underlying *sql.DB (for tests and maintenance commands).
func (s *DB) SQL() *sql.DB { return s.db }

// Dialect returns the database's SQL flavour.
func (s *DB) Dialect() Dialect { return s.dialect }

// rebind turns ? placeholders into $n for PostgreSQL.
func (s *DB) rebind(q string) string {
	if s.dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Migrations are applied in order of their file names (0001_…, 0002_…), each
// in its own transaction, and recorded in schema_migrations.
func (s *DB) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return s.mapErr(err, "create schema_migrations")
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return gm.Internal(err, "list migrations")
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return gm.Internal(err, "migration name "+base)
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			body, err := migrationFS.ReadFile(name)
			if err != nil {
				return err
			}
			for _, stmt := range splitSQL(string(body)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", base, err)
				}
			}
			_, err = tx.ExecContext(ctx, s.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), v, base, time.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return s.mapErr(err, "migrate "+base)
		}
	}
	return nil
}

// splitSQL splits a migration script into statements at semicolons that end
// a line, dropping comments.
func splitSQL(script string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(script, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}

// tx runs fn in a transaction, committing on nil and rolling back otherwise.
func (s *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// lockWrites serialises writers for the rest of tx. SQLite's write
// transactions already are serial (BEGIN IMMEDIATE); on PostgreSQL the
// data_version row, which every write bumps at its end anyway, is locked at
// its start, so that what the transaction checked (does the record exist,
// who owns it) still holds when it writes.
func (s *DB) lockWrites(ctx context.Context, tx *sql.Tx) error {
	if s.dialect != Postgres {
		return nil
	}
	var v int64
	return tx.QueryRowContext(ctx, `SELECT v FROM data_version WHERE id = 1 FOR UPDATE`).Scan(&v)
}

// mapErr converts driver errors into domain errors: a busy or locked
// database, a full disk or a read-only file become EUNAVAILABLE; constraint
// violations ECONFLICT; domain errors pass through.
func (s *DB) mapErr(err error, op string) error {
	if err == nil {
		return nil
	}
	var de *gm.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &gm.Error{Code: gm.EUNAVAILABLE, Message: "the database did not answer in time; try again", Err: err}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return &gm.Error{Code: gm.EUNAVAILABLE, Message: "the database is busy (locked by another writer); try again", Err: err}
		case sqlite3.SQLITE_FULL:
			return &gm.Error{Code: gm.EUNAVAILABLE, Message: "the disk is full; nothing was stored", Err: err}
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PERM:
			return &gm.Error{Code: gm.EUNAVAILABLE, Message: "the database cannot be written (read-only or I/O error); nothing was stored", Err: err}
		case sqlite3.SQLITE_CONSTRAINT:
			return &gm.Error{Code: gm.ECONFLICT, Message: "the change conflicts with stored data", Err: err}
		}
	}
	if e := mapPostgresErr(err); e != nil {
		return e
	}
	return gm.Internal(err, op)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nb2i(b *bool) any {
	if b == nil {
		return nil
	}
	return b2i(*b)
}

func nf(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func ni(v *int64) any {
	if v == nil {
		return nil
	}
	return *v
}

func bptr(v sql.NullInt64) *bool {
	if !v.Valid {
		return nil
	}
	b := v.Int64 != 0
	return &b
}

func fptr(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	f := v.Float64
	return &f
}

func iptr(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	n := v.Int64
	return &n
}
