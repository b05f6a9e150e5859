package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"strconv"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" database/sql driver
)

// openPostgres opens a PostgreSQL database (postgres://…) with the same
// schema and behaviour as the SQLite store.
//
// Every connection gets bounded waits unless the address sets them itself:
// lock_timeout (Options.BusyTimeout: a write blocked by another
// transaction's lock fails with EUNAVAILABLE instead of hanging),
// statement_timeout (Options.StatementTimeout) and a connect timeout
// (Options.ConnectTimeout), so that a database that is down or unreachable
// gives an error, never a request that hangs.
func openPostgres(ctx context.Context, dsn string, opt Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, gm.Errorf(gm.EINVALID, "invalid PostgreSQL address: %v", err)
	}
	setDefault := func(k string, d time.Duration) {
		if _, ok := cfg.RuntimeParams[k]; !ok && d > 0 {
			cfg.RuntimeParams[k] = strconv.FormatInt(d.Milliseconds(), 10)
		}
	}
	setDefault("lock_timeout", opt.BusyTimeout)
	setDefault("statement_timeout", opt.StatementTimeout)
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = opt.ConnectTimeout
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "coopchain"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &DB{db: db, dialect: Postgres, dsn: dsn, opt: opt}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, s.mapErr(err, "connect to PostgreSQL")
	}
	// Concurrent replicas starting together: one migrates, the others wait.
	if err := s.withMigrationLock(ctx, func() error { return s.migrate(ctx) }); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *DB) withMigrationLock(ctx context.Context, fn func() error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.mapErr(err, "migration lock")
	}
	defer conn.Close()
	const key = 7_262_001 // arbitrary, constant
	// Waiting for another replica's migration is expected: not bounded by
	// the short lock_timeout of ordinary writes.
	if _, err := conn.ExecContext(ctx, `SET lock_timeout = '120s'`); err != nil {
		return s.mapErr(err, "migration lock")
	}
	defer conn.ExecContext(context.Background(), `RESET lock_timeout`)
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return s.mapErr(err, "migration lock")
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)
	return fn()
}

// seedLock makes replicas that start together on an empty PostgreSQL
// database load the seed one after the other (the second then finds it
// loaded), instead of clashing.
func (s *DB) seedLock(ctx context.Context, tx *sql.Tx) error {
	if s.dialect != Postgres {
		return nil // SQLite's write transactions are exclusive already
	}
	if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = '120s'`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7262002)`)
	return err
}

// mapPostgresErr maps PostgreSQL and connection errors to domain errors.
func mapPostgresErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case len(pe.Code) >= 2 && pe.Code[:2] == "23":
			return &gm.Error{Code: gm.ECONFLICT, Message: "the change conflicts with stored data", Err: err}
		case pe.Code == "40001" || pe.Code == "40P01" || pe.Code == "55P03" || pe.Code == "57014" || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03":
			return &gm.Error{Code: gm.EUNAVAILABLE, Message: "the database is busy or restarting; try again", Err: err}
		case pe.Code == "53100" || pe.Code == "53200" || pe.Code == "53300":
			return &gm.Error{Code: gm.EUNAVAILABLE, Message: "the database is out of resources (disk, memory or connections); nothing was stored", Err: err}
		case pe.Code == "25006":
			return &gm.Error{Code: gm.EUNAVAILABLE, Message: "the database is read-only; nothing was stored", Err: err}
		case len(pe.Code) >= 2 && pe.Code[:2] == "08":
			return &gm.Error{Code: gm.EUNAVAILABLE, Message: "lost the connection to the database; try again", Err: err}
		}
		return nil
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, sql.ErrConnDone) || pgconn.SafeToRetry(err) || isConnClosed(err) {
		return &gm.Error{Code: gm.EUNAVAILABLE, Message: "the database is unreachable; try again", Err: err}
	}
	return nil
}

func isConnClosed(err error) bool {
	s := err.Error()
	for _, p := range []string{"conn closed", "connection refused", "broken pipe", "connection reset", "unexpected EOF", "driver: bad connection"} {
		if contains(s, p) {
			return true
		}
	}
	return false
}
