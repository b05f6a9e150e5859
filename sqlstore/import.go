package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Import validates ds against itself and the stored data and, unless it is a
// dry run, stores it into the cluster in one transaction: everything or
// nothing. Records are upserted by key (participant id, product code,
// (supplier, buyer, product, year), …), so importing the same data twice
// changes nothing.
func (s *DB) Import(ctx context.Context, clusterID string, ds *gm.Dataset, opt gm.ImportOptions) (*gm.ImportResult, error) {
	if !gm.ValidID(clusterID) {
		return nil, gm.Errorf(gm.EINVALID, "invalid cluster id %q: use 1-64 letters, digits or _-.:", clusterID)
	}
	w := writerOf(ctx)
	if err := checkCluster(w, clusterID); err != nil {
		return nil, err
	}
	res := &gm.ImportResult{ClusterID: clusterID, DryRun: opt.DryRun, Rows: rowCounts(ds)}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.lockWrites(ctx, tx); err != nil {
			return err
		}
		created, err := s.importTx(ctx, tx, w, clusterID, ds, opt, res)
		res.CreatedCluster = created
		if err != nil {
			return err
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if err == errDryRun {
		return res, nil
	}
	if err != nil {
		return nil, s.mapErr(err, "import")
	}
	return res, nil
}

var errDryRun = fmt.Errorf("dry run")

func rowCounts(ds *gm.Dataset) map[string]int {
	m := map[string]int{}
	add := func(k string, n int) {
		if n > 0 {
			m[k] = n
		}
	}
	add("clusters", len(ds.Clusters))
	add("participants", len(ds.Participants))
	add("products", len(ds.Products))
	add("links", len(ds.Links))
	add("imports", len(ds.Imports))
	add("capacities", len(ds.Capacities))
	add("projects", len(ds.Projects))
	add("employment", len(ds.Employment))
	return m
}

// validateAgainstStore checks ds with the store's participants, products,
// clusters and INNs as context. Of the stored participants, only those the
// writer can see count (see visibleIn): any other id is unknown, and an INN
// taken by one of them does not name it.
func (s *DB) validateAgainstStore(ctx context.Context, q querier, w gm.Writer, clusterID string, ds *gm.Dataset) ([]gm.Problem, error) {
	inFile := map[string]bool{}
	for _, p := range ds.Participants {
		inFile[p.ID] = true
	}
	want := map[string]bool{}
	ref := func(id string) {
		if id != "" && !inFile[id] {
			want[id] = true
		}
	}
	for _, l := range ds.Links {
		ref(l.SupplierID)
		ref(l.BuyerID)
	}
	for _, m := range ds.Imports {
		ref(m.ParticipantID)
	}
	for _, m := range ds.Capacities {
		ref(m.ParticipantID)
	}
	for _, m := range ds.Projects {
		ref(m.ParticipantID)
	}
	visible, pre := visibleIn(w, clusterID)
	known, err := s.existingArgs(ctx, q, visible, pre, want)
	if err != nil {
		return nil, err
	}
	productsInFile := map[string]bool{}
	for _, p := range ds.Products {
		productsInFile[p.Code] = true
	}
	wantP := map[string]bool{}
	refP := func(c string) {
		if c != "" && !productsInFile[c] {
			wantP[c] = true
		}
	}
	for _, l := range ds.Links {
		refP(l.ProductCode)
	}
	for _, m := range ds.Imports {
		refP(m.ProductCode)
	}
	for _, m := range ds.Capacities {
		refP(m.ProductCode)
	}
	for _, m := range ds.Projects {
		refP(m.ProductCode)
	}
	var knownP map[string]bool
	if len(ds.Products) > 0 {
		if knownP, err = s.existing(ctx, q, `SELECT code FROM products WHERE code IN (%s)`, wantP); err != nil {
			return nil, err
		}
	}
	problems := ds.Validate(gm.ValidationOptions{KnownParticipants: known, KnownProducts: knownP})
	more, err := s.clusterRefProblems(ctx, q, clusterID, ds)
	if err != nil {
		return nil, err
	}
	problems = append(problems, more...)
	more, err = s.innProblems(ctx, q, visible, pre, inFile, ds)
	return append(problems, more...), err
}

// clusterRefProblems reports clusters named in participants' clusters
// column that neither exist nor are in the dataset.
func (s *DB) clusterRefProblems(ctx context.Context, q querier, clusterID string, ds *gm.Dataset) ([]gm.Problem, error) {
	var problems []gm.Problem
	clustersInFile := map[string]bool{clusterID: true}
	for _, c := range ds.Clusters {
		clustersInFile[c.ID] = true
	}
	wantC := map[string]bool{}
	for _, p := range ds.Participants {
		for _, c := range p.Clusters {
			if !clustersInFile[c] {
				wantC[c] = true
			}
		}
	}
	knownC, err := s.existing(ctx, q, `SELECT id FROM clusters WHERE id IN (%s)`, wantC)
	if err != nil {
		return nil, err
	}
	for _, p := range ds.Participants {
		for _, c := range p.Clusters {
			if !clustersInFile[c] && !knownC[c] && gm.ValidID(c) {
				problems = append(problems, gm.Problem{File: p.Pos.File, Row: p.Pos.Row, Record: p.ID, Column: "clusters", Value: c,
					Message: "unknown cluster: add it to clusters or leave it out", MessageRU: "неизвестный кластер: добавьте его в лист clusters или уберите"})
			}
		}
	}
	return problems, nil
}

// innProblems reports INNs that belong to another stored participant, named
// only when the writer can see it (visible, pre: see visibleIn).
func (s *DB) innProblems(ctx context.Context, q querier, visible string, pre []any, inFile map[string]bool, ds *gm.Dataset) ([]gm.Problem, error) {
	var problems []gm.Problem
	for _, p := range ds.Participants {
		if p.INN == "" || !gm.ValidINN(p.INN) {
			continue
		}
		var other string
		err := q.QueryRowContext(ctx, s.rebind(`SELECT id FROM participants WHERE inn = ? AND id <> ?`), p.INN, p.ID).Scan(&other)
		if err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		if err != nil || inFile[other] {
			continue
		}
		seen, err := s.existingArgs(ctx, q, visible, pre, map[string]bool{other: true})
		if err != nil {
			return nil, err
		}
		if seen[other] {
			problems = append(problems, gm.Problem{File: p.Pos.File, Row: p.Pos.Row, Record: p.ID, Column: "inn", Value: p.INN,
				Message: "INN already belongs to stored participant " + other + "; use that id", MessageRU: "ИНН уже принадлежит участнику " + other + "; используйте его идентификатор"})
		} else {
			problems = append(problems, gm.Problem{File: p.Pos.File, Row: p.Pos.Row, Record: p.ID, Column: "inn", Value: p.INN,
				Message: "INN already belongs to a participant outside this cluster; check the INN", MessageRU: "ИНН уже принадлежит участнику вне этого кластера; проверьте ИНН"})
		}
	}
	return problems, nil
}

// existing returns the values of the one-column query (with %s standing for
// the placeholders of the ids in want) as a set.
func (s *DB) existing(ctx context.Context, q querier, query string, want map[string]bool) (map[string]bool, error) {
	return s.existingArgs(ctx, q, query, nil, want)
}

// existingArgs is existing with fixed arguments before the ids.
func (s *DB) existingArgs(ctx context.Context, q querier, query string, pre []any, want map[string]bool) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.eachIn(ctx, q, query, pre, want, func(rows *sql.Rows) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out[id] = true
		return nil
	})
	return out, err
}

// importTx does the work of Import inside tx, as writer w (see gm.Writer
// for what it may change); it reports whether it created the cluster.
func (s *DB) importTx(ctx context.Context, tx *sql.Tx, w gm.Writer, clusterID string, ds *gm.Dataset, opt gm.ImportOptions, res *gm.ImportResult) (bool, error) {
	problems, err := s.validateAgainstStore(ctx, tx, w, clusterID, ds)
	if err != nil {
		return false, err
	}
	if len(problems) > 0 {
		return false, gm.Invalid(fmt.Sprintf("%d problem(s) found; nothing was stored", len(problems)), problems)
	}
	if opt.ReplaceYear != 0 && (opt.ReplaceYear < 1900 || opt.ReplaceYear > 2100) {
		return false, gm.Errorf(gm.EINVALID, "replace year %d: must be between 1900 and 2100", opt.ReplaceYear)
	}
	if ds, err = s.authorize(ctx, tx, w, clusterID, ds, opt); err != nil {
		return false, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM clusters WHERE id = ?`), clusterID).Scan(&n); err != nil {
		return false, err
	}
	created := n == 0
	inFile := false
	for _, c := range ds.Clusters {
		if c.ID == clusterID {
			inFile = true
		}
	}
	if created && !inFile {
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO clusters (id, name, kind, country) VALUES (?, ?, ?, ?)`), clusterID, clusterID, string(gm.ClusterLocal), "RU"); err != nil {
			return false, err
		}
	}
	if err := s.upsertClusters(ctx, tx, ds.Clusters); err != nil {
		return created, err
	}
	// Every cluster whose data this import can change gets a new version, so
	// that caches keyed on it (in this process and in every replica) are
	// renewed: the target, the clusters named, and every cluster of every
	// participant written or referred to (a participant's data shows in each
	// of its clusters).
	// A writer limited to one cluster replaces only its own participants'
	// rows (see deleteYear), so only they are touched.
	exclusive := !w.Admin && !w.AllClusters
	touched, err := s.touchedClusters(ctx, tx, clusterID, ds, opt.ReplaceYear != 0 && !exclusive)
	if err != nil {
		return created, err
	}
	if opt.ReplaceYear != 0 {
		d, err := s.deleteYear(ctx, tx, clusterID, opt.ReplaceYear, exclusive)
		if err != nil {
			return created, err
		}
		res.Deleted = d
	}
	productsChanged, err := s.upsertProducts(ctx, tx, ds)
	if err != nil {
		return created, err
	}
	if err := s.upsertParticipants(ctx, tx, clusterID, ds.Participants); err != nil {
		return created, err
	}
	pr := &progress{fn: opt.Progress, total: ds.Rows(), done: len(ds.Clusters) + len(ds.Products) + len(ds.Participants)}
	pr.add(0)
	if err := s.upsertFacts(ctx, tx, ds, pr); err != nil {
		return created, err
	}
	// Product names and inputs and the employment table are shared by every
	// cluster's analysis: when they change, every cluster gets a new version.
	// Other writers can only add product codes no stored product names as
	// an input, which no other cluster's data refers to (see authorize).
	if err := s.bump(ctx, tx, touched, productsChanged && w.Admin || len(ds.Employment) > 0); err != nil {
		return created, err
	}
	if opt.Progress != nil {
		opt.Progress(pr.total, pr.total)
	}
	if err := tx.QueryRowContext(ctx, s.rebind(`SELECT version FROM clusters WHERE id = ?`), clusterID).Scan(&res.Version); err != nil {
		return created, err
	}
	return created, nil
}

// bump increments the global data version and sets it as the version of the
// given clusters (of every cluster when all is set). The data_version row is
// updated first: it serialises concurrent writers, so versions grow in commit
// order.
func (s *DB) bump(ctx context.Context, tx *sql.Tx, clusters map[string]bool, all bool) error {
	var v int64
	if err := tx.QueryRowContext(ctx, `UPDATE data_version SET v = v + 1 WHERE id = 1 RETURNING v`).Scan(&v); err != nil {
		return err
	}
	if all {
		_, err := tx.ExecContext(ctx, s.rebind(`UPDATE clusters SET version = ?`), v)
		return err
	}
	for c := range clusters {
		if _, err := tx.ExecContext(ctx, s.rebind(`UPDATE clusters SET version = ? WHERE id = ?`), v, c); err != nil {
			return err
		}
	}
	return nil
}

// touchedClusters returns the clusters whose data an import of ds into
// clusterID can change. It runs before the import writes anything, so that
// the previous owners of re-assigned projects count too; members are
// included when withMembers is set (ReplaceYear deletes their rows).
func (s *DB) touchedClusters(ctx context.Context, q querier, clusterID string, ds *gm.Dataset, withMembers bool) (map[string]bool, error) {
	touched := map[string]bool{clusterID: true}
	for _, c := range ds.Clusters {
		touched[c.ID] = true
	}
	pids := map[string]bool{}
	for _, p := range ds.Participants {
		pids[p.ID] = true
		for _, c := range p.Clusters {
			touched[c] = true
		}
	}
	for _, l := range ds.Links {
		pids[l.SupplierID], pids[l.BuyerID] = true, true
	}
	for _, m := range ds.Imports {
		pids[m.ParticipantID] = true
	}
	for _, m := range ds.Capacities {
		pids[m.ParticipantID] = true
	}
	projects := map[string]bool{}
	for _, p := range ds.Projects {
		pids[p.ParticipantID] = true
		projects[p.ID] = true
	}
	owners, err := s.existing(ctx, q, `SELECT participant_id FROM projects WHERE id IN (%s)`, projects)
	if err != nil {
		return nil, err
	}
	for p := range owners {
		pids[p] = true
	}
	if err := s.addClustersOf(ctx, q, pids, touched); err != nil {
		return nil, err
	}
	if withMembers {
		rows, err := q.QueryContext(ctx, s.rebind(`SELECT DISTINCT m2.cluster_id FROM memberships m1 JOIN memberships m2 ON m2.participant_id = m1.participant_id WHERE m1.cluster_id = ?`), clusterID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return nil, err
			}
			touched[c] = true
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return touched, nil
}

// addClustersOf adds the clusters the participants belong to.
func (s *DB) addClustersOf(ctx context.Context, q querier, pids map[string]bool, into map[string]bool) error {
	delete(pids, "")
	cs, err := s.existing(ctx, q, `SELECT DISTINCT cluster_id FROM memberships WHERE participant_id IN (%s)`, pids)
	if err != nil {
		return err
	}
	for c := range cs {
		into[c] = true
	}
	return nil
}

func (s *DB) upsertClusters(ctx context.Context, tx *sql.Tx, cs []gm.Cluster) error {
	for _, c := range cs {
		country := c.Country
		if country == "" {
			country = "RU"
		}
		_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO clusters (id, name, registry_no, specialization, kind, country, participants_count, development_programme, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, registry_no = excluded.registry_no, specialization = excluded.specialization,
			kind = excluded.kind, country = excluded.country, participants_count = excluded.participants_count,
			development_programme = excluded.development_programme, source = excluded.source`),
			c.ID, c.Name, c.RegistryNo, c.Specialization, string(c.Kind), country, c.ParticipantsCount, nb2i(c.DevelopmentProgramme), c.Source)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM cluster_regions WHERE cluster_id = ?`), c.ID); err != nil {
			return err
		}
		for i, r := range c.Regions {
			if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO cluster_regions (cluster_id, pos, region) VALUES (?, ?, ?)`), c.ID, i, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// upsertProducts stores the products of ds and creates the codes used
// without a products sheet; it reports whether any product row was added or
// changed (products are shared by every cluster).
func (s *DB) upsertProducts(ctx context.Context, tx *sql.Tx, ds *gm.Dataset) (changed bool, err error) {
	st, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO products (code, name, unit, import_substitution, inputs, source) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit = excluded.unit, import_substitution = excluded.import_substitution,
		inputs = excluded.inputs, source = excluded.source
		WHERE products.name <> excluded.name OR products.unit <> excluded.unit OR products.import_substitution <> excluded.import_substitution
		OR products.inputs <> excluded.inputs OR products.source <> excluded.source`))
	if err != nil {
		return false, err
	}
	defer st.Close()
	count := func(r sql.Result) {
		if n, err := r.RowsAffected(); err != nil || n > 0 {
			changed = true
		}
	}
	have := map[string]bool{}
	for _, p := range ds.Products {
		have[p.Code] = true
		r, err := st.ExecContext(ctx, p.Code, p.Name, p.Unit, b2i(p.ImportSubstitution), strings.Join(p.Inputs, ";"), p.Source)
		if err != nil {
			return false, err
		}
		count(r)
	}
	// Codes used without a products sheet are created with the code as name.
	auto, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO products (code, name) VALUES (?, ?) ON CONFLICT (code) DO NOTHING`))
	if err != nil {
		return false, err
	}
	defer auto.Close()
	add := func(code string) error {
		if code == "" || have[code] {
			return nil
		}
		have[code] = true
		r, err := auto.ExecContext(ctx, code, code)
		if err == nil {
			count(r)
		}
		return err
	}
	for _, l := range ds.Links {
		if err := add(l.ProductCode); err != nil {
			return false, err
		}
	}
	for _, m := range ds.Imports {
		if err := add(m.ProductCode); err != nil {
			return false, err
		}
	}
	for _, m := range ds.Capacities {
		if err := add(m.ProductCode); err != nil {
			return false, err
		}
	}
	for _, m := range ds.Projects {
		if err := add(m.ProductCode); err != nil {
			return false, err
		}
	}
	return changed, nil
}

func (s *DB) upsertParticipants(ctx context.Context, tx *sql.Tx, clusterID string, ps []gm.Participant) error {
	st, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO participants (id, inn, name, kind, final_producer, region, country, okved, sme, employees, revenue_rub, final_sales_rub, year, illustrative, source,
		domestic_purchases_rub, plans_production, defence)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET inn = excluded.inn, name = excluded.name, kind = excluded.kind, final_producer = excluded.final_producer,
		region = excluded.region, country = excluded.country, okved = excluded.okved, sme = excluded.sme, employees = excluded.employees,
		revenue_rub = excluded.revenue_rub, final_sales_rub = excluded.final_sales_rub, year = excluded.year,
		illustrative = excluded.illustrative, source = excluded.source, domestic_purchases_rub = excluded.domestic_purchases_rub,
		plans_production = excluded.plans_production, defence = excluded.defence, version = participants.version + 1`))
	if err != nil {
		return err
	}
	defer st.Close()
	mem, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO memberships (cluster_id, participant_id) VALUES (?, ?) ON CONFLICT DO NOTHING`))
	if err != nil {
		return err
	}
	defer mem.Close()
	for _, p := range ps {
		var inn any
		if p.INN != "" {
			inn = p.INN
		}
		if _, err := st.ExecContext(ctx, p.ID, inn, p.Name, string(p.Kind), b2i(p.FinalProducer), p.Region, p.Country, p.OKVED,
			nb2i(p.SME), ni(p.Employees), nf(p.RevenueRUB), nf(p.FinalSalesRUB), p.Year, b2i(p.Illustrative), p.Source,
			nf(p.DomesticPurchasesRUB), b2i(p.PlansProduction), b2i(p.Defence)); err != nil {
			return err
		}
		if _, err := mem.ExecContext(ctx, clusterID, p.ID); err != nil {
			return err
		}
		for _, c := range p.Clusters {
			if _, err := mem.ExecContext(ctx, c, p.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// progress counts written rows and reports every 1,000.
type progress struct {
	fn          func(done, total int)
	done, total int
}

func (p *progress) add(n int) {
	if p == nil || p.fn == nil {
		return
	}
	before := p.done / 1000
	p.done += n
	if p.done/1000 != before {
		p.fn(p.done, p.total)
	}
}

func (s *DB) upsertFacts(ctx context.Context, tx *sql.Tx, ds *gm.Dataset, pr *progress) error {
	if len(ds.Links) > 0 {
		st, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO links (supplier_id, buyer_id, product_code, year, value_rub, quantity, unit, documented, illustrative, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (supplier_id, buyer_id, product_code, year) DO UPDATE SET value_rub = excluded.value_rub, quantity = excluded.quantity,
			unit = excluded.unit, documented = excluded.documented, illustrative = excluded.illustrative, source = excluded.source, version = links.version + 1`))
		if err != nil {
			return err
		}
		defer st.Close()
		for _, l := range ds.Links {
			if _, err := st.ExecContext(ctx, l.SupplierID, l.BuyerID, l.ProductCode, l.Year, nf(l.ValueRUB), nf(l.Quantity), l.Unit, b2i(l.Documented), b2i(l.Illustrative), l.Source); err != nil {
				return err
			}
			pr.add(1)
		}
	}
	if len(ds.Imports) > 0 {
		st, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO imports (participant_id, product_code, year, country, value_rub, quantity, unit, illustrative, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (participant_id, product_code, year, country) DO UPDATE SET value_rub = excluded.value_rub, quantity = excluded.quantity,
			unit = excluded.unit, illustrative = excluded.illustrative, source = excluded.source, version = imports.version + 1`))
		if err != nil {
			return err
		}
		defer st.Close()
		for _, m := range ds.Imports {
			if _, err := st.ExecContext(ctx, m.ParticipantID, m.ProductCode, m.Year, m.Country, m.ValueRUB, nf(m.Quantity), m.Unit, b2i(m.Illustrative), m.Source); err != nil {
				return err
			}
		}
	}
	if len(ds.Capacities) > 0 {
		st, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO capacities (participant_id, product_code, year, value_rub, quantity, unit, illustrative, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (participant_id, product_code, year) DO UPDATE SET value_rub = excluded.value_rub, quantity = excluded.quantity,
			unit = excluded.unit, illustrative = excluded.illustrative, source = excluded.source, version = capacities.version + 1`))
		if err != nil {
			return err
		}
		defer st.Close()
		for _, m := range ds.Capacities {
			if _, err := st.ExecContext(ctx, m.ParticipantID, m.ProductCode, m.Year, m.ValueRUB, nf(m.Quantity), m.Unit, b2i(m.Illustrative), m.Source); err != nil {
				return err
			}
		}
	}
	for _, p := range ds.Projects {
		_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO projects (id, participant_id, product_code, name, import_substitution, year, investment_rub, status, illustrative, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET participant_id = excluded.participant_id, product_code = excluded.product_code, name = excluded.name,
			import_substitution = excluded.import_substitution, year = excluded.year, investment_rub = excluded.investment_rub,
			status = excluded.status, illustrative = excluded.illustrative, source = excluded.source`),
			p.ID, p.ParticipantID, p.ProductCode, p.Name, b2i(p.ImportSubstitution), p.Year, nf(p.InvestmentRUB), p.Status, b2i(p.Illustrative), p.Source)
		if err != nil {
			return err
		}
	}
	for _, e := range ds.Employment {
		_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO employment (region, industry, grp, year, employees) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (region, industry, grp, year) DO UPDATE SET employees = excluded.employees`), e.Region, e.Industry, e.Group, e.Year, e.Employees)
		if err != nil {
			return err
		}
	}
	return nil
}

// deleteYear removes the cluster's links, imports and capacities of one
// year; with exclusive set, only those of participants that belong to no
// other cluster (the rows a writer limited to this cluster owns).
func (s *DB) deleteYear(ctx context.Context, tx *sql.Tx, clusterID string, year int, exclusive bool) (int, error) {
	total := 0
	member := `IN (SELECT participant_id FROM memberships WHERE cluster_id = ?)`
	if exclusive {
		member += ` AND %[1]s NOT IN (SELECT participant_id FROM memberships WHERE cluster_id <> ?)`
	}
	in := func(col string) string {
		if exclusive {
			return col + " " + fmt.Sprintf(member, col)
		}
		return col + " " + member
	}
	for _, q := range []string{
		`DELETE FROM links WHERE year = ? AND ` + in("supplier_id") + ` AND ` + in("buyer_id"),
		`DELETE FROM imports WHERE year = ? AND ` + in("participant_id"),
		`DELETE FROM capacities WHERE year = ? AND ` + in("participant_id"),
	} {
		args := []any{year}
		for i := 1; i < strings.Count(q, "?"); i++ {
			args = append(args, clusterID)
		}
		r, err := tx.ExecContext(ctx, s.rebind(q), args...)
		if err != nil {
			return 0, err
		}
		n, _ := r.RowsAffected()
		total += int(n)
	}
	return total, nil
}

// LoadSeed loads the built-in dataset into an empty database, once. The
// marker "seeded" in the meta table records that it was done, so a restart
// (or a database whose seed clusters were later deleted) is not seeded again.
func (s *DB) LoadSeed(ctx context.Context, seed *gm.Seed) (bool, error) {
	loaded := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.seedLock(ctx, tx); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM meta WHERE key = 'seeded'`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if err := s.upsertClusters(ctx, tx, seed.Clusters); err != nil {
			return err
		}
		for _, r := range seed.Rating {
			if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO region_rating (rank, region, s1, s2, s3, s4, s5, total, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
				r.Rank, r.Region, r.S1, r.S2, r.S3, r.S4, r.S5, r.Total, r.Source); err != nil {
				return err
			}
		}
		ids := make([]string, 0, len(seed.Data))
		for id := range seed.Data {
			ids = append(ids, id)
		}
		sortStrings(ids)
		for _, id := range ids {
			res := &gm.ImportResult{}
			if _, err := s.importTx(ctx, tx, gm.AdminWriter, id, seed.Data[id], gm.ImportOptions{}, res); err != nil {
				return fmt.Errorf("seed cluster %s: %w", id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO meta (key, value) VALUES ('seeded', ?)`), time.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
		loaded = true
		return nil
	})
	if err != nil {
		return false, s.mapErr(err, "load seed")
	}
	return loaded, nil
}

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
