package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

const clusterCols = `id, name, registry_no, specialization, kind, country, participants_count, development_programme, source, version`

func scanCluster(sc interface{ Scan(...any) error }) (gm.Cluster, error) {
	var c gm.Cluster
	var kind string
	var dev sql.NullInt64
	err := sc.Scan(&c.ID, &c.Name, &c.RegistryNo, &c.Specialization, &kind, &c.Country, &c.ParticipantsCount, &dev, &c.Source, &c.Version)
	c.Kind = gm.ClusterKind(kind)
	c.DevelopmentProgramme = bptr(dev)
	return c, err
}

// regionsOf loads the regions of the given clusters.
func (s *DB) regionsOf(ctx context.Context, q querier, cs []gm.Cluster) error {
	if len(cs) == 0 {
		return nil
	}
	idx := map[string]int{}
	ids := make([]any, len(cs))
	for i, c := range cs {
		idx[c.ID] = i
		ids[i] = c.ID
		cs[i].Regions = []string{}
	}
	for _, chunk := range chunks(ids, 500) {
		rows, err := q.QueryContext(ctx, s.rebind(`SELECT cluster_id, region FROM cluster_regions WHERE cluster_id IN (`+placeholders(len(chunk))+`) ORDER BY cluster_id, pos`), chunk...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, r string
			if err := rows.Scan(&id, &r); err != nil {
				rows.Close()
				return err
			}
			cs[idx[id]].Regions = append(cs[idx[id]].Regions, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

func chunks(a []any, n int) [][]any {
	var out [][]any
	for len(a) > n {
		out = append(out, a[:n])
		a = a[n:]
	}
	if len(a) > 0 {
		out = append(out, a)
	}
	return out
}

// ListClusters returns the clusters matching f, ordered by registry number
// (registered first) and then id, and the number of matches.
func (s *DB) ListClusters(ctx context.Context, f gm.ClusterFilter) ([]gm.Cluster, int, error) {
	for _, v := range []struct{ name, value string }{{"q", f.Query}, {"specialization", f.Specialization}, {"region", f.Region}, {"kind", f.Kind}} {
		if err := checkFilter(v.name, v.value); err != nil {
			return nil, 0, err
		}
	}
	var where []string
	var args []any
	like := func(col, v string) {
		where = append(where, "LOWER("+col+`) LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(strings.ToLower(v))+"%")
	}
	if f.Query != "" {
		like("name", f.Query)
	}
	if f.Specialization != "" {
		like("specialization", f.Specialization)
	}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	} else if f.Scope != gm.ScopeAll {
		op := "NOT IN"
		if f.Scope == gm.ScopeEurasia {
			op = "IN"
		}
		where = append(where, "kind "+op+" (?, ?, ?)")
		args = append(args, string(gm.ClusterForeign), string(gm.ClusterPlanned), string(gm.ClusterUnregistered))
	}
	if f.Region != "" {
		where = append(where, `id IN (SELECT cluster_id FROM cluster_regions WHERE LOWER(region) LIKE ? ESCAPE '\')`)
		args = append(args, "%"+escapeLike(strings.ToLower(f.Region))+"%")
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	// SQLite's LOWER only folds ASCII; filter Cyrillic in Go when needed.
	needGo := (nonASCII(f.Query) || nonASCII(f.Specialization) || nonASCII(f.Region))
	var total int
	if !needGo {
		if err := s.db.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM clusters`+w), args...).Scan(&total); err != nil {
			return nil, 0, s.mapErr(err, "count clusters")
		}
	}
	q := `SELECT ` + clusterCols + ` FROM clusters` + w + ` ORDER BY CASE WHEN registry_no = 0 THEN 1 ELSE 0 END, registry_no, id`
	qargs := args
	if !needGo && f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		qargs = append(append([]any{}, args...), f.Limit, f.Offset)
	}
	if needGo {
		q = `SELECT ` + clusterCols + ` FROM clusters` + ` ORDER BY CASE WHEN registry_no = 0 THEN 1 ELSE 0 END, registry_no, id`
		qargs = nil
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(q), qargs...)
	if err != nil {
		return nil, 0, s.mapErr(err, "list clusters")
	}
	var out []gm.Cluster
	for rows.Next() {
		c, err := scanCluster(rows)
		if err != nil {
			rows.Close()
			return nil, 0, s.mapErr(err, "list clusters")
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, s.mapErr(err, "list clusters")
	}
	if err := s.regionsOf(ctx, s.db, out); err != nil {
		return nil, 0, s.mapErr(err, "list clusters")
	}
	if needGo {
		var kept []gm.Cluster
		for _, c := range out {
			if matchCluster(c, f) {
				kept = append(kept, c)
			}
		}
		total = len(kept)
		if f.Offset > len(kept) {
			kept = nil
		} else {
			kept = kept[f.Offset:]
		}
		if f.Limit > 0 && len(kept) > f.Limit {
			kept = kept[:f.Limit]
		}
		out = kept
	}
	if out == nil {
		out = []gm.Cluster{}
	}
	return out, total, nil
}

// MaxFilterLen is the longest text filter accepted, in characters.
const MaxFilterLen = 200

// checkFilter refuses a text filter longer than MaxFilterLen.
func checkFilter(name, v string) error {
	if n := len([]rune(v)); n > MaxFilterLen {
		return gm.Invalid("filter too long", []gm.Problem{{Column: name, Value: v, Message: fmt.Sprintf("longer than %d characters (%d)", MaxFilterLen, n),
			MessageRU: fmt.Sprintf("длиннее %d символов (%d)", MaxFilterLen, n)}})
	}
	return nil
}

// escapeLike makes % and _ (and the escape character \) match themselves in
// a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

func nonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

func contains(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }

func matchCluster(c gm.Cluster, f gm.ClusterFilter) bool {
	if f.Query != "" && !contains(c.Name, f.Query) {
		return false
	}
	if f.Specialization != "" && !contains(c.Specialization, f.Specialization) {
		return false
	}
	if f.Kind != "" && string(c.Kind) != f.Kind || !f.InScope(c.Kind) {
		return false
	}
	if f.Region != "" {
		ok := false
		for _, r := range c.Regions {
			if contains(r, f.Region) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// GetCluster returns one cluster.
func (s *DB) GetCluster(ctx context.Context, id string) (*gm.Cluster, error) {
	c, err := scanCluster(s.db.QueryRowContext(ctx, s.rebind(`SELECT `+clusterCols+` FROM clusters WHERE id = ?`), id))
	if err == sql.ErrNoRows {
		return nil, gm.Errorf(gm.ENOTFOUND, "cluster %q not found", id)
	}
	if err != nil {
		return nil, s.mapErr(err, "get cluster")
	}
	cs := []gm.Cluster{c}
	if err := s.regionsOf(ctx, s.db, cs); err != nil {
		return nil, s.mapErr(err, "get cluster")
	}
	return &cs[0], nil
}

// RegionRating returns the national rating, best first.
func (s *DB) RegionRating(ctx context.Context) ([]gm.RegionRating, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT rank, region, s1, s2, s3, s4, s5, total, source FROM region_rating ORDER BY rank`)
	if err != nil {
		return nil, s.mapErr(err, "rating")
	}
	defer rows.Close()
	out := []gm.RegionRating{}
	for rows.Next() {
		var r gm.RegionRating
		if err := rows.Scan(&r.Rank, &r.Region, &r.S1, &r.S2, &r.S3, &r.S4, &r.S5, &r.Total, &r.Source); err != nil {
			return nil, s.mapErr(err, "rating")
		}
		out = append(out, r)
	}
	return out, s.mapErr(rows.Err(), "rating")
}

// DataVersion returns the global data version.
func (s *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT v FROM data_version WHERE id = 1`).Scan(&v)
	return v, s.mapErr(err, "data version")
}

// Employment returns the employment table.
func (s *DB) Employment(ctx context.Context) ([]gm.Employment, error) {
	return s.employment(ctx, s.db)
}

func (s *DB) employment(ctx context.Context, q querier) ([]gm.Employment, error) {
	rows, err := q.QueryContext(ctx, `SELECT region, industry, grp, year, employees FROM employment ORDER BY region, industry, grp, year`)
	if err != nil {
		return nil, s.mapErr(err, "employment")
	}
	defer rows.Close()
	var out []gm.Employment
	for rows.Next() {
		var e gm.Employment
		if err := rows.Scan(&e.Region, &e.Industry, &e.Group, &e.Year, &e.Employees); err != nil {
			return nil, s.mapErr(err, "employment")
		}
		out = append(out, e)
	}
	return out, s.mapErr(rows.Err(), "employment")
}

// ClusterData returns the cluster's whole dataset, sorted by key so that
// exports are deterministic.
func (s *DB) ClusterData(ctx context.Context, clusterID string) (*gm.Dataset, error) {
	var ds *gm.Dataset
	err := s.readTx(ctx, func(q querier) error {
		var err error
		ds, err = s.clusterData(ctx, q, clusterID)
		return err
	})
	if err != nil {
		return nil, s.mapErr(err, "cluster data")
	}
	return ds, nil
}

// readTx runs fn in a read transaction so that it sees one snapshot. On
// SQLite a read-only transaction is a deferred BEGIN: it takes no write lock,
// so reads go on while another connection writes (WAL). On PostgreSQL it is
// REPEATABLE READ, so that every query of fn sees the same snapshot (READ
// COMMITTED would give each statement its own).
func (s *DB) readTx(ctx context.Context, fn func(querier) error) error {
	opt := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opt.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opt)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// scanRows runs query and returns every row as scan reads it: the one
// query/scan/close loop of the read path.
func scanRows[T any](ctx context.Context, q querier, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

const participantCols = `p.id, COALESCE(p.inn, ''), p.name, p.kind, p.final_producer, p.region, p.country, p.okved, p.sme, p.employees,
	p.revenue_rub, p.final_sales_rub, p.year, p.illustrative, p.source, p.domestic_purchases_rub, p.plans_production, p.defence`

func scanParticipant(sc scanner) (gm.Participant, error) {
	var p gm.Participant
	var kind string
	var fp, ill, plans, def int
	var sme, emp sql.NullInt64
	var rev, fs, dom sql.NullFloat64
	err := sc.Scan(&p.ID, &p.INN, &p.Name, &kind, &fp, &p.Region, &p.Country, &p.OKVED, &sme, &emp, &rev, &fs, &p.Year, &ill, &p.Source, &dom, &plans, &def)
	p.Kind, p.FinalProducer, p.Illustrative = gm.ParticipantKind(kind), fp != 0, ill != 0
	p.SME, p.Employees, p.RevenueRUB, p.FinalSalesRUB = bptr(sme), iptr(emp), fptr(rev), fptr(fs)
	p.DomesticPurchasesRUB, p.PlansProduction, p.Defence = fptr(dom), plans != 0, def != 0
	return p, err
}

func scanLink(sc scanner) (gm.SupplyLink, error) {
	var l gm.SupplyLink
	var v, qn sql.NullFloat64
	var doc, ill int
	err := sc.Scan(&l.SupplierID, &l.BuyerID, &l.ProductCode, &l.Year, &v, &qn, &l.Unit, &doc, &ill, &l.Source)
	l.ValueRUB, l.Quantity, l.Documented, l.Illustrative = fptr(v), fptr(qn), doc != 0, ill != 0
	return l, err
}

func scanImport(sc scanner) (gm.Import, error) {
	var m gm.Import
	var qn sql.NullFloat64
	var ill int
	err := sc.Scan(&m.ParticipantID, &m.ProductCode, &m.Year, &m.Country, &m.ValueRUB, &qn, &m.Unit, &ill, &m.Source)
	m.Quantity, m.Illustrative = fptr(qn), ill != 0
	return m, err
}

func scanCapacity(sc scanner) (gm.Capacity, error) {
	var m gm.Capacity
	var qn sql.NullFloat64
	var ill int
	err := sc.Scan(&m.ParticipantID, &m.ProductCode, &m.Year, &m.ValueRUB, &qn, &m.Unit, &ill, &m.Source)
	m.Quantity, m.Illustrative = fptr(qn), ill != 0
	return m, err
}

const projectCols = `p.id, p.participant_id, p.product_code, p.name, p.import_substitution, p.year, p.investment_rub, p.status, p.illustrative, p.source`

func scanProject(sc scanner) (gm.Project, error) {
	var p gm.Project
	var is, ill int
	var inv sql.NullFloat64
	err := sc.Scan(&p.ID, &p.ParticipantID, &p.ProductCode, &p.Name, &is, &p.Year, &inv, &p.Status, &ill, &p.Source)
	p.ImportSubstitution, p.InvestmentRUB, p.Illustrative = is != 0, fptr(inv), ill != 0
	return p, err
}

const productCols = `code, name, unit, import_substitution, inputs, source`

func scanProduct(sc scanner) (gm.Product, error) {
	var p gm.Product
	var is int
	var inputs string
	err := sc.Scan(&p.Code, &p.Name, &p.Unit, &is, &inputs, &p.Source)
	p.ImportSubstitution = is != 0
	if inputs != "" {
		p.Inputs = strings.Split(inputs, ";")
	}
	return p, err
}

// clusterData reads the cluster's dataset in q's snapshot: the cluster and
// the other clusters its participants belong to, its participants with
// their memberships, the links between them, their imports, capacities and
// projects, and the products referred to (with their inputs).
func (s *DB) clusterData(ctx context.Context, q querier, clusterID string) (*gm.Dataset, error) {
	c, err := scanCluster(q.QueryRowContext(ctx, s.rebind(`SELECT `+clusterCols+` FROM clusters WHERE id = ?`), clusterID))
	if err == sql.ErrNoRows {
		return nil, gm.Errorf(gm.ENOTFOUND, "cluster %q not found", clusterID)
	}
	if err != nil {
		return nil, err
	}
	ds := &gm.Dataset{Clusters: []gm.Cluster{c}}
	id := []any{clusterID}
	member := func(table, col string) string {
		return ` JOIN memberships m ON m.participant_id = ` + table + `.` + col + ` AND m.cluster_id = ?`
	}
	if ds.Participants, err = scanRows(ctx, q, s.rebind(`SELECT `+participantCols+` FROM participants p`+member("p", "id")+` ORDER BY p.id`), id, scanParticipant); err != nil {
		return nil, err
	}
	if err := s.membershipsIn(ctx, q, clusterID, ds); err != nil {
		return nil, err
	}
	if ds.Links, err = scanRows(ctx, q, s.rebind(`SELECT l.supplier_id, l.buyer_id, l.product_code, l.year, l.value_rub, l.quantity, l.unit, l.documented, l.illustrative, l.source
		FROM links l
		JOIN memberships a ON a.participant_id = l.supplier_id AND a.cluster_id = ?
		JOIN memberships b ON b.participant_id = l.buyer_id AND b.cluster_id = ?
		ORDER BY l.supplier_id, l.buyer_id, l.product_code, l.year`), []any{clusterID, clusterID}, scanLink); err != nil {
		return nil, err
	}
	if ds.Imports, err = scanRows(ctx, q, s.rebind(`SELECT i.participant_id, i.product_code, i.year, i.country, i.value_rub, i.quantity, i.unit, i.illustrative, i.source
		FROM imports i`+member("i", "participant_id")+` ORDER BY i.participant_id, i.product_code, i.year, i.country`), id, scanImport); err != nil {
		return nil, err
	}
	if ds.Capacities, err = scanRows(ctx, q, s.rebind(`SELECT c.participant_id, c.product_code, c.year, c.value_rub, c.quantity, c.unit, c.illustrative, c.source
		FROM capacities c`+member("c", "participant_id")+` ORDER BY c.participant_id, c.product_code, c.year`), id, scanCapacity); err != nil {
		return nil, err
	}
	if ds.Projects, err = scanRows(ctx, q, s.rebind(`SELECT `+projectCols+` FROM projects p`+member("p", "participant_id")+` ORDER BY p.id`), id, scanProject); err != nil {
		return nil, err
	}
	if ds.Products, err = s.productsOf(ctx, q, ds); err != nil {
		return nil, err
	}
	return ds, nil
}

// membershipsIn fills in the clusters of the dataset's participants and
// adds the registry rows of the other clusters they belong to.
func (s *DB) membershipsIn(ctx context.Context, q querier, clusterID string, ds *gm.Dataset) error {
	type pair struct{ pid, cid string }
	pairs, err := scanRows(ctx, q, s.rebind(`SELECT m2.participant_id, m2.cluster_id FROM memberships m2
		JOIN memberships m ON m.participant_id = m2.participant_id AND m.cluster_id = ? ORDER BY m2.participant_id, m2.cluster_id`), []any{clusterID},
		func(sc scanner) (pair, error) {
			var p pair
			return p, sc.Scan(&p.pid, &p.cid)
		})
	if err != nil {
		return err
	}
	idx := map[string]int{}
	for i, p := range ds.Participants {
		idx[p.ID] = i
	}
	others := map[string]bool{}
	for _, p := range pairs {
		ds.Participants[idx[p.pid]].Clusters = append(ds.Participants[idx[p.pid]].Clusters, p.cid)
		if p.cid != clusterID {
			others[p.cid] = true
		}
	}
	ids := make([]string, 0, len(others))
	for id := range others {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		oc, err := scanCluster(q.QueryRowContext(ctx, s.rebind(`SELECT `+clusterCols+` FROM clusters WHERE id = ?`), id))
		if err != nil {
			return err
		}
		// Another cluster's row is registry context here; its data version
		// is its own (it would change this cluster's export at every change
		// there).
		oc.Version = 0
		ds.Clusters = append(ds.Clusters, oc)
	}
	return s.regionsOf(ctx, q, ds.Clusters)
}

// productsOf returns the products the dataset refers to and their inputs,
// sorted by code.
func (s *DB) productsOf(ctx context.Context, q querier, ds *gm.Dataset) ([]gm.Product, error) {
	codes := map[string]bool{}
	add := func(c string) {
		if c != "" {
			codes[c] = true
		}
	}
	for _, l := range ds.Links {
		add(l.ProductCode)
	}
	for _, m := range ds.Imports {
		add(m.ProductCode)
	}
	for _, m := range ds.Capacities {
		add(m.ProductCode)
	}
	for _, p := range ds.Projects {
		add(p.ProductCode)
	}
	out, err := s.products(ctx, q, codes)
	if err != nil {
		return nil, err
	}
	more := map[string]bool{}
	for _, p := range out {
		for _, in := range p.Inputs {
			if !codes[in] {
				more[in] = true
			}
		}
	}
	if len(more) == 0 {
		return out, nil
	}
	extra, err := s.products(ctx, q, more)
	if err != nil {
		return nil, err
	}
	out = append(out, extra...)
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

func (s *DB) products(ctx context.Context, q querier, codes map[string]bool) ([]gm.Product, error) {
	var ids []any
	for c := range codes {
		ids = append(ids, c)
	}
	var out []gm.Product
	for _, chunk := range chunks(ids, 500) {
		ps, err := scanRows(ctx, q, s.rebind(`SELECT `+productCols+` FROM products WHERE code IN (`+placeholders(len(chunk))+`)`), chunk, scanProduct)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// Products returns the product catalogue, filtered by a substring of the code
// or name, ordered by code, and the number of matches.
func (s *DB) Products(ctx context.Context, q string, limit, offset int) ([]gm.Product, int, error) {
	if err := checkFilter("q", q); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+productCols+` FROM products ORDER BY code`)
	if err != nil {
		return nil, 0, s.mapErr(err, "products")
	}
	defer rows.Close()
	out := []gm.Product{}
	total := 0
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, 0, s.mapErr(err, "products")
		}
		if q != "" && !contains(p.Code, q) && !contains(p.Name, q) {
			continue
		}
		total++
		if total <= offset || (limit > 0 && len(out) >= limit) {
			continue
		}
		out = append(out, p)
	}
	return out, total, s.mapErr(rows.Err(), "products")
}
