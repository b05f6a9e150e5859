package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// AcceptSubmission writes a submitted submission into its cluster's data
// for the campaign year and marks it accepted, in one transaction: the
// participant's own records of the year are replaced by the plan
// (gm.PlanAccept) made from the submission and the campaign's other
// accepted submissions as they are inside the transaction; only the
// campaign's cluster and its participants are written; the data version of
// every cluster of the participant is renewed, so analyses recompute.
func (s *DB) AcceptSubmission(ctx context.Context, a gm.Acceptance) error {
	w := writerOf(ctx)
	if err := checkClusterEditor(w, a.ClusterID); err != nil {
		return err
	}
	return s.mapErr(s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.lockWrites(ctx, tx); err != nil {
			return err
		}
		c, err := scanCampaign(tx.QueryRowContext(ctx, s.rebind(`SELECT `+campaignCols+` FROM campaigns WHERE id = ? AND cluster_id = ?`), a.CampaignID, a.ClusterID))
		if err == sql.ErrNoRows {
			return gm.Errorf(gm.ENOTFOUND, "campaign %q not found in cluster %s", a.CampaignID, a.ClusterID)
		}
		if err != nil {
			return err
		}
		sub, err := s.submission(ctx, tx, a.CampaignID, a.ParticipantID, s.forUpdate())
		if err != nil {
			return err
		}
		if sub.Status != gm.StatusSubmitted {
			return gm.Errorf(gm.ECONFLICT, "the submission is %s; only a submitted one can be accepted", sub.Status)
		}
		members, err := queryAll(ctx, tx, s.rebind(`SELECT participant_id FROM memberships WHERE cluster_id = ?`), []any{a.ClusterID},
			scanString)
		if err != nil {
			return err
		}
		in := gm.AcceptInput{Campaign: c, Submission: *sub, Members: map[string]bool{}, AcceptedBy: a.AcceptedBy, AcceptedAt: a.AcceptedAt}
		for _, m := range members {
			in.Members[m] = true
		}
		in.Accepted, err = queryAll(ctx, tx, s.rebind(`SELECT `+submissionCols+` FROM submissions WHERE campaign_id = ? AND status = ? AND participant_id <> ? ORDER BY participant_id`),
			[]any{a.CampaignID, gm.StatusAccepted, a.ParticipantID}, scanSubmission)
		if err != nil {
			return err
		}
		plan, err := gm.PlanAccept(in)
		if err != nil {
			return err
		}
		if err := s.checkAcceptOwned(ctx, tx, w, a.ParticipantID); err != nil {
			return err
		}
		if err := s.writePlan(ctx, tx, w, c, plan); err != nil {
			return err
		}
		sub.Status, sub.AcceptedBy, sub.AcceptedAt = gm.StatusAccepted, a.AcceptedBy, a.AcceptedAt
		if _, err := tx.ExecContext(ctx, s.rebind(`UPDATE submissions SET status = ?, accepted_at = ?, accepted_by = ?, updated_at = ?, updated_by = ?, version = version + 1
			WHERE campaign_id = ? AND participant_id = ?`), sub.Status, a.AcceptedAt, a.AcceptedBy, a.AcceptedAt, a.AcceptedBy, a.CampaignID, a.ParticipantID); err != nil {
			return err
		}
		touched := map[string]bool{a.ClusterID: true}
		if err := s.addClustersOf(ctx, tx, map[string]bool{a.ParticipantID: true}, touched); err != nil {
			return err
		}
		return s.bump(ctx, tx, touched, false)
	}), "accept")
}

// checkAcceptOwned refuses an acceptance that would replace the records of a
// participant the writer does not own (see owner): one that also belongs to
// a cluster the writer may not change. Its imports, capacities and incoming
// links are that other cluster's data too. The message does not say which
// cluster.
func (s *DB) checkAcceptOwned(ctx context.Context, tx *sql.Tx, w gm.Writer, pid string) error {
	if w.Admin {
		return nil
	}
	members, err := s.membershipsOf(ctx, tx, map[string]bool{pid: true})
	if err != nil {
		return err
	}
	for _, c := range members[pid] {
		if !w.CanEditCluster(c) {
			return &gm.Error{Code: gm.EFORBIDDEN,
				Message: fmt.Sprintf("participant %s also belongs to a cluster your token may not change; its figures can be accepted only by an editor of all its clusters or an admin; nothing was stored", pid),
				Details: []gm.Problem{{Record: "submission", Column: "participant_id", Value: pid,
					Message:   "the participant also belongs to a cluster your token may not change",
					MessageRU: "участник входит и в другой кластер, который ваш токен не может изменять; принять его данные может редактор всех его кластеров или администратор"}}}
		}
	}
	return nil
}

// deleteOwnedPurchases removes the year's links into pid whose supplier the
// writer owns; a link from a supplier that also belongs to a cluster the
// writer may not change stays (the plan may then restate it only as it is).
func (s *DB) deleteOwnedPurchases(ctx context.Context, tx *sql.Tx, w gm.Writer, pid string, year int) error {
	suppliers, err := queryAll(ctx, tx, s.rebind(`SELECT DISTINCT supplier_id FROM links WHERE buyer_id = ? AND year = ?`), []any{pid, year}, scanString)
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	for _, id := range suppliers {
		ids[id] = true
	}
	members, err := s.membershipsOf(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, sup := range suppliers {
		if !w.Admin && slices.ContainsFunc(members[sup], func(c string) bool { return !w.CanEditCluster(c) }) {
			continue
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM links WHERE supplier_id = ? AND buyer_id = ? AND year = ?`), sup, pid, year); err != nil {
			return err
		}
	}
	return nil
}

// writePlan replaces the participant's records of the year with the plan.
func (s *DB) writePlan(ctx context.Context, tx *sql.Tx, w gm.Writer, c gm.Campaign, pl *gm.AcceptPlan) error {
	pid, y := pl.ParticipantID, pl.Year
	if err := s.deleteOwnedPurchases(ctx, tx, w, pid, y); err != nil {
		return err
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM imports WHERE participant_id = ? AND year = ?`, []any{pid, y}},
		{`DELETE FROM capacities WHERE participant_id = ? AND year = ?`, []any{pid, y}},
		{`DELETE FROM reported_indicators WHERE cluster_id = ? AND participant_id = ? AND year = ?`, []any{c.ClusterID, pid, y}},
		{`DELETE FROM reported_problems WHERE cluster_id = ? AND participant_id = ? AND year = ?`, []any{c.ClusterID, pid, y}},
		{`DELETE FROM outside_purchases WHERE cluster_id = ? AND participant_id = ? AND year = ?`, []any{c.ClusterID, pid, y}},
		{`DELETE FROM provenance WHERE cluster_id = ? AND participant_id = ? AND year = ? AND kind <> 'link'`, []any{c.ClusterID, pid, y}},
	} {
		if _, err := tx.ExecContext(ctx, s.rebind(q.sql), q.args...); err != nil {
			return err
		}
	}
	ds := &gm.Dataset{Links: pl.Links, Imports: pl.Imports, Capacities: pl.Capacities}
	if _, err := s.importTx(ctx, tx, w, c.ClusterID, ds, gm.ImportOptions{}, &gm.ImportResult{}); err != nil {
		return err
	}
	vals := []any{c.ClusterID, pid, y}
	for _, d := range gm.IndicatorDefs {
		vals = append(vals, nf(pl.Indicators.Get(d.Key)))
	}
	if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO reported_indicators (cluster_id, participant_id, year, `+indicatorColumns+`) VALUES (`+placeholders(len(vals))+`)`), vals...); err != nil {
		return err
	}
	for i, p := range pl.Problems {
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO reported_problems (cluster_id, participant_id, year, pos, category, text, support_needed) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			c.ClusterID, pid, y, i, p.Category, p.Text, p.SupportNeeded); err != nil {
			return err
		}
	}
	for i, p := range pl.Outside {
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO outside_purchases (cluster_id, participant_id, year, pos, supplier_name, product_code, value_rub, quantity, unit, documented)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), c.ClusterID, pid, y, i, p.SupplierName, p.ProductCode, nf(p.ValueRUB), nf(p.Quantity), p.Unit, b2i(p.Documented)); err != nil {
			return err
		}
	}
	return s.writeProvenance(ctx, tx, c, pl)
}

// writeProvenance stores the plan's provenance and forgets that of the
// year's links that no longer exist (a buyer's report replaced them).
func (s *DB) writeProvenance(ctx context.Context, tx *sql.Tx, c gm.Campaign, pl *gm.AcceptPlan) error {
	st, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO provenance (kind, record_key, cluster_id, year, participant_id, campaign_id, figure, value_rub, submitted_by, submitted_at, accepted_by, accepted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, record_key) DO UPDATE SET cluster_id = excluded.cluster_id, year = excluded.year, participant_id = excluded.participant_id,
		campaign_id = excluded.campaign_id, figure = excluded.figure, value_rub = excluded.value_rub, submitted_by = excluded.submitted_by,
		submitted_at = excluded.submitted_at, accepted_by = excluded.accepted_by, accepted_at = excluded.accepted_at`))
	if err != nil {
		return err
	}
	defer st.Close()
	for _, p := range pl.Provenance {
		if _, err := st.ExecContext(ctx, p.Kind, p.Key, p.ClusterID, p.Year, p.ParticipantID, p.CampaignID, p.Figure, nf(p.ValueRUB), p.SubmittedBy, p.SubmittedAt, p.AcceptedBy, p.AcceptedAt); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, s.rebind(`DELETE FROM provenance WHERE kind = 'link' AND cluster_id = ? AND year = ? AND NOT EXISTS (SELECT 1 FROM links l
		WHERE l.supplier_id || '|' || l.buyer_id || '|' || l.product_code || '|' || CAST(l.year AS TEXT) = provenance.record_key)`), c.ClusterID, pl.Year)
	return err
}

func scanString(sc scanner) (string, error) {
	var v string
	err := sc.Scan(&v)
	return v, err
}
