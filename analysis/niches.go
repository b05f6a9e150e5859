package analysis

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// NicheWeights are the weights of the investment-niche score factors. They
// need not sum to 1: the score is the weighted mean of the available factors.
type NicheWeights struct {
	Gap                float64 `json:"gap"`                 // size of the gap, on a fixed scale (GapFloorRUB … GapReferenceRUB)
	Buyers             float64 `json:"buyers"`              // number of importing participants (guaranteed demand)
	ImportSubstitution float64 `json:"import_substitution"` // on an import-substitution list
	Adjacent           float64 `json:"adjacent"`            // participants with adjacent capability
	Specialization     float64 `json:"specialization"`      // regional specialisation (location quotient)
}

// DefaultWeights of the niche score: coopchain's settings (the Atlas's
// method names the steps, not weights).
var DefaultWeights = NicheWeights{Gap: 0.35, Buyers: 0.25, ImportSubstitution: 0.15, Adjacent: 0.15, Specialization: 0.10}

// Saturation points of the factors: these many buyers or adjacent
// participants, or this location quotient, give the full factor.
const (
	FullBuyers   = 3
	FullAdjacent = 3
	FullLQ       = 2.0
)

// The gap factor is on one fixed scale for every cluster, so that scores
// compare across clusters (GET /api/v1/niches sorts them together): the
// decimal logarithm of the gap between GapFloorRUB (factor 0) and
// GapReferenceRUB (factor 1) a year. The reference is the order of the
// import-substitution projects the Atlas cites (500 mln – 2 bn RUB a year,
// 001:145-195); both are coopchain's settings.
const (
	GapFloorRUB     = 1e6
	GapReferenceRUB = 1e9
)

// GapFactor is the gap's normalised value: log10(gap/floor) /
// log10(reference/floor), clipped to 0..1.
func GapFactor(gapRUB float64) float64 {
	if gapRUB <= GapFloorRUB {
		return 0
	}
	return math.Min(1, math.Log10(gapRUB/GapFloorRUB)/math.Log10(GapReferenceRUB/GapFloorRUB))
}

// Factor is one term of a niche's score, explained.
type Factor struct {
	Name       string   `json:"name"`
	Value      *float64 `json:"value"`      // the raw figure (null when unavailable)
	Normalized float64  `json:"normalized"` // 0..1
	Weight     float64  `json:"weight"`
	// Share is the weight's part of the score: weight / Σ weights of the
	// available factors.
	Share         float64 `json:"share"`
	Contribution  float64 `json:"contribution"` // points of the 0..100 score
	Available     bool    `json:"available"`
	Explanation   string  `json:"explanation"`
	ExplanationRU string  `json:"explanation_ru"`
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
	Rank               int      `json:"rank"`
	ProductCode        string   `json:"product_code"`
	ProductName        string   `json:"product_name"`
	GapRUB             float64  `json:"gap_rub"`
	GapQuantity        *float64 `json:"gap_quantity"`
	Unit               string   `json:"unit,omitempty"`
	ImportedRUB        float64  `json:"imported_rub"`
	CapacityRUB        float64  `json:"capacity_rub"`
	ShippedRUB         float64  `json:"shipped_rub"`
	SpareRUB           float64  `json:"spare_rub"`
	Buyers             int      `json:"buyers"`
	ImportSubstitution bool     `json:"import_substitution"`
	// ImportSubstitutionKnown: the product is in the data's catalogue.
	ImportSubstitutionKnown bool            `json:"import_substitution_known"`
	Adjacent                []Adjacent      `json:"adjacent"`
	LQ                      *float64        `json:"lq"`
	LQRegion                string          `json:"lq_region,omitempty"`
	Countries               []string        `json:"countries"`
	Score                   float64         `json:"score"` // 0..100
	Factors                 []Factor        `json:"factors"`
	Importers               []ImporterShare `json:"importers"`
	// Analogues are producers of the product in other clusters (national
	// analogues): the Omsk SOPC's method looks for missing local analogues
	// (001:554). Empty when no other cluster's data makes it.
	Analogues    []Analogue `json:"national_analogues"`
	Illustrative bool       `json:"illustrative"`
	Summary      string     `json:"summary"`
	SummaryRU    string     `json:"summary_ru"`
}

// rankNiches scores every product with a gap and orders them.
func rankNiches(d *gm.Dataset, ix *index, gaps []ImportGap, cl *gm.Cluster, emp []gm.Employment, w NicheWeights, national []NationalProducer) []Niche {
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
			ImportedRUB: g.ImportedRUB, CapacityRUB: g.CapacityRUB, ShippedRUB: g.ShippedRUB, SpareRUB: g.SpareRUB, Buyers: g.Importers, ImportSubstitution: g.ImportSubstitution, ImportSubstitutionKnown: g.ImportSubstitutionKnown,
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
		n.Analogues = Analogues(national, cl, g.ProductCode)
		n.Factors, n.Score = score(n, w)
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

func score(n Niche, w NicheWeights) ([]Factor, float64) {
	f := func(v float64) *float64 { return &v }
	gapNorm := GapFactor(n.GapRUB)
	factors := []Factor{
		{Name: "gap", Value: f(n.GapRUB), Normalized: gapNorm, Weight: w.Gap, Available: true,
			Explanation: fmt.Sprintf("gap of %s RUB a year: factor %.2f on a scale the same for every cluster (log10 of the gap from %s RUB = 0 to %s RUB = 1 a year)",
				money(n.GapRUB), gapNorm, money(GapFloorRUB), money(GapReferenceRUB)),
			ExplanationRU: fmt.Sprintf("разрыв %s руб. в год: фактор %s по единой для всех кластеров шкале (десятичный логарифм разрыва от %s руб. = 0 до %s руб. в год = 1)",
				moneyRU(n.GapRUB), commaDecimal(fmt.Sprintf("%.2f", gapNorm)), moneyRU(GapFloorRUB), moneyRU(GapReferenceRUB))},
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
		lq.ExplanationRU = fmt.Sprintf("коэффициент локализации %s, %s (полный балл от %s)", commaDecimal(fmt.Sprintf("%.2f", *n.LQ)), n.LQRegion, commaDecimal(fmt.Sprintf("%.1f", FullLQ)))
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
		x := &factors[i]
		if x.Available && total > 0 {
			x.Share = x.Weight / total
			x.Contribution = 100 * x.Share * x.Normalized
			s += x.Contribution
			// The share as the exact fraction and a readable percentage
			// (0,35 / 0,9 = 38,9 %), not 0,38888888888888884.
			x.Explanation += fmt.Sprintf("; weight %s of %s available (coopchain's setting): %s / %s = %.1f%% of the score",
				fullNum(x.Weight), fullNum(total), fullNum(x.Weight), fullNum(total), 100*x.Share)
			x.ExplanationRU += fmt.Sprintf("; вес %s из %s доступных (настройка coopchain): доля в балле %s / %s = %s\u00a0%%",
				commaDecimal(fullNum(x.Weight)), commaDecimal(fullNum(total)), commaDecimal(fullNum(x.Weight)), commaDecimal(fullNum(total)), commaDecimal(fmt.Sprintf("%.1f", 100*x.Share)))
		}
	}
	return factors, s
}

// participantsRU is «участник», «участника» or «участников» for n.
func participantsRU(n int) string {
	return gm.PluralRU(n, "участник", "участника", "участников")
}

// fullNum writes a number with every digit it has (0.35, 0.3888888888888889).
func fullNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func nicheSummary(n Niche) (string, string) {
	capEN, capRU := "no capacity inside the cluster", "мощностей в кластере нет"
	if n.CapacityRUB > 0 {
		capEN = fmt.Sprintf("capacity inside the cluster %s RUB, of which %s already shipped, %s spare", money(n.CapacityRUB), money(n.ShippedRUB), money(n.SpareRUB))
		capRU = fmt.Sprintf("мощности в кластере %s руб., из них уже поставляется %s, свободно %s", moneyRU(n.CapacityRUB), moneyRU(n.ShippedRUB), moneyRU(n.SpareRUB))
	}
	en := fmt.Sprintf("%s (%s): %d participant(s) import %s RUB a year; %s; gap %s RUB", n.ProductName, n.ProductCode, n.Buyers, money(n.ImportedRUB), capEN, money(n.GapRUB))
	ru := fmt.Sprintf("%s (%s): %d %s %s на %s руб. в год; %s; разрыв %s руб.", n.ProductName, n.ProductCode, n.Buyers, participantsRU(n.Buyers),
		gm.PluralRU(n.Buyers, "импортирует", "импортируют", "импортируют"), moneyRU(n.ImportedRUB), capRU, moneyRU(n.GapRUB))
	if len(n.Adjacent) > 0 {
		en += fmt.Sprintf("; %d participant(s) with adjacent capability", len(n.Adjacent))
		ru += fmt.Sprintf("; смежные компетенции у %d %s", len(n.Adjacent), gm.PluralRU(len(n.Adjacent), "участника", "участников", "участников"))
	}
	if len(n.Analogues) > 0 {
		a := n.Analogues[0]
		en += fmt.Sprintf("; national analogue: %s (%s, %s)", a.Name, a.ClusterName, a.Region)
		ru += fmt.Sprintf("; отечественный аналог: %s (%s, %s)", a.Name, a.ClusterName, a.Region)
		if len(n.Analogues) > 1 {
			en += fmt.Sprintf(" and %d more", len(n.Analogues)-1)
			ru += fmt.Sprintf(" и ещё %d", len(n.Analogues)-1)
		}
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
