package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
)

var _ gm.CampaignStore = (*DB)(nil)

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, q querier, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// forUpdate locks the selected rows on PostgreSQL (SQLite's write
// transactions are exclusive already).
func (s *DB) forUpdate() string {
	if s.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// forShare takes a shared lock on the selected rows on PostgreSQL.
func (s *DB) forShare() string {
	if s.dialect == Postgres {
		return " FOR SHARE"
	}
	return ""
}

const campaignCols = `id, cluster_id, year, deadline, title, status, created_at, created_by`

func scanCampaign(sc scanner) (gm.Campaign, error) {
	var c gm.Campaign
	err := sc.Scan(&c.ID, &c.ClusterID, &c.Year, &c.Deadline, &c.Title, &c.Status, &c.CreatedAt, &c.CreatedBy)
	return c, err
}

// CreateCampaign stores a new campaign; one open campaign per cluster and year.
func (s *DB) CreateCampaign(ctx context.Context, c gm.Campaign) error {
	if err := checkClusterEditor(writerOf(ctx), c.ClusterID); err != nil {
		return err
	}
	return s.mapErr(s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM clusters WHERE id = ?`), c.ClusterID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return gm.Errorf(gm.ENOTFOUND, "cluster %q not found", c.ClusterID)
		}
		if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM campaigns WHERE cluster_id = ? AND year = ? AND status = ?`), c.ClusterID, c.Year, gm.CampaignOpen).Scan(&n); err != nil {
			return err
		}
		if n > 0 && c.Status == gm.CampaignOpen {
			return gm.Errorf(gm.ECONFLICT, "the cluster already has an open campaign for %d", c.Year)
		}
		_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO campaigns (`+campaignCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			c.ID, c.ClusterID, c.Year, c.Deadline, c.Title, c.Status, c.CreatedAt, c.CreatedBy)
		return err
	}), "create campaign")
}

// SetCampaignStatus closes or reopens a campaign (see gm.CampaignStore).
func (s *DB) SetCampaignStatus(ctx context.Context, clusterID, id, status string) (*gm.Campaign, error) {
	if err := checkClusterEditor(writerOf(ctx), clusterID); err != nil {
		return nil, err
	}
	if status != gm.CampaignOpen && status != gm.CampaignClosed {
		return nil, gm.Errorf(gm.EINVALID, "unknown campaign status %q", status)
	}
	var c gm.Campaign
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = scanCampaign(tx.QueryRowContext(ctx, s.rebind(`SELECT `+campaignCols+` FROM campaigns WHERE id = ? AND cluster_id = ?`+s.forUpdate()), id, clusterID))
		if err == sql.ErrNoRows {
			return gm.Errorf(gm.ENOTFOUND, "campaign %q not found in cluster %s", id, clusterID)
		}
		if err != nil {
			return err
		}
		if c.Status == status {
			return gm.Errorf(gm.ECONFLICT, "the campaign is already %s", status)
		}
		if status == gm.CampaignOpen {
			var n int
			if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM campaigns WHERE cluster_id = ? AND year = ? AND status = ? AND id <> ?`),
				clusterID, c.Year, gm.CampaignOpen, id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return gm.Errorf(gm.ECONFLICT, "the cluster already has an open campaign for %d", c.Year)
			}
		}
		c.Status = status
		_, err = tx.ExecContext(ctx, s.rebind(`UPDATE campaigns SET status = ? WHERE id = ? AND cluster_id = ?`), status, id, clusterID)
		return err
	})
	if err != nil {
		return nil, s.mapErr(err, "set the campaign's status")
	}
	return &c, nil
}

// Campaigns lists the cluster's campaigns, the latest year first.
func (s *DB) Campaigns(ctx context.Context, clusterID string) ([]gm.Campaign, error) {
	out, err := queryAll(ctx, s.db, s.rebind(`SELECT `+campaignCols+` FROM campaigns WHERE cluster_id = ? ORDER BY year DESC, created_at DESC, id`), []any{clusterID}, scanCampaign)
	return out, s.mapErr(err, "campaigns")
}

// Campaign returns one campaign of the cluster.
func (s *DB) Campaign(ctx context.Context, clusterID, id string) (*gm.Campaign, error) {
	c, err := scanCampaign(s.db.QueryRowContext(ctx, s.rebind(`SELECT `+campaignCols+` FROM campaigns WHERE id = ? AND cluster_id = ?`), id, clusterID))
	if err == sql.ErrNoRows {
		return nil, gm.Errorf(gm.ENOTFOUND, "campaign %q not found in cluster %s", id, clusterID)
	}
	if err != nil {
		return nil, s.mapErr(err, "campaign")
	}
	return &c, nil
}

const submissionCols = `campaign_id, participant_id, cluster_id, status, body, comment, version, created_at, updated_at, updated_by,
	submitted_at, submitted_by, returned_at, returned_by, accepted_at, accepted_by`

func scanSubmission(sc scanner) (gm.StoredSubmission, error) {
	var v gm.StoredSubmission
	var body string
	err := sc.Scan(&v.CampaignID, &v.ParticipantID, &v.ClusterID, &v.Status, &body, &v.Comment, &v.Version, &v.CreatedAt, &v.UpdatedAt, &v.UpdatedBy,
		&v.SubmittedAt, &v.SubmittedBy, &v.ReturnedAt, &v.ReturnedBy, &v.AcceptedAt, &v.AcceptedBy)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(body), &v.Body); err != nil {
		return v, gm.Internal(err, "decode a stored submission")
	}
	v.Body.Lists()
	return v, nil
}

// Submissions lists a campaign's stored submissions by participant.
func (s *DB) Submissions(ctx context.Context, campaignID string) ([]gm.StoredSubmission, error) {
	out, err := queryAll(ctx, s.db, s.rebind(`SELECT `+submissionCols+` FROM submissions WHERE campaign_id = ? ORDER BY participant_id`), []any{campaignID}, scanSubmission)
	return out, s.mapErr(err, "submissions")
}

func (s *DB) submission(ctx context.Context, q querier, campaignID, pid, lock string) (*gm.StoredSubmission, error) {
	v, err := scanSubmission(q.QueryRowContext(ctx, s.rebind(`SELECT `+submissionCols+` FROM submissions WHERE campaign_id = ? AND participant_id = ?`+lock), campaignID, pid))
	if err == sql.ErrNoRows {
		return nil, gm.Errorf(gm.ENOTFOUND, "no submission of %s in campaign %s", pid, campaignID)
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// Submission returns one stored submission.
func (s *DB) Submission(ctx context.Context, campaignID, pid string) (*gm.StoredSubmission, error) {
	v, err := s.submission(ctx, s.db, campaignID, pid, "")
	return v, s.mapErr(err, "submission")
}

// SaveSubmission creates or updates a submission whose stored status is one
// of from; its Version becomes the stored one.
func (s *DB) SaveSubmission(ctx context.Context, v *gm.StoredSubmission, from []string) error {
	if err := checkSubmitter(writerOf(ctx), v.ClusterID, v.ParticipantID); err != nil {
		return err
	}
	body, err := json.Marshal(v.Body)
	if err != nil {
		return gm.Internal(err, "encode a submission")
	}
	return s.mapErr(s.tx(ctx, func(tx *sql.Tx) error {
		// The campaign is read in the transaction (shared lock on
		// PostgreSQL), so that a close cannot slip between the check and
		// the write.
		var open string
		err := tx.QueryRowContext(ctx, s.rebind(`SELECT status FROM campaigns WHERE id = ? AND cluster_id = ?`+s.forShare()), v.CampaignID, v.ClusterID).Scan(&open)
		if err == sql.ErrNoRows {
			return gm.Errorf(gm.ENOTFOUND, "campaign %q not found in cluster %s", v.CampaignID, v.ClusterID)
		}
		if err != nil {
			return err
		}
		if open != gm.CampaignOpen {
			return gm.Errorf(gm.ECONFLICT, "the campaign is closed")
		}
		cur, err := s.submission(ctx, tx, v.CampaignID, v.ParticipantID, s.forUpdate())
		status := gm.StatusNotStarted
		switch {
		case err == nil:
			status = cur.Status
		case gm.ErrorCode(err) != gm.ENOTFOUND:
			return err
		}
		if !isIn(from, status) {
			return gm.Errorf(gm.ECONFLICT, "the submission is %s; it cannot be changed now", status)
		}
		args := []any{v.Status, string(body), v.Comment, v.UpdatedAt, v.UpdatedBy, v.SubmittedAt, v.SubmittedBy, v.ReturnedAt, v.ReturnedBy, v.AcceptedAt, v.AcceptedBy}
		if cur == nil {
			v.Version, v.CreatedAt = 1, v.UpdatedAt
			_, err = tx.ExecContext(ctx, s.rebind(`INSERT INTO submissions (status, body, comment, updated_at, updated_by, submitted_at, submitted_by, returned_at, returned_by,
				accepted_at, accepted_by, campaign_id, participant_id, cluster_id, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`),
				append(args, v.CampaignID, v.ParticipantID, v.ClusterID, v.CreatedAt)...)
			return err
		}
		v.Version, v.CreatedAt = cur.Version+1, cur.CreatedAt
		_, err = tx.ExecContext(ctx, s.rebind(`UPDATE submissions SET status = ?, body = ?, comment = ?, updated_at = ?, updated_by = ?, submitted_at = ?, submitted_by = ?,
			returned_at = ?, returned_by = ?, accepted_at = ?, accepted_by = ?, version = version + 1 WHERE campaign_id = ? AND participant_id = ?`),
			append(args, v.CampaignID, v.ParticipantID)...)
		return err
	}), "save submission")
}

func isIn(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// ReplaceInvitation revokes the participant's earlier participant tokens
// for the cluster (and ends their sessions), then stores the new token and
// its invitation, in one transaction.
func (s *DB) ReplaceInvitation(ctx context.Context, inv gm.Invitation, t gm.Token) error {
	if err := checkClusterEditor(writerOf(ctx), inv.ClusterID); err != nil {
		return err
	}
	return s.mapErr(s.tx(ctx, func(tx *sql.Tx) error {
		now := time.Now().UTC().Format(time.RFC3339)
		old := `SELECT id FROM tokens WHERE role = ? AND cluster_id = ? AND participant_id = ? AND revoked_at = ''`
		args := []any{gm.RoleParticipant, inv.ClusterID, inv.ParticipantID}
		if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM sessions WHERE token_id IN (`+old+`)`), args...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`UPDATE tokens SET revoked_at = ? WHERE id IN (`+old+`)`), append([]any{now}, args...)...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO tokens (id, secret_hash, role, cluster_id, participant_id, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			t.ID, t.SecretHash, t.Role, t.ClusterID, t.ParticipantID, t.Name, t.CreatedAt); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO invitations (code_hash, token_id, cluster_id, participant_id, campaign_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
			inv.CodeHash, inv.TokenID, inv.ClusterID, inv.ParticipantID, inv.CampaignID, inv.CreatedAt)
		return err
	}), "invite")
}

const invitationCols = `i.code_hash, i.token_id, i.cluster_id, i.participant_id, i.campaign_id, i.created_at, i.used_at`

func scanInvitation(sc scanner) (gm.Invitation, error) {
	var v gm.Invitation
	err := sc.Scan(&v.CodeHash, &v.TokenID, &v.ClusterID, &v.ParticipantID, &v.CampaignID, &v.CreatedAt, &v.UsedAt)
	return v, err
}

// UseInvitation marks an invitation used, once.
func (s *DB) UseInvitation(ctx context.Context, codeHash string) (*gm.Invitation, error) {
	var out *gm.Invitation
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var revoked string
		row := tx.QueryRowContext(ctx, s.rebind(`SELECT `+invitationCols+`, t.revoked_at FROM invitations i JOIN tokens t ON t.id = i.token_id WHERE i.code_hash = ?`+s.forUpdate()), codeHash)
		var v gm.Invitation
		err := row.Scan(&v.CodeHash, &v.TokenID, &v.ClusterID, &v.ParticipantID, &v.CampaignID, &v.CreatedAt, &v.UsedAt, &revoked)
		switch {
		case err == sql.ErrNoRows:
			return gm.Errorf(gm.ENOTFOUND, "unknown invitation link")
		case err != nil:
			return err
		case v.UsedAt != "":
			return gm.Errorf(gm.ECONFLICT, "the invitation link was used already")
		case revoked != "":
			return gm.Errorf(gm.ECONFLICT, "the invitation was replaced by a newer one")
		}
		v.UsedAt = time.Now().UTC().Format(time.RFC3339)
		if _, err := tx.ExecContext(ctx, s.rebind(`UPDATE invitations SET used_at = ? WHERE code_hash = ?`), v.UsedAt, codeHash); err != nil {
			return err
		}
		out = &v
		return nil
	})
	return out, s.mapErr(err, "use invitation")
}

// Invitations lists a campaign's invitations whose tokens are not revoked,
// newest first.
func (s *DB) Invitations(ctx context.Context, campaignID string) ([]gm.Invitation, error) {
	out, err := queryAll(ctx, s.db, s.rebind(`SELECT `+invitationCols+` FROM invitations i JOIN tokens t ON t.id = i.token_id
		WHERE i.campaign_id = ? AND t.revoked_at = '' ORDER BY i.created_at DESC`), []any{campaignID}, scanInvitation)
	return out, s.mapErr(err, "invitations")
}

// yearFilter is the WHERE clause for a cluster and a year (0: every year).
func yearFilter(clusterID string, year int) (string, []any) {
	if year == 0 {
		return `cluster_id = ?`, []any{clusterID}
	}
	return `cluster_id = ? AND year = ?`, []any{clusterID, year}
}

var indicatorColumns = func() string {
	var cols []string
	for _, d := range gm.IndicatorDefs {
		cols = append(cols, d.Key)
	}
	return strings.Join(cols, ", ")
}()

// ReportedIndicators returns the accepted indicators of a year (0: every year).
func (s *DB) ReportedIndicators(ctx context.Context, clusterID string, year int) ([]gm.IndicatorRecord, error) {
	where, args := yearFilter(clusterID, year)
	out, err := queryAll(ctx, s.db, s.rebind(`SELECT cluster_id, participant_id, year, `+indicatorColumns+` FROM reported_indicators WHERE `+where+` ORDER BY year, participant_id`), args,
		func(sc scanner) (gm.IndicatorRecord, error) {
			var r gm.IndicatorRecord
			vals := make([]sql.NullFloat64, len(gm.IndicatorDefs))
			dst := []any{&r.ClusterID, &r.ParticipantID, &r.Year}
			for i := range vals {
				dst = append(dst, &vals[i])
			}
			err := sc.Scan(dst...)
			for i, d := range gm.IndicatorDefs {
				*r.Indicators.Ref(d.Key) = fptr(vals[i])
			}
			return r, err
		})
	return out, s.mapErr(err, "indicators")
}

// ReportedProblems returns the accepted problems of a year (0: every year).
func (s *DB) ReportedProblems(ctx context.Context, clusterID string, year int) ([]gm.ProblemRecord, error) {
	where, args := yearFilter(clusterID, year)
	out, err := queryAll(ctx, s.db, s.rebind(`SELECT cluster_id, participant_id, year, category, text, support_needed FROM reported_problems WHERE `+where+` ORDER BY year, participant_id, pos`), args,
		func(sc scanner) (gm.ProblemRecord, error) {
			var r gm.ProblemRecord
			err := sc.Scan(&r.ClusterID, &r.ParticipantID, &r.Year, &r.Category, &r.Text, &r.SupportNeeded)
			return r, err
		})
	return out, s.mapErr(err, "problems")
}

// OutsidePurchases returns the accepted purchases from outside the cluster
// of a year (0: every year).
func (s *DB) OutsidePurchases(ctx context.Context, clusterID string, year int) ([]gm.OutsidePurchase, error) {
	where, args := yearFilter(clusterID, year)
	out, err := queryAll(ctx, s.db, s.rebind(`SELECT cluster_id, participant_id, year, supplier_name, product_code, value_rub, quantity, unit, documented FROM outside_purchases WHERE `+where+` ORDER BY year, participant_id, pos`), args,
		func(sc scanner) (gm.OutsidePurchase, error) {
			var r gm.OutsidePurchase
			var v, q sql.NullFloat64
			var doc int
			err := sc.Scan(&r.ClusterID, &r.ParticipantID, &r.Year, &r.SupplierName, &r.ProductCode, &v, &q, &r.Unit, &doc)
			r.ValueRUB, r.Quantity, r.Documented = fptr(v), fptr(q), doc != 0
			return r, err
		})
	return out, s.mapErr(err, "outside purchases")
}

// Provenance lists the provenance of the cluster's accepted figures of a
// year (0: every year).
func (s *DB) Provenance(ctx context.Context, clusterID string, year int) ([]gm.Provenance, error) {
	where, args := yearFilter(clusterID, year)
	out, err := queryAll(ctx, s.db, s.rebind(`SELECT kind, record_key, cluster_id, year, participant_id, campaign_id, figure, value_rub, submitted_by, submitted_at, accepted_by, accepted_at
		FROM provenance WHERE `+where+` ORDER BY year, kind, record_key`), args,
		func(sc scanner) (gm.Provenance, error) {
			var p gm.Provenance
			var v sql.NullFloat64
			err := sc.Scan(&p.Kind, &p.Key, &p.ClusterID, &p.Year, &p.ParticipantID, &p.CampaignID, &p.Figure, &v, &p.SubmittedBy, &p.SubmittedAt, &p.AcceptedBy, &p.AcceptedAt)
			p.ValueRUB = fptr(v)
			return p, err
		})
	return out, s.mapErr(err, "provenance")
}

// checkClusterEditor lets through a writer who may edit the whole cluster
// (not one limited to a participant): campaigns and invitations are the
// cluster operator's.
func checkClusterEditor(w gm.Writer, clusterID string) error {
	if w.Participant != "" {
		return forbidden("a participant may not change the cluster's campaigns")
	}
	return checkCluster(w, clusterID)
}

// checkSubmitter lets through the cluster's editor or the participant the
// submission belongs to.
func checkSubmitter(w gm.Writer, clusterID, participantID string) error {
	if w.Participant != "" && w.Participant != participantID {
		return forbidden("a participant may change only its own submission")
	}
	return checkCluster(w, clusterID)
}
