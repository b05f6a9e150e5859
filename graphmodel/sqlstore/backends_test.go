package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/coopchain/coopchain/graphmodel/sqlstore"
)

// backend makes fresh, empty databases of one kind.
type backend struct {
	name  string
	newDB func(t *testing.T) string // returns a DSN for a new empty database
}

// backends lists the stores the contract tests run against: SQLite always,
// PostgreSQL when COOPCHAIN_TEST_POSTGRES holds an admin DSN
// (postgres://user@host/db) — .ci/run starts a throw-away cluster and sets it.
func backends(t *testing.T) []backend {
	bs := []backend{{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "sub", "test.db") }}}
	if admin := os.Getenv("COOPCHAIN_TEST_POSTGRES"); admin != "" {
		bs = append(bs, backend{"postgres", func(t *testing.T) string { return newPostgresDB(t, admin) }})
	}
	return bs
}

func newPostgresDB(t *testing.T, admin string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "cc_test_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err == nil {
			db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			db.Close()
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// eachStore runs fn once per backend with a fresh, opened store and its DSN.
func eachStore(t *testing.T, fn func(t *testing.T, db *sqlstore.DB, dsn string)) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			dsn := b.newDB(t)
			db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			fn(t, db, dsn)
		})
	}
}
