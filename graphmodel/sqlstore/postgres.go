package sqlstore

import (
	"context"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// openPostgres is replaced when PostgreSQL support lands.
func openPostgres(ctx context.Context, dsn string, opt Options) (*DB, error) {
	return nil, gm.Errorf(gm.EUNSUPPORTED, "PostgreSQL is not supported by this build yet; use a SQLite file path")
}

func mapPostgresErr(err error) error { return nil }
