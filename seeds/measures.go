package seeds

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Sources in the data files are written "001:453-457": the source document
// 001_*.txt (the Atlas), lines 453 to 457. See data/SOURCES.md.

// table is a CSV file of the embedded data read into rows keyed by column.
type table struct {
	file string
	rows []map[string]string
}

// readTable reads data/<name> and checks that it has the given columns.
func readTable(name string, cols ...string) (*table, error) {
	f, err := data.Open("data/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("seed %s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("seed %s: empty", name)
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		idx[strings.TrimSpace(h)] = i
	}
	for _, c := range cols {
		if _, ok := idx[c]; !ok {
			return nil, fmt.Errorf("seed %s: no column %q", name, c)
		}
	}
	t := &table{file: name}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for k, i := range idx {
			if i < len(r) {
				m[k] = strings.TrimSpace(r[i])
			}
		}
		t.rows = append(t.rows, m)
	}
	return t, nil
}

// num parses an optional number; a bad one is an error naming the row.
func (t *table) num(row int, r map[string]string, col string) (*float64, error) {
	s := r[col]
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("seed %s row %d: %s %q is not a number", t.file, row+2, col, s)
	}
	return &v, nil
}

func (t *table) integer(row int, r map[string]string, col string) (int, error) {
	s := r[col]
	if s == "" {
		return 0, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("seed %s row %d: %s %q is not a whole number", t.file, row+2, col, s)
	}
	return v, nil
}

func oneOf(v string, valid []string) bool {
	for _, x := range valid {
		if x == v {
			return true
		}
	}
	return false
}

// Measures returns the support measures for industrial clusters the Atlas
// lists: the federal ones, every regional one and the EAEU mechanism.
func Measures() ([]gm.SupportMeasure, error) {
	t, err := readTable("measures/measures.csv", "id", "level", "kind", "region", "name", "name_en", "terms", "terms_en", "amount_max_rub",
		"share_max_pct", "share_max_sme_pct", "rate_min_pct", "rate_max_pct", "rate_key_share", "term_years", "valid_until", "purpose", "legal_ref", "note", "source", "conditions")
	if err != nil {
		return nil, err
	}
	var out []gm.SupportMeasure
	seen := map[string]bool{}
	for i, r := range t.rows {
		m := gm.SupportMeasure{ID: r["id"], Level: r["level"], Kind: r["kind"], Region: r["region"], Name: r["name"], NameEN: r["name_en"],
			Terms: r["terms"], TermsEN: r["terms_en"], Purpose: r["purpose"], LegalRef: r["legal_ref"], Note: r["note"], Source: r["source"]}
		if m.ID == "" || seen[m.ID] {
			return nil, fmt.Errorf("seed %s row %d: missing or repeated id %q", t.file, i+2, m.ID)
		}
		seen[m.ID] = true
		if !oneOf(m.Level, gm.MeasureLevels) || !oneOf(m.Kind, gm.MeasureKinds) {
			return nil, fmt.Errorf("seed %s row %d: level %q or kind %q unknown", t.file, i+2, m.Level, m.Kind)
		}
		if (m.Level == gm.LevelRegional) != (m.Region != "") || m.LegalRef == "" || m.Source == "" {
			return nil, fmt.Errorf("seed %s row %d: a regional measure needs a region (and only it), every measure a legal reference and a source", t.file, i+2)
		}
		for col, dst := range map[string]**float64{"amount_max_rub": &m.AmountMaxRUB, "share_max_pct": &m.ShareMaxPct, "share_max_sme_pct": &m.ShareMaxSMEPct,
			"rate_min_pct": &m.RateMinPct, "rate_max_pct": &m.RateMaxPct, "rate_key_share": &m.RateKeyShare, "term_years": &m.TermYears} {
			if *dst, err = t.num(i, r, col); err != nil {
				return nil, err
			}
		}
		if m.ValidUntil, err = t.integer(i, r, "valid_until"); err != nil {
			return nil, err
		}
		m.Conditions = []string{}
		for _, c := range strings.Split(r["conditions"], ";") {
			if c = strings.TrimSpace(c); c == "" {
				continue
			}
			if !oneOf(c, gm.MeasureConditions) {
				return nil, fmt.Errorf("seed %s row %d: condition %q unknown", t.file, i+2, c)
			}
			m.Conditions = append(m.Conditions, c)
		}
		out = append(out, m)
	}
	return out, nil
}

// MeasureUses returns the measures the Atlas reports registered clusters'
// participants received.
func MeasureUses() ([]gm.MeasureUse, error) {
	t, err := readTable("measures/uses.csv", "cluster_id", "measure_id", "participant", "amount_rub", "year", "source")
	if err != nil {
		return nil, err
	}
	var out []gm.MeasureUse
	for i, r := range t.rows {
		u := gm.MeasureUse{ClusterID: r["cluster_id"], MeasureID: r["measure_id"], Participant: r["participant"], Source: r["source"]}
		if u.AmountRUB, err = t.num(i, r, "amount_rub"); err != nil {
			return nil, err
		}
		if u.Year, err = t.integer(i, r, "year"); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// EAEURules returns the conditions of the EAEU's financial support of joint
// cooperation projects, as the Atlas gives them (the member states from
// document 004).
func EAEURules() (gm.EAEURules, error) {
	rs := gm.EAEURules{Sources: map[string]string{}}
	t, err := readTable("measures/eaeu_rules.csv", "rule", "value", "text", "source")
	if err != nil {
		return rs, err
	}
	got := map[string]bool{}
	for i, r := range t.rows {
		name, v := r["rule"], r["value"]
		rs.Sources[name] = r["source"]
		got[name] = true
		var f *float64
		if name != "decision" && name != "member_states" && name != "authorised_lender" {
			if f, err = t.num(i, r, "value"); err != nil || f == nil {
				return rs, fmt.Errorf("seed %s row %d: rule %s needs a number", t.file, i+2, name)
			}
		}
		switch name {
		case "decision":
			rs.Decision = v
		case "member_states":
			rs.MemberStates = strings.Split(v, ";")
		case "authorised_lender":
			rs.Lenders = v
		case "min_states":
			rs.MinStates = int(*f)
		case "max_subsidy_rub_per_year":
			rs.MaxSubsidyRUBPerYear = *f
		case "subsidy_years":
			rs.SubsidyYears = int(*f)
		case "max_project_years":
			rs.MaxProjectYears = int(*f)
		case "key_rate_compensation_share":
			rs.KeyRateCompensationShare = *f
		case "max_rate_margin_pp":
			rs.MaxRateMarginPP = *f
		default:
			return rs, fmt.Errorf("seed %s row %d: unknown rule %q", t.file, i+2, name)
		}
	}
	for _, need := range []string{"decision", "member_states", "min_states", "max_subsidy_rub_per_year", "subsidy_years", "max_project_years", "key_rate_compensation_share", "max_rate_margin_pp", "authorised_lender"} {
		if !got[need] {
			return rs, fmt.Errorf("seed %s: rule %s missing", t.file, need)
		}
	}
	tt, err := readTable("measures/eaeu_types.csv", "type", "name", "name_en", "share_pct", "base", "text", "source")
	if err != nil {
		return rs, err
	}
	for i, r := range tt.rows {
		share, err := tt.num(i, r, "share_pct")
		if err != nil || share == nil {
			return rs, fmt.Errorf("seed %s row %d: share_pct needed", tt.file, i+2)
		}
		if r["base"] != gm.BaseProductionCost && r["base"] != gm.BaseProjectCost {
			return rs, fmt.Errorf("seed %s row %d: base %q unknown", tt.file, i+2, r["base"])
		}
		rs.Types = append(rs.Types, gm.EAEUCooperationType{ID: r["type"], Name: r["name"], NameEN: r["name_en"], SharePct: *share, Base: r["base"], Text: r["text"], Source: r["source"]})
	}
	return rs, nil
}

// Reference gathers the read-only reference data the server serves from
// memory: measures, their uses, the EAEU rules, the Eurasian-scope registry
// entries and the published location quotients.
func Reference() (*gm.Reference, error) {
	ms, err := Measures()
	if err != nil {
		return nil, err
	}
	uses, err := MeasureUses()
	if err != nil {
		return nil, err
	}
	rules, err := EAEURules()
	if err != nil {
		return nil, err
	}
	cls, notes, err := EurasiaClusters()
	if err != nil {
		return nil, err
	}
	figs, err := EurasiaFigures()
	if err != nil {
		return nil, err
	}
	lqs, err := PublishedLQ()
	if err != nil {
		return nil, err
	}
	needs, err := PublishedNeeds()
	if err != nil {
		return nil, err
	}
	return &gm.Reference{Measures: ms, MeasureUses: uses, EAEU: rules, Clusters: cls, ClusterNotes: notes, Figures: figs, PublishedLQ: lqs, PublishedNeeds: needs}, nil
}
