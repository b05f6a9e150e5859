package analysis

import (
	"fmt"
	"math"
	"sort"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Scenario operations.
const (
	OpAddParticipant    = "add_participant"    // a planned producer joins (participant)
	OpRemoveParticipant = "remove_participant" // a participant leaves (participant_id)
	OpAddCapacity       = "add_capacity"       // new or extra capacity (capacity)
	OpAddLink           = "add_link"           // a new supply link (link)
	OpRemoveLink        = "remove_link"        // a link disappears (link: supplier, buyer, product, year)
	OpAddImport         = "add_import"         // an extra imported input (import)
)

// Change is one step of a what-if scenario.
type Change struct {
	Op            string          `json:"op"`
	Participant   *gm.Participant `json:"participant,omitempty"`
	ParticipantID string          `json:"participant_id,omitempty"`
	Capacity      *gm.Capacity    `json:"capacity,omitempty"`
	Link          *gm.SupplyLink  `json:"link,omitempty"`
	Import        *gm.Import      `json:"import,omitempty"`
}

// Scenario is a named set of changes over a cluster's data, evaluated
// without touching the stored data.
type Scenario struct {
	ID        string   `json:"id,omitempty"`
	ClusterID string   `json:"cluster_id,omitempty"`
	Name      string   `json:"name"`
	Changes   []Change `json:"changes"`
	Version   int64    `json:"version,omitempty"`
}

// Apply returns a copy of ds with the scenario's changes made. ds is not
// modified. Each change is checked; the result is validated as a whole.
func (s *Scenario) Apply(ds *gm.Dataset) (*gm.Dataset, error) {
	out := copyDataset(ds)
	var problems []gm.Problem
	for i, c := range s.Changes {
		if pr := applyChange(out, c, gm.Pos{File: "changes", Row: i + 1}); pr != nil {
			problems = append(problems, *pr)
		}
	}
	if len(problems) > 0 {
		return nil, gm.Invalid("the scenario cannot be applied", problems)
	}
	// Products referred to by new rows need not be in the products sheet.
	if p := out.Validate(gm.ValidationOptions{KnownProducts: usedCodes(out)}); len(p) > 0 {
		return nil, gm.Invalid("the scenario makes the data invalid", p)
	}
	return out, nil
}

// applyChange makes one change to out, or says why it cannot.
func applyChange(out *gm.Dataset, c Change, pos gm.Pos) *gm.Problem {
	bad := func(col, val, en, ru string) *gm.Problem {
		return &gm.Problem{File: pos.File, Row: pos.Row, Column: col, Value: val, Message: en, MessageRU: ru}
	}
	has := func(id string) bool {
		for _, p := range out.Participants {
			if p.ID == id {
				return true
			}
		}
		return false
	}
	switch c.Op {
	case OpAddParticipant:
		if c.Participant == nil {
			return bad("participant", "", "add_participant needs a participant", "для add_participant нужен participant")
		}
		p := *c.Participant
		p.Pos = pos
		if p.Kind == "" {
			p.Kind = gm.KindEnterprise
		}
		if has(p.ID) {
			return bad("participant.id", p.ID, "participant already exists", "участник уже есть")
		}
		out.Participants = append(out.Participants, p)
	case OpRemoveParticipant:
		if !has(c.ParticipantID) {
			return bad("participant_id", c.ParticipantID, "no such participant", "нет такого участника")
		}
		removeParticipant(out, c.ParticipantID)
	case OpAddCapacity:
		if c.Capacity == nil {
			return bad("capacity", "", "add_capacity needs a capacity", "для add_capacity нужна capacity")
		}
		x := *c.Capacity
		x.Pos = pos
		addCapacity(out, x)
	case OpAddLink:
		if c.Link == nil {
			return bad("link", "", "add_link needs a link", "для add_link нужна link")
		}
		l := *c.Link
		l.Pos = pos
		out.Links = append(out.Links, l)
	case OpRemoveLink:
		if c.Link == nil {
			return bad("link", "", "remove_link needs a link", "для remove_link нужна link")
		}
		if !removeLinks(out, *c.Link) {
			return bad("link", c.Link.SupplierID+"→"+c.Link.BuyerID, "no such link", "нет такой связи")
		}
	case OpAddImport:
		if c.Import == nil {
			return bad("import", "", "add_import needs an import", "для add_import нужен import")
		}
		x := *c.Import
		x.Pos = pos
		out.Imports = append(out.Imports, x)
	default:
		return bad("op", c.Op, fmt.Sprintf("unknown operation; use %s, %s, %s, %s, %s or %s", OpAddParticipant, OpRemoveParticipant, OpAddCapacity, OpAddLink, OpRemoveLink, OpAddImport),
			"неизвестная операция")
	}
	return nil
}

// addCapacity adds x to the participant's capacity for the product and
// year, or appends it.
func addCapacity(out *gm.Dataset, x gm.Capacity) {
	for k := range out.Capacities {
		y := &out.Capacities[k]
		if y.ParticipantID == x.ParticipantID && y.ProductCode == x.ProductCode && y.Year == x.Year {
			y.ValueRUB += x.ValueRUB
			return
		}
	}
	out.Capacities = append(out.Capacities, x)
}

// removeLinks drops the links from supplier to buyer (of the product and
// year, when given) and reports whether there was one.
func removeLinks(out *gm.Dataset, l gm.SupplyLink) bool {
	n := len(out.Links)
	keep := out.Links[:0]
	for _, x := range out.Links {
		if x.SupplierID == l.SupplierID && x.BuyerID == l.BuyerID && (l.ProductCode == "" || x.ProductCode == l.ProductCode) && (l.Year == 0 || x.Year == l.Year) {
			continue
		}
		keep = append(keep, x)
	}
	out.Links = keep
	return len(keep) != n
}

func usedCodes(d *gm.Dataset) map[string]bool {
	m := map[string]bool{}
	for _, c := range d.Capacities {
		m[c.ProductCode] = true
	}
	for _, l := range d.Links {
		m[l.ProductCode] = true
	}
	for _, x := range d.Imports {
		m[x.ProductCode] = true
	}
	return m
}

func copyDataset(d *gm.Dataset) *gm.Dataset {
	out := *d
	out.Clusters = append([]gm.Cluster(nil), d.Clusters...)
	out.Participants = append([]gm.Participant(nil), d.Participants...)
	out.Products = append([]gm.Product(nil), d.Products...)
	out.Links = append([]gm.SupplyLink(nil), d.Links...)
	out.Imports = append([]gm.Import(nil), d.Imports...)
	out.Capacities = append([]gm.Capacity(nil), d.Capacities...)
	out.Projects = append([]gm.Project(nil), d.Projects...)
	out.Employment = append([]gm.Employment(nil), d.Employment...)
	return &out
}

func removeParticipant(d *gm.Dataset, id string) {
	ps := d.Participants[:0]
	for _, p := range d.Participants {
		if p.ID != id {
			ps = append(ps, p)
		}
	}
	d.Participants = ps
	ls := d.Links[:0]
	for _, l := range d.Links {
		if l.SupplierID != id && l.BuyerID != id {
			ls = append(ls, l)
		}
	}
	d.Links = ls
	is := d.Imports[:0]
	for _, m := range d.Imports {
		if m.ParticipantID != id {
			is = append(is, m)
		}
	}
	d.Imports = is
	cs := d.Capacities[:0]
	for _, c := range d.Capacities {
		if c.ParticipantID != id {
			cs = append(cs, c)
		}
	}
	d.Capacities = cs
	pr := d.Projects[:0]
	for _, p := range d.Projects {
		if p.ParticipantID != id {
			pr = append(pr, p)
		}
	}
	d.Projects = pr
}

// NicheDelta compares one product's niche between the base and a scenario.
// Scores before and after are on one scale: the gap factor is measured
// against the fixed GapFloorRUB … GapReferenceRUB, not against the largest
// gap, so a niche's score changes only when one of its factors does
// (FactorsChanged says which).
type NicheDelta struct {
	ProductCode    string        `json:"product_code"`
	ProductName    string        `json:"product_name"`
	BaseGapRUB     float64       `json:"base_gap_rub"`
	GapRUB         float64       `json:"gap_rub"`
	BaseScore      *float64      `json:"base_score"`
	Score          *float64      `json:"score"`
	BaseRank       int           `json:"base_rank"`
	Rank           int           `json:"rank"` // 0: no longer a niche
	Closed         bool          `json:"closed"`
	FactorsChanged []FactorDelta `json:"factors_changed"`
}

// FactorDelta is a score factor whose part of a niche's score differs
// between the base and the scenario (points of the 0..100 score).
type FactorDelta struct {
	Name             string  `json:"name"`
	BaseContribution float64 `json:"base_contribution"`
	Contribution     float64 `json:"contribution"`
}

// ParticipantDelta compares one participant's import dependence.
type ParticipantDelta struct {
	ID                     string   `json:"id"`
	Name                   string   `json:"name"`
	BaseImportContentTotal *float64 `json:"base_import_content_total"`
	ImportContentTotal     *float64 `json:"import_content_total"`
	// ImportContentChange is after − before (a share: 0.05 is 5 points);
	// null when either is unknown.
	ImportContentChange *float64 `json:"import_content_change"`
	// ImportContentChanged: the figure differs (including known ↔ unknown).
	ImportContentChanged bool    `json:"import_content_changed"`
	BaseRemovalImpact    float64 `json:"base_removal_impact"`
	RemovalImpact        float64 `json:"removal_impact"`
	Status               string  `json:"status"` // same, added, removed, changed
}

// Comparison is a scenario's effect on niches, import content and compliance.
type Comparison struct {
	Niches          []NicheDelta       `json:"niches"`
	Participants    []ParticipantDelta `json:"participants"`
	BaseCompliance  string             `json:"base_compliance"`
	Compliance      string             `json:"compliance"`
	BaseTotalGapRUB float64            `json:"base_total_gap_rub"`
	TotalGapRUB     float64            `json:"total_gap_rub"`
	BaseImportsRUB  float64            `json:"base_imports_rub"`
	ImportsRUB      float64            `json:"imports_rub"`
	// Replacements are the imports the scenario's added capacity replaces
	// (ReplaceImports), set by whoever applied them.
	Replacements []Replacement `json:"replacements"`
	// The fixed scale of the gap factor the scores of both sides use.
	GapFloorRUB     float64 `json:"gap_floor_rub"`
	GapReferenceRUB float64 `json:"gap_reference_rub"`
}

// Compare sets a scenario's report beside the base report.
func Compare(base, scen *Report) *Comparison {
	c := &Comparison{BaseCompliance: base.Compliance.Status, Compliance: scen.Compliance.Status,
		BaseImportsRUB: base.Summary.ImportsRUB, ImportsRUB: scen.Summary.ImportsRUB, Niches: []NicheDelta{}, Participants: []ParticipantDelta{},
		Replacements: []Replacement{}, GapFloorRUB: GapFloorRUB, GapReferenceRUB: GapReferenceRUB}
	gap := map[string]ImportGap{}
	for _, g := range scen.ImportGaps {
		gap[g.ProductCode] = g
		c.TotalGapRUB += g.GapRUB
	}
	for _, g := range base.ImportGaps {
		c.BaseTotalGapRUB += g.GapRUB
	}
	c.Niches = compareNiches(base.Niches, scen.Niches, gap)
	c.Participants = compareParticipants(base.Participants, scen.Participants)
	return c
}

func compareNiches(base, scen []Niche, gap map[string]ImportGap) []NicheDelta {
	out := []NicheDelta{}
	sn := map[string]Niche{}
	for _, n := range scen {
		sn[n.ProductCode] = n
	}
	seen := map[string]bool{}
	for _, b := range base {
		seen[b.ProductCode] = true
		bs := b.Score
		d := NicheDelta{ProductCode: b.ProductCode, ProductName: b.ProductName, BaseGapRUB: b.GapRUB, GapRUB: gap[b.ProductCode].GapRUB, BaseScore: &bs, BaseRank: b.Rank,
			FactorsChanged: []FactorDelta{}}
		if n, ok := sn[b.ProductCode]; ok {
			s := n.Score
			d.Score, d.Rank = &s, n.Rank
			d.FactorsChanged = factorDeltas(b.Factors, n.Factors)
		} else {
			d.Closed = true
		}
		out = append(out, d)
	}
	for _, n := range scen {
		if !seen[n.ProductCode] {
			s := n.Score
			out = append(out, NicheDelta{ProductCode: n.ProductCode, ProductName: n.ProductName, GapRUB: n.GapRUB, Score: &s, Rank: n.Rank, FactorsChanged: []FactorDelta{}})
		}
	}
	return out
}

// factorDeltas lists the factors whose contribution differs (by more than
// rounding).
func factorDeltas(base, scen []Factor) []FactorDelta {
	out := []FactorDelta{}
	bc := map[string]float64{}
	for _, f := range base {
		bc[f.Name] = f.Contribution
	}
	for _, f := range scen {
		if math.Abs(f.Contribution-bc[f.Name]) > 1e-9 {
			out = append(out, FactorDelta{Name: f.Name, BaseContribution: bc[f.Name], Contribution: f.Contribution})
		}
	}
	return out
}

func compareParticipants(base, scen []ParticipantMetrics) []ParticipantDelta {
	out := []ParticipantDelta{}
	bp := map[string]ParticipantMetrics{}
	for _, p := range base {
		bp[p.ID] = p
	}
	sp := map[string]bool{}
	for _, p := range scen {
		sp[p.ID] = true
		d := ParticipantDelta{ID: p.ID, Name: p.Name, ImportContentTotal: p.ImportContentTotal, RemovalImpact: p.RemovalImpact, Status: "added"}
		if b, ok := bp[p.ID]; ok {
			d.BaseImportContentTotal, d.BaseRemovalImpact = b.ImportContentTotal, b.RemovalImpact
			d.Status = "same"
			if !eqPtr(b.ImportContentTotal, p.ImportContentTotal) || b.RemovalImpact != p.RemovalImpact {
				d.Status = "changed"
			}
		}
		out = append(out, d.withChange())
	}
	for _, b := range base {
		if !sp[b.ID] {
			d := ParticipantDelta{ID: b.ID, Name: b.Name, BaseImportContentTotal: b.ImportContentTotal, BaseRemovalImpact: b.RemovalImpact, Status: "removed"}
			out = append(out, d.withChange())
		}
	}
	return out
}

// withChange fills the change of the import content.
func (d ParticipantDelta) withChange() ParticipantDelta {
	d.ImportContentChanged = !eqPtr(d.BaseImportContentTotal, d.ImportContentTotal)
	if d.BaseImportContentTotal != nil && d.ImportContentTotal != nil {
		v := *d.ImportContentTotal - *d.BaseImportContentTotal
		d.ImportContentChange = &v
	}
	return d
}

func eqPtr(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Replacement is planned capacity supplying an importer in place of its
// imports: a scenario that adds capacity of a product the cluster imports
// has the new capacity ship to the importers (in proportion to their
// imports, up to what they import), so that the imports it replaces are no
// longer imported and the importers buy the product inside the cluster.
type Replacement struct {
	ProducerID  string  `json:"producer_id"`
	ProductCode string  `json:"product_code"`
	ImporterID  string  `json:"importer_id"`
	ImportedRUB float64 `json:"imported_rub"` // the importer's imports of the product before
	ReplacedRUB float64 `json:"replaced_rub"` // of it, now bought from the producer
}

// ReplacementSource marks the supply links ReplaceImports adds.
const ReplacementSource = "scenario: replaces imports"

// ReplaceImports takes one year's data of the base and of the scenario
// (every row applies to the year) and returns the scenario's data with the
// imports its added capacity replaces, and those replacements. The added
// capacity of a participant and product is the scenario's capacity less
// the base's and less what the scenario has it ship more of the product on
// links of its own; it replaces the other participants' imports of the
// product, each importer's the same fraction. Each importer's replaced
// imports become a supply link from the producer (Source
// ReplacementSource), so the product's gap is what it would be without the
// replacement (imports fall by as much as the spare capacity), while the
// importers' import content falls. scen is not modified.
func ReplaceImports(base, scen *gm.Dataset, year int) (*gm.Dataset, []Replacement) {
	type key struct{ p, code string }
	added := map[key]float64{}
	for _, c := range scen.Capacities {
		added[key{c.ParticipantID, c.ProductCode}] += c.ValueRUB
	}
	for _, c := range base.Capacities {
		added[key{c.ParticipantID, c.ProductCode}] -= c.ValueRUB
	}
	shipped := func(d *gm.Dataset, k key) float64 {
		s := 0.0
		for _, l := range d.Links {
			if l.SupplierID == k.p && l.ProductCode == k.code && l.ValueRUB != nil {
				s += *l.ValueRUB
			}
		}
		return s
	}
	var ks []key
	for k, v := range added {
		if v -= shipped(scen, k) - shipped(base, k); v > 0 {
			added[k] = v
			ks = append(ks, k)
		}
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].code != ks[j].code {
			return ks[i].code < ks[j].code
		}
		return ks[i].p < ks[j].p
	})
	out := copyDataset(scen)
	var reps []Replacement
	for _, k := range ks {
		reps = append(reps, replaceFor(out, k.p, k.code, added[k], year)...)
	}
	return out, reps
}

// replaceFor has producer's spare capacity avail replace the other
// participants' imports of code in out. Amounts are whole roubles where the
// data's are, the last importer taking what rounding leaves, so that the
// replaced imports add up to exactly min(avail, imports).
func replaceFor(out *gm.Dataset, producer, code string, avail float64, year int) []Replacement {
	mine := func(m gm.Import) bool { return m.ProductCode == code && m.ParticipantID != producer && m.ValueRUB > 0 }
	imported := map[string]float64{}
	illustrative := map[string]bool{}
	total := 0.0
	for _, m := range out.Imports {
		if mine(m) {
			imported[m.ParticipantID] += m.ValueRUB
			illustrative[m.ParticipantID] = illustrative[m.ParticipantID] || m.Illustrative
			total += m.ValueRUB
		}
	}
	if total <= 0 {
		return nil
	}
	target := math.Min(avail, total)
	ids := keys(boolKeys(imported))
	replaced := share(ids, imported, target/total, target)
	// Each importer's rows give up their part of its replaced imports.
	left := map[string]float64{}
	for id, v := range replaced {
		left[id] = v
	}
	rows := map[string]int{}
	for _, m := range out.Imports {
		if mine(m) {
			rows[m.ParticipantID]++
		}
	}
	imps := out.Imports[:0:0]
	for _, m := range out.Imports {
		if mine(m) {
			id := m.ParticipantID
			cut := math.Round(m.ValueRUB * replaced[id] / imported[id])
			if rows[id]--; rows[id] == 0 || cut > left[id] {
				cut = left[id]
			}
			left[id] -= cut
			if m.Quantity != nil {
				q := *m.Quantity * (1 - cut/m.ValueRUB)
				m.Quantity = &q
			}
			if m.ValueRUB -= cut; m.ValueRUB <= 0 {
				continue // wholly replaced
			}
		}
		imps = append(imps, m)
	}
	out.Imports = imps
	var reps []Replacement
	for _, id := range ids {
		v := replaced[id]
		out.Links = append(out.Links, gm.SupplyLink{SupplierID: producer, BuyerID: id, ProductCode: code, Year: year, ValueRUB: &v,
			Illustrative: illustrative[id], Source: ReplacementSource})
		reps = append(reps, Replacement{ProducerID: producer, ProductCode: code, ImporterID: id, ImportedRUB: imported[id], ReplacedRUB: v})
	}
	return reps
}

// share splits target over ids in proportion (fraction r of each one's
// value), rounded to whole roubles, the last taking the remainder.
func share(ids []string, values map[string]float64, r, target float64) map[string]float64 {
	out := map[string]float64{}
	sum := 0.0
	for i, id := range ids {
		v := math.Min(values[id], math.Round(values[id]*r))
		if i == len(ids)-1 {
			v = target - sum
		}
		out[id] = v
		sum += v
	}
	return out
}
