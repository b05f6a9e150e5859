package sqlstore_test

import (
	"context"
	"testing"

	"github.com/coopchain/coopchain/sqlstore"
	"github.com/coopchain/coopchain/sqlstore/sqltest"
)

// The contract tests run against SQLite always and against PostgreSQL when
// COOPCHAIN_TEST_POSTGRES holds an admin DSN (postgres://user@host/db) —
// .ci/run starts a throw-away cluster and sets it. See package sqltest.

// eachStore runs fn once per backend with a fresh, opened store and its DSN.
func eachStore(t *testing.T, fn func(t *testing.T, db *sqlstore.DB, dsn string)) {
	for _, b := range sqltest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.NewDSN(t)
			db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			fn(t, db, dsn)
		})
	}
}
