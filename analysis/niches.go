package analysis

import (
	"fmt"
	"math"
	"sort"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// ImportGap is the cluster's aggregated import of one product (укрупнение
// объёмов) against the capacity inside the cluster.
type ImportGap struct {
	ProductCode        string   `json:"product_code"`
	ProductName        string   `json:"product_name"`
	ImportSubstitution bool     `json:"import_substitution"`
	ImportedRUB        float64  `json:"imported_rub"`
	ImportedQuantity   *float64 `json:"imported_quantity"` // summed when every row has a quantity in one unit
	Unit               string   `json:"unit,omitempty"`
	Importers          int      `json:"importers"`
	ImporterIDs        []string `json:"importer_ids"`
	Countries          []string `json:"countries"`
	CapacityRUB        float64  `json:"capacity_rub"`
	CapacityQuantity   *float64 `json:"capacity_quantity"`
	Producers          int      `json:"producers"`
	ProducerIDs        []string `json:"producer_ids"`
	GapRUB             float64  `json:"gap_rub"`
	GapQuantity        *float64 `json:"gap_quantity"`
	Illustrative       bool     `json:"illustrative"`
}

// ImportGaps aggregates imports per product over participants and compares
// them with the in-cluster capacity: gap = max(0, imported − capacity).
// Ordered by gap, largest first.
func ImportGaps(d *gm.Dataset) []ImportGap {
	names := map[string]string{}
	subst := map[string]bool{}
	for _, p := range d.Products {
		names[p.Code], subst[p.Code] = p.Name, p.ImportSubstitution
	}
	type acc struct {
		g               ImportGap
		imp, cap        map[string]bool
		countries       map[string]bool
		qty, capQty     float64
		qtyOK, capQtyOK bool
		unit, capUnit   string
		nImp, nCap      int
	}
	m := map[string]*acc{}
	get := func(code string) *acc {
		a, ok := m[code]
		if !ok {
			name := names[code]
			if name == "" {
				name = code
			}
			a = &acc{g: ImportGap{ProductCode: code, ProductName: name, ImportSubstitution: subst[code]}, imp: map[string]bool{}, cap: map[string]bool{}, countries: map[string]bool{}, qtyOK: true, capQtyOK: true}
			m[code] = a
		}
		return a
	}
	for _, r := range d.Imports {
		a := get(r.ProductCode)
		a.g.ImportedRUB += r.ValueRUB
		a.imp[r.ParticipantID] = true
		if r.Country != "" {
			a.countries[r.Country] = true
		}
		a.g.Illustrative = a.g.Illustrative || r.Illustrative
		a.nImp++
		if r.Quantity == nil || (a.unit != "" && r.Unit != a.unit) {
			a.qtyOK = false
		} else {
			a.qty += *r.Quantity
			a.unit = r.Unit
		}
	}
	for _, c := range d.Capacities {
		a, ok := m[c.ProductCode]
		if !ok {
			continue // capacity without import: not a gap
		}
		a.g.CapacityRUB += c.ValueRUB
		a.cap[c.ParticipantID] = true
		a.nCap++
		if c.Quantity == nil || (a.capUnit != "" && c.Unit != a.capUnit) {
			a.capQtyOK = false
		} else {
			a.capQty += *c.Quantity
			a.capUnit = c.Unit
		}
	}
	out := make([]ImportGap, 0, len(m))
	for _, a := range m {
		g := a.g
		g.ImporterIDs, g.ProducerIDs, g.Countries = keys(a.imp), keys(a.cap), keys(a.countries)
		g.Importers, g.Producers = len(g.ImporterIDs), len(g.ProducerIDs)
		g.GapRUB = math.Max(0, g.ImportedRUB-g.CapacityRUB)
		if a.qtyOK && a.nImp > 0 {
			q := a.qty
			g.ImportedQuantity, g.Unit = &q, a.unit
			if a.nCap == 0 {
				gq := q
				g.GapQuantity = &gq
			} else if a.capQtyOK && a.capUnit == a.unit {
				cq := a.capQty
				gq := math.Max(0, q-cq)
				g.CapacityQuantity, g.GapQuantity = &cq, &gq
			}
		}
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].GapRUB != out[j].GapRUB {
			return out[i].GapRUB > out[j].GapRUB
		}
		return out[i].ProductCode < out[j].ProductCode
	})
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// NicheWeights are the weights of the investment-niche score factors. They
// need not sum to 1: the score is the weighted mean of the available factors.
type NicheWeights struct {
	Gap                float64 `json:"gap"`                 // size of the gap, relative to the largest gap
	Buyers             float64 `json:"buyers"`              // number of importing participants (guaranteed demand)
	ImportSubstitution float64 `json:"import_substitution"` // on an import-substitution list
	Adjacent           float64 `json:"adjacent"`            // participants with adjacent capability
	Specialization     float64 `json:"specialization"`      // regional specialisation (location quotient)
}

// DefaultWeights of the niche score.
var DefaultWeights = NicheWeights{Gap: 0.35, Buyers: 0.25, ImportSubstitution: 0.15, Adjacent: 0.15, Specialization: 0.10}

// Saturation points of the factors: these many buyers or adjacent
// participants, or this location quotient, give the full factor.
const (
	FullBuyers   = 3
	FullAdjacent = 3
	FullLQ       = 2.0
)

// Factor is one term of a niche's score, explained.
type Factor struct {
	Name          string   `json:"name"`
	Value         *float64 `json:"value"`      // the raw figure (null when unavailable)
	Normalized    float64  `json:"normalized"` // 0..1
	Weight        float64  `json:"weight"`
	Contribution  float64  `json:"contribution"` // points of the 0..100 score
	Available     bool     `json:"available"`
	Explanation   string   `json:"explanation"`
	ExplanationRU string   `json:"explanation_ru"`
}

// Adjacent is a participant with a capability next to a niche's product.
type Adjacent struct {
	ParticipantID string `json:"participant_id"`
	Name          string `json:"name"`
	ProductCode   string `json:"product_code"`
	Relation      string `json:"relation"` // makes_input or same_group
}

// ImporterShare is one participant's part of a niche's demand. It is
// per-company data: the server shows it only to cluster members.
type ImporterShare struct {
	ParticipantID string  `json:"participant_id"`
	ValueRUB      float64 `json:"value_rub"`
}

// Niche is an investment niche (инвестиционная ниша): an imported product
// with a gap, scored for an investor.
type Niche struct {
	Rank               int             `json:"rank"`
	ProductCode        string          `json:"product_code"`
	ProductName        string          `json:"product_name"`
	GapRUB             float64         `json:"gap_rub"`
	GapQuantity        *float64        `json:"gap_quantity"`
	Unit               string          `json:"unit,omitempty"`
	ImportedRUB        float64         `json:"imported_rub"`
	CapacityRUB        float64         `json:"capacity_rub"`
	Buyers             int             `json:"buyers"`
	ImportSubstitution bool            `json:"import_substitution"`
	Adjacent           []Adjacent      `json:"adjacent"`
	LQ                 *float64        `json:"lq"`
	LQRegion           string          `json:"lq_region,omitempty"`
	Countries          []string        `json:"countries"`
	Score              float64         `json:"score"` // 0..100
	Factors            []Factor        `json:"factors"`
	Importers          []ImporterShare `json:"importers"`
	Illustrative       bool            `json:"illustrative"`
	Summary            string          `json:"summary"`
	SummaryRU          string          `json:"summary_ru"`
}

// rankNiches scores every product with a gap and orders them.
func rankNiches(d *gm.Dataset, ix *index, gaps []ImportGap, cl *gm.Cluster, emp []gm.Employment, w NicheWeights) []Niche {
	maxGap := 0.0
	for _, g := range gaps {
		maxGap = math.Max(maxGap, g.GapRUB)
	}
	var lqs []LQ
	if len(emp) > 0 {
		lqs = LocationQuotients(emp)
	}
	var regions []string
	if cl != nil {
		regions = cl.Regions
	}
	makes := producers(d)
	out := []Niche{}
	for _, g := range gaps {
		if g.GapRUB <= 0 {
			continue
		}
		n := Niche{ProductCode: g.ProductCode, ProductName: g.ProductName, GapRUB: g.GapRUB, GapQuantity: g.GapQuantity, Unit: g.Unit,
			ImportedRUB: g.ImportedRUB, CapacityRUB: g.CapacityRUB, Buyers: g.Importers, ImportSubstitution: g.ImportSubstitution,
			Countries: g.Countries, Illustrative: g.Illustrative}
		n.Adjacent = adjacent(ix, makes, g.ProductCode)
		n.LQ, n.LQRegion = bestLQ(lqs, g.ProductCode, regions)
		imp := map[string]float64{}
		for _, r := range d.Imports {
			if r.ProductCode == g.ProductCode {
				imp[r.ParticipantID] += r.ValueRUB
			}
		}
		for _, id := range keys(boolKeys(imp)) {
			n.Importers = append(n.Importers, ImporterShare{id, imp[id]})
		}
		sort.SliceStable(n.Importers, func(i, j int) bool { return n.Importers[i].ValueRUB > n.Importers[j].ValueRUB })
		n.Factors, n.Score = score(n, maxGap, w)
		n.Summary, n.SummaryRU = nicheSummary(n)
		out = append(out, n)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].GapRUB != out[j].GapRUB {
			return out[i].GapRUB > out[j].GapRUB
		}
		return out[i].ProductCode < out[j].ProductCode
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

func boolKeys(m map[string]float64) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// producers maps product codes to the participants that make them
// (capacities, or supplies in links).
func producers(d *gm.Dataset) map[string]map[string]bool {
	m := map[string]map[string]bool{}
	add := func(code, id string) {
		if code == "" {
			return
		}
		if m[code] == nil {
			m[code] = map[string]bool{}
		}
		m[code][id] = true
	}
	for _, c := range d.Capacities {
		add(c.ProductCode, c.ParticipantID)
	}
	for _, l := range d.Links {
		add(l.ProductCode, l.SupplierID)
	}
	return m
}

// adjacent lists participants that make the product's inputs or a product of
// the same OKPD2 group (or HS heading).
func adjacent(ix *index, makes map[string]map[string]bool, code string) []Adjacent {
	out := []Adjacent{}
	seen := map[string]bool{}
	add := func(id, prod, rel string) {
		if seen[id] {
			return
		}
		j, ok := ix.pos[id]
		if !ok {
			return
		}
		seen[id] = true
		out = append(out, Adjacent{ParticipantID: id, Name: ix.parts[j].Name, ProductCode: prod, Relation: rel})
	}
	if p, ok := ix.products[code]; ok {
		for _, in := range p.Inputs {
			for _, id := range keys(makes[in]) {
				add(id, in, "makes_input")
			}
		}
	}
	group := gm.CodeGroup(code)
	var codes []string
	for c := range makes {
		if c != code && gm.CodeGroup(c) == group {
			codes = append(codes, c)
		}
	}
	sort.Strings(codes)
	for _, c := range codes {
		for _, id := range keys(makes[c]) {
			add(id, c, "same_group")
		}
	}
	return out
}

// bestLQ finds the highest location quotient, among the cluster's regions,
// of the industry that matches the product: an industry code that is a
// prefix of the product's OKPD2 division (e.g. "24" or "24.4" for 24.42.22).
func bestLQ(lqs []LQ, code string, regions []string) (*float64, string) {
	if len(lqs) == 0 || !gm.IsOKPD2(code) {
		return nil, ""
	}
	inRegion := map[string]bool{}
	for _, r := range regions {
		inRegion[r] = true
	}
	var best *float64
	region := ""
	for _, l := range lqs {
		ind := strings.TrimSpace(l.Industry)
		if ind == "" || !strings.HasPrefix(code, ind) || len(ind) < 2 || (len(regions) > 0 && !inRegion[l.Region]) || l.LQ == nil {
			continue
		}
		if best == nil || *l.LQ > *best {
			v := *l.LQ
			best, region = &v, l.Region
		}
	}
	return best, region
}

func score(n Niche, maxGap float64, w NicheWeights) ([]Factor, float64) {
	f := func(v float64) *float64 { return &v }
	gapNorm := 0.0
	if maxGap > 0 {
		gapNorm = n.GapRUB / maxGap
	}
	factors := []Factor{
		{Name: "gap", Value: f(n.GapRUB), Normalized: gapNorm, Weight: w.Gap, Available: true,
			Explanation:   fmt.Sprintf("gap of %s RUB a year, %.0f%% of the cluster's largest gap", money(n.GapRUB), 100*gapNorm),
			ExplanationRU: fmt.Sprintf("разрыв %s руб. в год, %.0f%% от наибольшего разрыва кластера", moneyRU(n.GapRUB), 100*gapNorm)},
		{Name: "buyers", Value: f(float64(n.Buyers)), Normalized: math.Min(float64(n.Buyers)/FullBuyers, 1), Weight: w.Buyers, Available: true,
			Explanation:   fmt.Sprintf("%d participant(s) import it: guaranteed demand (%d or more give the full factor)", n.Buyers, FullBuyers),
			ExplanationRU: fmt.Sprintf("%s %d %s: гарантированный спрос (полный балл от %d)", gm.PluralRU(n.Buyers, "импортирует", "импортируют", "импортируют"), n.Buyers, participantsRU(n.Buyers), FullBuyers)},
		{Name: "import_substitution", Value: f(b2f(n.ImportSubstitution)), Normalized: b2f(n.ImportSubstitution), Weight: w.ImportSubstitution, Available: true,
			Explanation:   map[bool]string{true: "on an import-substitution list", false: "not on an import-substitution list"}[n.ImportSubstitution],
			ExplanationRU: map[bool]string{true: "входит в перечень импортозамещающей продукции", false: "не входит в перечень импортозамещающей продукции"}[n.ImportSubstitution]},
		{Name: "adjacent", Value: f(float64(len(n.Adjacent))), Normalized: math.Min(float64(len(n.Adjacent))/FullAdjacent, 1), Weight: w.Adjacent, Available: true,
			Explanation:   fmt.Sprintf("%d participant(s) make its inputs or related products (%d or more give the full factor)", len(n.Adjacent), FullAdjacent),
			ExplanationRU: fmt.Sprintf("%d %s %s сырьё для неё или родственную продукцию (полный балл от %d)", len(n.Adjacent), participantsRU(len(n.Adjacent)), gm.PluralRU(len(n.Adjacent), "производит", "производят", "производят"), FullAdjacent)},
	}
	lq := Factor{Name: "specialization", Weight: w.Specialization}
	if n.LQ != nil {
		lq.Value, lq.Available = f(*n.LQ), true
		lq.Normalized = math.Min(*n.LQ/FullLQ, 1)
		lq.Explanation = fmt.Sprintf("location quotient %.2f in %s (%.1f or more gives the full factor)", *n.LQ, n.LQRegion, FullLQ)
		lq.ExplanationRU = fmt.Sprintf("коэффициент локализации %.2f, %s (полный балл от %.1f)", *n.LQ, n.LQRegion, FullLQ)
	} else {
		lq.Explanation = "no employment data for the product's industry in the cluster's regions: factor left out, the others reweighted"
		lq.ExplanationRU = "нет данных о занятости в отрасли продукции в регионах кластера: фактор не учтён, веса остальных пересчитаны"
	}
	factors = append(factors, lq)
	total := 0.0
	for _, x := range factors {
		if x.Available {
			total += x.Weight
		}
	}
	s := 0.0
	for i := range factors {
		if factors[i].Available && total > 0 {
			factors[i].Contribution = 100 * factors[i].Weight / total * factors[i].Normalized
			s += factors[i].Contribution
		}
	}
	return factors, s
}

// participantsRU is «участник», «участника» or «участников» for n.
func participantsRU(n int) string {
	return gm.PluralRU(n, "участник", "участника", "участников")
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func nicheSummary(n Niche) (string, string) {
	en := fmt.Sprintf("%s (%s): %d participant(s) import %s RUB a year; capacity inside the cluster %s RUB; gap %s RUB",
		n.ProductName, n.ProductCode, n.Buyers, money(n.ImportedRUB), money(n.CapacityRUB), money(n.GapRUB))
	ru := fmt.Sprintf("%s (%s): %d %s %s на %s руб. в год; мощности в кластере %s руб.; разрыв %s руб.",
		n.ProductName, n.ProductCode, n.Buyers, participantsRU(n.Buyers), gm.PluralRU(n.Buyers, "импортирует", "импортируют", "импортируют"), moneyRU(n.ImportedRUB), moneyRU(n.CapacityRUB), moneyRU(n.GapRUB))
	if len(n.Adjacent) > 0 {
		en += fmt.Sprintf("; %d participant(s) with adjacent capability", len(n.Adjacent))
		ru += fmt.Sprintf("; смежные компетенции у %d %s", len(n.Adjacent), gm.PluralRU(len(n.Adjacent), "участника", "участников", "участников"))
	}
	if n.Illustrative {
		en += " (illustrative figures)"
		ru += " (иллюстративные данные)"
	}
	return en, ru
}

// money formats roubles as "1.2 bn", "350 mln", "12,000".
func money(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.2f bn", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.1f mln", v/1e6)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

func moneyRU(v float64) string {
	switch {
	case v >= 1e9:
		return strings.Replace(fmt.Sprintf("%.2f млрд", v/1e9), ".", ",", 1)
	case v >= 1e6:
		return strings.Replace(fmt.Sprintf("%.1f млн", v/1e6), ".", ",", 1)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}
