package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// recordWhere returns the table, the WHERE clause and arguments selecting a
// record of the cluster.
func recordWhere(clusterID string, k gm.RecordKey) (table, where string, args []any, err error) {
	switch k.Kind {
	case "participant":
		return "participants", `id = ? AND id IN (SELECT participant_id FROM memberships WHERE cluster_id = ?)`, []any{k.ParticipantID, clusterID}, nil
	case "link":
		return "links", `supplier_id = ? AND buyer_id = ? AND product_code = ? AND year = ? AND supplier_id IN (SELECT participant_id FROM memberships WHERE cluster_id = ?) AND buyer_id IN (SELECT participant_id FROM memberships WHERE cluster_id = ?)`,
			[]any{k.SupplierID, k.BuyerID, k.ProductCode, k.Year, clusterID, clusterID}, nil
	case "import":
		return "imports", `participant_id = ? AND product_code = ? AND year = ? AND country = ? AND participant_id IN (SELECT participant_id FROM memberships WHERE cluster_id = ?)`,
			[]any{k.ParticipantID, k.ProductCode, k.Year, k.Country, clusterID}, nil
	case "capacity":
		return "capacities", `participant_id = ? AND product_code = ? AND year = ? AND participant_id IN (SELECT participant_id FROM memberships WHERE cluster_id = ?)`,
			[]any{k.ParticipantID, k.ProductCode, k.Year, clusterID}, nil
	}
	return "", "", nil, gm.Errorf(gm.EINVALID, "unknown record kind %q", k.Kind)
}

func (s *DB) version(ctx context.Context, q querier, clusterID string, k gm.RecordKey) (int64, error) {
	table, where, args, err := recordWhere(clusterID, k)
	if err != nil {
		return 0, err
	}
	var v int64
	err = q.QueryRowContext(ctx, s.rebind(`SELECT version FROM `+table+` WHERE `+where), args...).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, gm.Errorf(gm.ENOTFOUND, "%s not found in cluster %s", k.Kind, clusterID)
	}
	return v, err
}

// Version returns a record's version.
func (s *DB) Version(ctx context.Context, clusterID string, k gm.RecordKey) (int64, error) {
	v, err := s.version(ctx, s.db, clusterID, k)
	return v, s.mapErr(err, "version")
}

func conflict(k gm.RecordKey, want, have int64) error {
	return &gm.Error{Code: gm.ECONFLICT, Message: "the record was changed by someone else (version " + itoa(have) + ", you sent " + itoa(want) + "); reload it and try again"}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// ImportIfVersion imports a one-record dataset, checking the record's
// version first inside the same transaction: ifVersion > 0 must match the
// stored version; gm.CreateOnly fails with ECONFLICT when the record exists.
func (s *DB) ImportIfVersion(ctx context.Context, clusterID string, ds *gm.Dataset, k gm.RecordKey, ifVersion int64) (*gm.ImportResult, error) {
	w := writerOf(ctx)
	if err := checkCluster(w, clusterID); err != nil {
		return nil, err
	}
	res := &gm.ImportResult{ClusterID: clusterID, Rows: rowCounts(ds)}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.lockWrites(ctx, tx); err != nil {
			return err
		}
		switch {
		case ifVersion == gm.CreateOnly:
			_, err := s.lockedVersion(ctx, tx, clusterID, k)
			if err == nil {
				return &gm.Error{Code: gm.ECONFLICT, Message: fmt.Sprintf("%s %s already exists in cluster %s; use PUT to change it", k.Kind, k.Label(), clusterID)}
			}
			if gm.ErrorCode(err) != gm.ENOTFOUND {
				return err
			}
		case ifVersion > 0:
			v, err := s.lockedVersion(ctx, tx, clusterID, k)
			if err != nil {
				return err
			}
			if v != ifVersion {
				return conflict(k, ifVersion, v)
			}
		}
		created, err := s.importTx(ctx, tx, w, clusterID, ds, gm.ImportOptions{}, res)
		res.CreatedCluster = created
		return err
	})
	if err != nil {
		return nil, s.mapErr(err, "save")
	}
	return res, nil
}

// lockedVersion reads a version so that no other transaction can change the
// record before this one ends (SQLite's write transactions are exclusive;
// PostgreSQL takes a row lock).
func (s *DB) lockedVersion(ctx context.Context, tx *sql.Tx, clusterID string, k gm.RecordKey) (int64, error) {
	if s.dialect != Postgres {
		return s.version(ctx, tx, clusterID, k)
	}
	table, where, args, err := recordWhere(clusterID, k)
	if err != nil {
		return 0, err
	}
	var v int64
	err = tx.QueryRowContext(ctx, s.rebind(`SELECT version FROM `+table+` WHERE `+where+` FOR UPDATE`), args...).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, gm.Errorf(gm.ENOTFOUND, "%s not found in cluster %s", k.Kind, clusterID)
	}
	return v, err
}

// Delete removes one record from the cluster.
func (s *DB) Delete(ctx context.Context, clusterID string, k gm.RecordKey, ifVersion int64) error {
	w := writerOf(ctx)
	if err := checkCluster(w, clusterID); err != nil {
		return err
	}
	return s.mapErr(s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.lockWrites(ctx, tx); err != nil {
			return err
		}
		v, err := s.lockedVersion(ctx, tx, clusterID, k)
		if err != nil {
			return err
		}
		if ifVersion > 0 && v != ifVersion {
			return conflict(k, ifVersion, v)
		}
		if err := s.checkDelete(ctx, tx, w, clusterID, k); err != nil {
			return err
		}
		// Every cluster of the participants involved shows the record (or,
		// for a participant, its list of clusters): all get a new version.
		touched := map[string]bool{clusterID: true}
		if err := s.addClustersOf(ctx, tx, map[string]bool{k.ParticipantID: true, k.SupplierID: true, k.BuyerID: true}, touched); err != nil {
			return err
		}
		if k.Kind == "participant" {
			var n int
			if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM memberships WHERE participant_id = ?`), k.ParticipantID).Scan(&n); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM memberships WHERE cluster_id = ? AND participant_id = ?`), clusterID, k.ParticipantID); err != nil {
				return err
			}
			if n <= 1 {
				if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM participants WHERE id = ?`), k.ParticipantID); err != nil {
					return err
				}
			}
		} else {
			table, where, args, _ := recordWhere(clusterID, k)
			if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM `+table+` WHERE `+where), args...); err != nil {
				return err
			}
		}
		return s.bump(ctx, tx, touched, false)
	}), "delete")
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

// Scenarios lists a cluster's saved scenarios.
func (s *DB) Scenarios(ctx context.Context, clusterID string) ([]gm.StoredScenario, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT id, cluster_id, name, changes, version, created_at, updated_at FROM scenarios WHERE cluster_id = ? ORDER BY created_at, id`), clusterID)
	if err != nil {
		return nil, s.mapErr(err, "scenarios")
	}
	defer rows.Close()
	out := []gm.StoredScenario{}
	for rows.Next() {
		var sc gm.StoredScenario
		var ch string
		if err := rows.Scan(&sc.ID, &sc.ClusterID, &sc.Name, &ch, &sc.Version, &sc.CreatedAt, &sc.UpdatedAt); err != nil {
			return nil, s.mapErr(err, "scenarios")
		}
		sc.Changes = []byte(ch)
		out = append(out, sc)
	}
	return out, s.mapErr(rows.Err(), "scenarios")
}

// Scenario returns one saved scenario.
func (s *DB) Scenario(ctx context.Context, clusterID, id string) (*gm.StoredScenario, error) {
	var sc gm.StoredScenario
	var ch string
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT id, cluster_id, name, changes, version, created_at, updated_at FROM scenarios WHERE cluster_id = ? AND id = ?`), clusterID, id).
		Scan(&sc.ID, &sc.ClusterID, &sc.Name, &ch, &sc.Version, &sc.CreatedAt, &sc.UpdatedAt)
	if err == sql.ErrNoRows {
		return nil, gm.Errorf(gm.ENOTFOUND, "scenario %q not found", id)
	}
	if err != nil {
		return nil, s.mapErr(err, "scenario")
	}
	sc.Changes = []byte(ch)
	return &sc, nil
}

// SaveScenario creates or updates a scenario with optimistic locking.
func (s *DB) SaveScenario(ctx context.Context, sc *gm.StoredScenario) error {
	if err := checkScenario(writerOf(ctx), sc.ClusterID); err != nil {
		return err
	}
	return s.mapErr(s.tx(ctx, func(tx *sql.Tx) error {
		t := now()
		if sc.Version == 0 {
			sc.Version, sc.CreatedAt, sc.UpdatedAt = 1, t, t
			_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO scenarios (id, cluster_id, name, changes, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)`),
				sc.ID, sc.ClusterID, sc.Name, string(sc.Changes), t, t)
			return err
		}
		r, err := tx.ExecContext(ctx, s.rebind(`UPDATE scenarios SET name = ?, changes = ?, version = version + 1, updated_at = ? WHERE cluster_id = ? AND id = ? AND version = ?`),
			sc.Name, string(sc.Changes), t, sc.ClusterID, sc.ID, sc.Version)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			cur, err := s.Scenario(ctx, sc.ClusterID, sc.ID)
			if err != nil {
				return err
			}
			return &gm.Error{Code: gm.ECONFLICT, Message: "the scenario was changed by someone else (version " + itoa(cur.Version) + ", you sent " + itoa(sc.Version) + "); reload it and try again"}
		}
		sc.Version++
		sc.UpdatedAt = t
		return nil
	}), "save scenario")
}

// DeleteScenario deletes a saved scenario.
func (s *DB) DeleteScenario(ctx context.Context, clusterID, id string) error {
	if err := checkScenario(writerOf(ctx), clusterID); err != nil {
		return err
	}
	r, err := s.db.ExecContext(ctx, s.rebind(`DELETE FROM scenarios WHERE cluster_id = ? AND id = ?`), clusterID, id)
	if err != nil {
		return s.mapErr(err, "delete scenario")
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return gm.Errorf(gm.ENOTFOUND, "scenario %q not found", id)
	}
	return nil
}
