package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// The ownership model (see gm.Writer) is enforced here, inside the
// transaction that writes: Import, ImportIfVersion, Delete and the scenario
// calls all pass through it, so no route can write around it.

// writerOf returns who writes: the context's writer, or the process itself
// (admin) when none was set — command-line tools and seeding. The HTTP
// server sets a writer on every request.
func writerOf(ctx context.Context) gm.Writer {
	if w, ok := gm.WriterFrom(ctx); ok {
		return w
	}
	return gm.AdminWriter
}

func forbidden(format string, args ...any) *gm.Error {
	return gm.Errorf(gm.EFORBIDDEN, format, args...)
}

// checkCluster refuses a writer that may not change the cluster at all.
func checkCluster(w gm.Writer, clusterID string) error {
	if !w.CanEditCluster(clusterID) {
		return forbidden("your token may not change cluster %s", clusterID)
	}
	return nil
}

// owner holds what one authorisation needs to know about the stored data.
type owner struct {
	s       *DB
	ctx     context.Context
	q       querier
	w       gm.Writer
	cluster string
	// members maps every participant id involved to the clusters it belongs
	// to after the change; exists to whether it is stored at all.
	members map[string][]string
	exists  map[string]bool
	// hidden are ids the writer tried to take although they are used
	// outside its reach: rows naming them are neither written nor compared
	// with the stored ones (that would tell their values).
	hidden  map[string]bool
	denied  []gm.Problem // EFORBIDDEN
	clashes []gm.Problem // ECONFLICT
}

func (o *owner) deny(pos gm.Pos, record, column, value, en, ru string) {
	o.denied = append(o.denied, gm.Problem{File: pos.File, Row: pos.Row, Record: record, Column: column, Value: value, Message: en, MessageRU: ru})
}

func (o *owner) clash(pos gm.Pos, record, column, value, en, ru string) {
	o.clashes = append(o.clashes, gm.Problem{File: pos.File, Row: pos.Row, Record: record, Column: column, Value: value, Message: en, MessageRU: ru})
}

// err returns the error for the problems found, nil when there are none.
func (o *owner) err() error {
	switch {
	case len(o.denied) > 0:
		all := append(o.denied, o.clashes...)
		return &gm.Error{Code: gm.EFORBIDDEN, Message: fmt.Sprintf("%d row(s) change records your token may not change; nothing was stored", len(all)), Details: all}
	case len(o.clashes) > 0:
		return &gm.Error{Code: gm.ECONFLICT, Message: fmt.Sprintf("%d row(s) use ids that are already taken; nothing was stored", len(o.clashes)), Details: o.clashes}
	}
	return nil
}

// clusterOwned reports whether every cluster the participant belongs to
// (after the change) is one the writer may edit.
func (o *owner) clusterOwned(pid string) bool {
	for _, c := range o.members[pid] {
		if !o.w.CanEditCluster(c) {
			return false
		}
	}
	return true
}

// owned reports whether the writer may change the participant's records.
func (o *owner) owned(pid string) bool {
	return o.clusterOwned(pid) && (o.w.Participant == "" || pid == o.w.Participant)
}

// involves reports whether a record naming pids is within a
// participant-limited writer's reach.
func (o *owner) involves(pids ...string) bool {
	return o.w.Participant == "" || slices.Contains(pids, o.w.Participant)
}

// authorize checks ds against the writer and returns the dataset to write:
// rows the writer may not change but that are identical to the stored ones
// are left out (they would change nothing), every other row it may not
// change is reported. Admins get ds back as is.
func (s *DB) authorize(ctx context.Context, q querier, w gm.Writer, clusterID string, ds *gm.Dataset, opt gm.ImportOptions) (*gm.Dataset, error) {
	if w.Admin {
		return ds, nil
	}
	if err := checkCluster(w, clusterID); err != nil {
		return nil, err
	}
	var n int
	if err := q.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM clusters WHERE id = ?`), clusterID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, forbidden("cluster %s does not exist; only an admin can create clusters", clusterID)
	}
	if opt.ReplaceYear != 0 && w.Participant != "" {
		return nil, forbidden("replacing a year's figures needs an editor of the cluster")
	}
	o := &owner{s: s, ctx: ctx, q: q, w: w, cluster: clusterID, hidden: map[string]bool{}}
	if err := o.load(ds); err != nil {
		return nil, err
	}
	out := &gm.Dataset{}
	var err error
	steps := []func(*gm.Dataset, *gm.Dataset) error{o.clusters, o.products, o.employment, o.participants, o.links, o.imports, o.capacities, o.projects}
	for _, step := range steps {
		if err = step(ds, out); err != nil {
			return nil, err
		}
	}
	if err := o.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// load reads the memberships of every participant the dataset names (and of
// the owners of the projects it names), adding the memberships the change
// itself makes.
func (o *owner) load(ds *gm.Dataset) error {
	ids := map[string]bool{}
	for _, p := range ds.Participants {
		ids[p.ID] = true
	}
	for _, l := range ds.Links {
		ids[l.SupplierID], ids[l.BuyerID] = true, true
	}
	for _, m := range ds.Imports {
		ids[m.ParticipantID] = true
	}
	for _, m := range ds.Capacities {
		ids[m.ParticipantID] = true
	}
	projects := map[string]bool{}
	for _, p := range ds.Projects {
		ids[p.ParticipantID] = true
		projects[p.ID] = true
	}
	owners, err := o.s.existing(o.ctx, o.q, `SELECT participant_id FROM projects WHERE id IN (%s)`, projects)
	if err != nil {
		return err
	}
	for p := range owners {
		ids[p] = true
	}
	delete(ids, "")
	if o.exists, err = o.s.existing(o.ctx, o.q, `SELECT id FROM participants WHERE id IN (%s)`, ids); err != nil {
		return err
	}
	if o.members, err = o.s.membershipsOf(o.ctx, o.q, ids); err != nil {
		return err
	}
	return nil
}

// membershipsOf returns the clusters of each participant, sorted.
func (s *DB) membershipsOf(ctx context.Context, q querier, pids map[string]bool) (map[string][]string, error) {
	out := map[string][]string{}
	err := s.eachIn(ctx, q, `SELECT participant_id, cluster_id FROM memberships WHERE participant_id IN (%s) ORDER BY participant_id, cluster_id`, nil, pids,
		func(rows *sql.Rows) error {
			var p, c string
			if err := rows.Scan(&p, &c); err != nil {
				return err
			}
			out[p] = append(out[p], c)
			return nil
		})
	return out, err
}

// eachIn runs query (with %s standing for a list of placeholders) for the
// ids in chunks, after the fixed arguments pre, calling fn for every row.
func (s *DB) eachIn(ctx context.Context, q querier, query string, pre []any, ids map[string]bool, fn func(*sql.Rows) error) error {
	var all []any
	for id := range ids {
		all = append(all, id)
	}
	for _, chunk := range chunks(all, 500) {
		rows, err := q.QueryContext(ctx, s.rebind(fmt.Sprintf(query, placeholders(len(chunk)))), append(append([]any{}, pre...), chunk...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := fn(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

const (
	msgRegistryEN    = "the registry is changed only by an admin: this row differs from the stored entry"
	msgRegistryRU    = "реестр меняет только администратор: строка отличается от записи реестра"
	msgNewClusterEN  = "only an admin can create clusters"
	msgNewClusterRU  = "создавать кластеры может только администратор"
	msgCatalogueEN   = "the product catalogue is shared by every cluster: only an admin can change a stored product (new codes may be added)"
	msgCatalogueRU   = "справочник продукции общий для всех кластеров: менять записанную продукцию может только администратор (новые коды добавлять можно)"
	msgEmploymentEN  = "the employment table is shared by every cluster: only an admin can change it"
	msgEmploymentRU  = "таблица занятости общая для всех кластеров: менять её может только администратор"
	msgSharedEN      = "participant %s also belongs to a cluster your token may not change: only an admin or an editor of all its clusters can change its records"
	msgSharedRU      = "участник %s входит и в кластер, который ваш токен менять не может: его данные меняет администратор или редактор всех его кластеров"
	msgIDTakenEN     = "this id is already used by a record outside the clusters your token may change: choose another id"
	msgIDTakenRU     = "этот идентификатор уже занят записью вне кластеров, доступных вашему токену: выберите другой"
	msgOtherPartEN   = "your token may change only the records of participant %s"
	msgOtherPartRU   = "ваш токен может менять только записи участника %s"
	msgJoinClusterEN = "your token may not add participants to this cluster"
	msgJoinClusterRU = "ваш токен не может добавлять участников в этот кластер"
)

func (o *owner) clusters(ds, out *gm.Dataset) error {
	for _, c := range ds.Clusters {
		stored, err := o.s.scanClusterTx(o.ctx, o.q, c.ID)
		if err == sql.ErrNoRows {
			o.deny(c.Pos, c.ID, "id", c.ID, msgNewClusterEN, msgNewClusterRU)
			continue
		}
		if err != nil {
			return err
		}
		if !sameCluster(c, *stored) {
			o.deny(c.Pos, c.ID, "", "", msgRegistryEN, msgRegistryRU)
		}
	}
	return nil
}

func (o *owner) products(ds, out *gm.Dataset) error {
	codes := map[string]bool{}
	for _, p := range ds.Products {
		codes[p.Code] = true
	}
	stored, err := o.s.products(o.ctx, o.q, codes)
	if err != nil {
		return err
	}
	byCode := map[string]gm.Product{}
	for _, p := range stored {
		byCode[p.Code] = p
	}
	for _, p := range ds.Products {
		sp, ok := byCode[p.Code]
		switch {
		case !ok:
			out.Products = append(out.Products, p)
		case !sameProduct(p, sp):
			o.deny(p.Pos, p.Code, "", "", msgCatalogueEN, msgCatalogueRU)
		}
	}
	return o.newCodes(ds)
}

// newCodes refuses new product codes that stored products already name as
// an input: adding one would add a row to the export of every cluster that
// uses such a product, so it is the catalogue's keeper's (admin's) call.
func (o *owner) newCodes(ds *gm.Dataset) error {
	type use struct {
		pos gm.Pos
		rec string
	}
	used := map[string]use{}
	add := func(code string, pos gm.Pos, rec string) {
		if _, ok := used[code]; code != "" && !ok {
			used[code] = use{pos, rec}
		}
	}
	for _, p := range ds.Products {
		add(p.Code, p.Pos, p.Code)
	}
	for _, l := range ds.Links {
		add(l.ProductCode, l.Pos, l.SupplierID+"→"+l.BuyerID)
	}
	for _, m := range ds.Imports {
		add(m.ProductCode, m.Pos, m.ParticipantID+"/"+m.ProductCode)
	}
	for _, m := range ds.Capacities {
		add(m.ProductCode, m.Pos, m.ParticipantID+"/"+m.ProductCode)
	}
	for _, p := range ds.Projects {
		add(p.ProductCode, p.Pos, p.ID)
	}
	if len(used) == 0 {
		return nil
	}
	codes := map[string]bool{}
	for c := range used {
		codes[c] = true
	}
	stored, err := o.s.existing(o.ctx, o.q, `SELECT code FROM products WHERE code IN (%s)`, codes)
	if err != nil {
		return err
	}
	for c := range stored {
		delete(used, c)
	}
	if len(used) == 0 {
		return nil
	}
	rows, err := o.q.QueryContext(o.ctx, `SELECT inputs FROM products WHERE inputs <> ''`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var inputs string
		if err := rows.Scan(&inputs); err != nil {
			return err
		}
		for _, in := range strings.Split(inputs, ";") {
			if u, ok := used[in]; ok {
				o.deny(u.pos, u.rec, "product_code", in, "product "+in+" is named as an input in the shared catalogue but not stored: only an admin can add it",
					"продукция "+in+" указана сырьём в общем справочнике, но не записана: добавить её может только администратор")
				delete(used, in)
			}
		}
	}
	return rows.Err()
}

func (o *owner) employment(ds, out *gm.Dataset) error {
	for _, e := range ds.Employment {
		var v float64
		err := o.q.QueryRowContext(o.ctx, o.s.rebind(`SELECT employees FROM employment WHERE region = ? AND industry = ? AND grp = ? AND year = ?`), e.Region, e.Industry, e.Group, e.Year).Scan(&v)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if err == sql.ErrNoRows || v != e.Employees {
			o.deny(e.Pos, e.Region+"/"+e.Industry, "", "", msgEmploymentEN, msgEmploymentRU)
		}
	}
	return nil
}

func (o *owner) participants(ds, out *gm.Dataset) error {
	for _, p := range ds.Participants {
		stored := o.members[p.ID]
		if o.exists[p.ID] && !slices.Contains(stored, o.cluster) && !o.clusterOwned(p.ID) {
			o.clash(p.Pos, p.ID, "id", p.ID, msgIDTakenEN, msgIDTakenRU)
			o.hidden[p.ID] = true
			continue
		}
		bad := false
		for _, c := range p.Clusters {
			if !slices.Contains(stored, c) && !o.w.CanEditCluster(c) {
				o.deny(p.Pos, p.ID, "clusters", c, msgJoinClusterEN, msgJoinClusterRU)
				bad = true
			}
		}
		if bad {
			continue
		}
		// The memberships after the change count for the rest of the dataset.
		after := slices.Clone(stored)
		for _, c := range append([]string{o.cluster}, p.Clusters...) {
			if !slices.Contains(after, c) {
				after = append(after, c)
			}
		}
		o.members[p.ID] = after
		if o.owned(p.ID) {
			out.Participants = append(out.Participants, p)
			continue
		}
		if !o.exists[p.ID] {
			o.deny(p.Pos, p.ID, "id", p.ID, fmt.Sprintf(msgOtherPartEN, o.w.Participant), fmt.Sprintf(msgOtherPartRU, o.w.Participant))
			continue
		}
		sp, err := o.s.storedParticipant(o.ctx, o.q, p.ID)
		if err != nil {
			return err
		}
		if !sameParticipant(p, *sp) {
			o.denyShared(p.Pos, p.ID, p.ID)
		}
	}
	return nil
}

// denyShared reports a row that changes a participant the writer does not own.
func (o *owner) denyShared(pos gm.Pos, record, pid string) {
	if o.w.Participant != "" && pid != o.w.Participant {
		o.deny(pos, record, "", pid, fmt.Sprintf(msgOtherPartEN, o.w.Participant), fmt.Sprintf(msgOtherPartRU, o.w.Participant))
		return
	}
	o.deny(pos, record, "", pid, fmt.Sprintf(msgSharedEN, pid), fmt.Sprintf(msgSharedRU, pid))
}

// anyHidden reports whether a row names an id the writer may not take.
func (o *owner) anyHidden(pids ...string) bool {
	for _, p := range pids {
		if o.hidden[p] {
			return true
		}
	}
	return false
}

// firstUnowned returns the first participant of pids the writer does not own.
func (o *owner) firstUnowned(pids ...string) (string, bool) {
	for _, p := range pids {
		if !o.clusterOwned(p) {
			return p, true
		}
	}
	if !o.involves(pids...) {
		return pids[0], true
	}
	return "", false
}

func (o *owner) links(ds, out *gm.Dataset) error {
	for _, l := range ds.Links {
		pid, bad := o.firstUnowned(l.SupplierID, l.BuyerID)
		if o.anyHidden(l.SupplierID, l.BuyerID) {
			continue
		}
		if !bad {
			out.Links = append(out.Links, l)
			continue
		}
		same, err := o.s.sameStoredLink(o.ctx, o.q, l)
		if err != nil {
			return err
		}
		if !same {
			o.denyShared(l.Pos, l.SupplierID+"→"+l.BuyerID, pid)
		}
	}
	return nil
}

func (o *owner) imports(ds, out *gm.Dataset) error {
	for _, m := range ds.Imports {
		if o.anyHidden(m.ParticipantID) {
			continue
		}
		if _, bad := o.firstUnowned(m.ParticipantID); !bad {
			out.Imports = append(out.Imports, m)
			continue
		}
		same, err := o.s.sameStoredImport(o.ctx, o.q, m)
		if err != nil {
			return err
		}
		if !same {
			o.denyShared(m.Pos, m.ParticipantID+"/"+m.ProductCode, m.ParticipantID)
		}
	}
	return nil
}

func (o *owner) capacities(ds, out *gm.Dataset) error {
	for _, m := range ds.Capacities {
		if o.anyHidden(m.ParticipantID) {
			continue
		}
		if _, bad := o.firstUnowned(m.ParticipantID); !bad {
			out.Capacities = append(out.Capacities, m)
			continue
		}
		same, err := o.s.sameStoredCapacity(o.ctx, o.q, m)
		if err != nil {
			return err
		}
		if !same {
			o.denyShared(m.Pos, m.ParticipantID+"/"+m.ProductCode, m.ParticipantID)
		}
	}
	return nil
}

func (o *owner) projects(ds, out *gm.Dataset) error {
	for _, p := range ds.Projects {
		sp, err := o.s.storedProject(o.ctx, o.q, p.ID)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if sp != nil && !slices.Contains(o.members[sp.ParticipantID], o.cluster) && !o.clusterOwned(sp.ParticipantID) {
			o.clash(p.Pos, p.ID, "id", p.ID, msgIDTakenEN, msgIDTakenRU)
			continue
		}
		if o.anyHidden(p.ParticipantID) {
			continue
		}
		pids := []string{p.ParticipantID}
		if sp != nil {
			pids = append(pids, sp.ParticipantID)
		}
		pid, bad := o.firstUnowned(pids...)
		switch {
		case !bad:
			out.Projects = append(out.Projects, p)
		case sp == nil || !sameProject(p, *sp):
			o.denyShared(p.Pos, p.ID, pid)
		}
	}
	return nil
}

// checkDelete refuses the deletion of a record the writer does not own.
func (s *DB) checkDelete(ctx context.Context, q querier, w gm.Writer, clusterID string, k gm.RecordKey) error {
	if w.Admin {
		return nil
	}
	if err := checkCluster(w, clusterID); err != nil {
		return err
	}
	var pids []string
	switch k.Kind {
	case "participant":
		// Removing a participant changes this cluster's membership only
		// (its records stay when it belongs to other clusters too).
		if w.Participant != "" {
			return forbidden("removing participants needs an editor of the cluster")
		}
		return nil
	case "link":
		pids = []string{k.SupplierID, k.BuyerID}
	default:
		pids = []string{k.ParticipantID}
	}
	set := map[string]bool{}
	for _, p := range pids {
		set[p] = true
	}
	members, err := s.membershipsOf(ctx, q, set)
	if err != nil {
		return err
	}
	o := &owner{w: w, cluster: clusterID, members: members}
	if pid, bad := o.firstUnowned(pids...); bad {
		o.denyShared(gm.Pos{}, "", pid)
		return &gm.Error{Code: gm.EFORBIDDEN, Message: o.denied[0].Message, Details: o.denied}
	}
	return nil
}

// checkScenario refuses a scenario change in a cluster the writer may not change.
func checkScenario(w gm.Writer, clusterID string) error {
	if err := checkCluster(w, clusterID); err != nil {
		return err
	}
	if w.Participant != "" && !w.Admin {
		return forbidden("scenarios are saved by editors of the cluster")
	}
	return nil
}

// visibleIn returns the SQL condition and arguments that keep, of the
// participants a writer refers to, those it can see: members of the cluster
// (of any cluster for admins and all-cluster editors). A reference to any
// other participant is "unknown", as if it did not exist.
func visibleIn(w gm.Writer, clusterID string) (query string, pre []any) {
	if w.Admin || w.AllClusters {
		return `SELECT id FROM participants WHERE id IN (%s)`, nil
	}
	return `SELECT participant_id FROM memberships WHERE cluster_id = ? AND participant_id IN (%s)`, []any{clusterID}
}

func sameCluster(a, b gm.Cluster) bool {
	country := a.Country
	if country == "" {
		country = "RU"
	}
	eqb := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Name == b.Name && a.RegistryNo == b.RegistryNo && a.Specialization == b.Specialization && a.Kind == b.Kind &&
		country == b.Country && a.ParticipantsCount == b.ParticipantsCount && eqb(a.DevelopmentProgramme, b.DevelopmentProgramme) &&
		a.Source == b.Source && slices.Equal(a.Regions, b.Regions)
}

func sameProduct(a, b gm.Product) bool {
	return a.Name == b.Name && a.Unit == b.Unit && a.ImportSubstitution == b.ImportSubstitution &&
		strings.Join(a.Inputs, ";") == strings.Join(b.Inputs, ";") && a.Source == b.Source
}

func eqf(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }

func sameParticipant(a, b gm.Participant) bool {
	eqb := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqi := func(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.INN == b.INN && a.Name == b.Name && a.Kind == b.Kind && a.FinalProducer == b.FinalProducer && a.Region == b.Region &&
		a.Country == b.Country && a.OKVED == b.OKVED && eqb(a.SME, b.SME) && eqi(a.Employees, b.Employees) &&
		eqf(a.RevenueRUB, b.RevenueRUB) && eqf(a.FinalSalesRUB, b.FinalSalesRUB) && a.Year == b.Year &&
		a.Illustrative == b.Illustrative && a.Source == b.Source
}

func sameProject(a, b gm.Project) bool {
	return a.ParticipantID == b.ParticipantID && a.ProductCode == b.ProductCode && a.Name == b.Name && a.ImportSubstitution == b.ImportSubstitution &&
		a.Year == b.Year && eqf(a.InvestmentRUB, b.InvestmentRUB) && a.Status == b.Status && a.Illustrative == b.Illustrative && a.Source == b.Source
}

func (s *DB) scanClusterTx(ctx context.Context, q querier, id string) (*gm.Cluster, error) {
	c, err := scanCluster(q.QueryRowContext(ctx, s.rebind(`SELECT `+clusterCols+` FROM clusters WHERE id = ?`), id))
	if err != nil {
		return nil, err
	}
	cs := []gm.Cluster{c}
	if err := s.regionsOf(ctx, q, cs); err != nil {
		return nil, err
	}
	return &cs[0], nil
}

func (s *DB) storedParticipant(ctx context.Context, q querier, id string) (*gm.Participant, error) {
	p, err := scanParticipant(q.QueryRowContext(ctx, s.rebind(`SELECT `+participantCols+` FROM participants p WHERE p.id = ?`), id))
	if err != nil {
		return nil, err
	}
	return &p, nil
}

func (s *DB) storedProject(ctx context.Context, q querier, id string) (*gm.Project, error) {
	p, err := scanProject(q.QueryRowContext(ctx, s.rebind(`SELECT `+projectCols+` FROM projects p WHERE p.id = ?`), id))
	if err != nil {
		return nil, err
	}
	return &p, nil
}

func (s *DB) sameStoredLink(ctx context.Context, q querier, l gm.SupplyLink) (bool, error) {
	var v, qn sql.NullFloat64
	var unit, source string
	var doc, ill int
	err := q.QueryRowContext(ctx, s.rebind(`SELECT value_rub, quantity, unit, documented, illustrative, source FROM links
		WHERE supplier_id = ? AND buyer_id = ? AND product_code = ? AND year = ?`), l.SupplierID, l.BuyerID, l.ProductCode, l.Year).
		Scan(&v, &qn, &unit, &doc, &ill, &source)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return eqf(l.ValueRUB, fptr(v)) && eqf(l.Quantity, fptr(qn)) && l.Unit == unit && l.Documented == (doc != 0) &&
		l.Illustrative == (ill != 0) && l.Source == source, nil
}

func (s *DB) sameStoredImport(ctx context.Context, q querier, m gm.Import) (bool, error) {
	var v float64
	var qn sql.NullFloat64
	var unit, source string
	var ill int
	err := q.QueryRowContext(ctx, s.rebind(`SELECT value_rub, quantity, unit, illustrative, source FROM imports
		WHERE participant_id = ? AND product_code = ? AND year = ? AND country = ?`), m.ParticipantID, m.ProductCode, m.Year, m.Country).
		Scan(&v, &qn, &unit, &ill, &source)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return m.ValueRUB == v && eqf(m.Quantity, fptr(qn)) && m.Unit == unit && m.Illustrative == (ill != 0) && m.Source == source, nil
}

func (s *DB) sameStoredCapacity(ctx context.Context, q querier, m gm.Capacity) (bool, error) {
	var v float64
	var qn sql.NullFloat64
	var unit, source string
	var ill int
	err := q.QueryRowContext(ctx, s.rebind(`SELECT value_rub, quantity, unit, illustrative, source FROM capacities
		WHERE participant_id = ? AND product_code = ? AND year = ?`), m.ParticipantID, m.ProductCode, m.Year).
		Scan(&v, &qn, &unit, &ill, &source)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return m.ValueRUB == v && eqf(m.Quantity, fptr(qn)) && m.Unit == unit && m.Illustrative == (ill != 0) && m.Source == source, nil
}
