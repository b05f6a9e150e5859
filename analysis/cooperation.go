package analysis

import (
	"fmt"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// insideShare is the final producers' share of inputs bought inside the
// cluster: purchases from participants / (those + imports + purchases from
// domestic suppliers outside the cluster, where the data gives them).
type insideShare struct {
	known                   bool
	share                   float64
	inside, imported, other float64
	finals, withOther       int // final producers, and those whose outside purchases are known
}

func finalProducersShare(ix *index) insideShare {
	var s insideShare
	for j, p := range ix.parts {
		if p.Kind != gm.KindEnterprise || !p.FinalProducer {
			continue
		}
		s.finals++
		s.inside += ix.inValue[j]
		s.imported += ix.imports[j]
		if p.DomesticPurchasesRUB != nil {
			s.other += *p.DomesticPurchasesRUB
			s.withOther++
		}
	}
	if all := s.inside + s.imported + s.other; ix.weighted && all > 0 {
		s.known, s.share = true, s.inside/all
	}
	return s
}

// text explains the share against the threshold, saying that the
// threshold is coopchain's setting and what the denominator holds.
func (s insideShare) text(threshold float64) (string, string) {
	if !s.known {
		return "; final producers' input values are not in the data", "; нет данных об объёмах закупок производителей конечной продукции"
	}
	en := fmt.Sprintf("; final producers buy %.0f%% of their inputs inside the cluster (threshold %.0f%%: coopchain's setting, not the decree's)", 100*s.share, 100*threshold)
	ru := fmt.Sprintf("; производители конечной продукции закупают в кластере %s\u00a0%% сырья и комплектующих (порог %s\u00a0%% — настройка coopchain, а не норма постановления)", pctRU(s.share), pctRU(threshold))
	switch {
	case s.withOther == 0:
		en += "; their purchases from domestic suppliers outside the cluster are not in the data, so the share counts imports only and may be overstated"
		ru += "; закупок у российских поставщиков вне кластера в данных нет: доля рассчитана только против импорта и может быть завышена"
	case s.withOther < s.finals:
		en += fmt.Sprintf("; purchases from domestic suppliers outside the cluster are known for %d of %d final producers", s.withOther, s.finals)
		ru += fmt.Sprintf("; закупки у российских поставщиков вне кластера известны для %d из %d производителей конечной продукции", s.withOther, s.finals)
	default:
		en += "; purchases from domestic suppliers outside the cluster included"
		ru += "; закупки у российских поставщиков вне кластера учтены"
	}
	return en, ru
}

// cooperationRule: documented cooperation — every enterprise linked to
// another participant by a documented link, and final producers buying at
// least the threshold share of their inputs inside the cluster. A
// participant that only plans production is not counted as unlinked, nor a
// defence (ОПК) enterprise, which may give reference information instead of
// contracts (001:301).
func cooperationRule(cd *complianceData) Rule {
	r := Rule{ID: "documented_cooperation", Title: "Documented cooperation links", TitleRU: "Наличие документально подтверждённых кооперационных связей", Source: srcCooperation}
	if cd.noData {
		return cd.noDataRule(r)
	}
	d, ix := cd.d, cd.ix
	linked, documented := map[string]bool{}, map[string]bool{}
	anyDoc := false
	for _, l := range d.Links {
		linked[l.SupplierID], linked[l.BuyerID] = true, true
		if l.Documented {
			anyDoc = true
			documented[l.SupplierID], documented[l.BuyerID] = true, true
		}
	}
	var unlinked, undocumented, planned, defence []string
	for _, p := range ix.parts {
		switch {
		case p.Kind != gm.KindEnterprise:
		case p.PlansProduction && !linked[p.ID]:
			planned = append(planned, p.ID)
		case p.Defence && !documented[p.ID]:
			defence = append(defence, p.ID)
		case !linked[p.ID]:
			unlinked = append(unlinked, p.ID)
		case !documented[p.ID]:
			undocumented = append(undocumented, p.ID)
		}
	}
	sh := finalProducersShare(ix)
	shareEN, shareRU := sh.text(cd.threshold)
	exEN, exRU := exemptions(ix, planned, defence)
	shareEN, shareRU = exEN+shareEN, exRU+shareRU
	switch {
	case len(d.Links) == 0:
		r.Status = Unknown
		r.Evidence, r.EvidenceRU = "no supply links in the data", "в данных нет кооперационных связей"
	case len(unlinked) > 0:
		r.Status = Fail
		r.Evidence = fmt.Sprintf("%d enterprise(s) have no link to another participant", len(unlinked)) + shareEN
		r.EvidenceRU = fmt.Sprintf("у %d предприятий нет связей с другими участниками", len(unlinked)) + shareRU
		r.Participants = unlinked
	case sh.known && sh.share < cd.threshold:
		r.Status = Fail
		r.Evidence = "every enterprise is linked" + shareEN
		r.EvidenceRU = "все предприятия связаны" + shareRU
	case !anyDoc:
		r.Status = Unknown
		r.Evidence = "every enterprise is linked, but no link is marked documented" + shareEN
		r.EvidenceRU = "все предприятия связаны, но ни одна связь не отмечена как подтверждённая договором" + shareRU
	case len(undocumented) > 0:
		r.Status = Fail
		r.Evidence = fmt.Sprintf("%d enterprise(s) have only undocumented links", len(undocumented)) + shareEN
		r.EvidenceRU = fmt.Sprintf("у %d предприятий связи не подтверждены договорами", len(undocumented)) + shareRU
		r.Participants = undocumented
	case !sh.known:
		r.Status = Unknown
		r.Evidence = "every enterprise has a documented link" + shareEN
		r.EvidenceRU = "у всех предприятий есть подтверждённые связи" + shareRU
	default:
		r.Status = Pass
		r.Evidence = "every enterprise has a documented link" + shareEN
		r.EvidenceRU = "у всех предприятий есть подтверждённые связи" + shareRU
	}
	if len(d.Links) == 0 && cd.incomplete {
		r.Evidence += "; " + cd.missingEN
		r.EvidenceRU += "; " + cd.missingRU
	}
	return r
}

// exemptions says which enterprises are not counted as unlinked or
// undocumented, and why.
func exemptions(ix *index, planned, defence []string) (string, string) {
	name := func(ids []string) string {
		var ns []string
		for _, id := range ids {
			ns = append(ns, ix.parts[ix.pos[id]].Name)
		}
		return strings.Join(ns, ", ")
	}
	var en, ru string
	if len(planned) > 0 {
		en += "; not counted as unlinked, as they only plan production: " + name(planned)
		ru += "; не считаются участниками без связей, так как только планируют выпуск продукции: " + name(planned)
	}
	if len(defence) > 0 {
		en += "; defence (ОПК) enterprises, which may give reference information instead of supply contracts (001:301), not counted: " + name(defence)
		ru += "; предприятия ОПК, которым разрешено предоставлять справочную информацию вместо полных договоров поставки (сноска Атласа к требованиям ПП РФ № 779), не учитываются: " + name(defence)
	}
	return en, ru
}

// Cooperation is the intra-cluster cooperation share: value shipped to other
// participants over all value shipped (to participants plus declared final
// sales).
type Cooperation struct {
	InsideRUB       float64  `json:"inside_rub"`
	OutsideRUB      float64  `json:"outside_rub"` // declared final sales
	Share           *float64 `json:"share"`       // null when no participant declares final sales
	Status          string   `json:"status"`
	Declared        int      `json:"declared"` // participants with declared final sales
	Density         float64  `json:"density"`  // supplier→buyer pairs / n(n−1)
	DocumentedShare *float64 `json:"documented_share"`
	// InputShare is the final producers' share of inputs bought inside the
	// cluster (the PP-779 cooperation rule's figure): purchases from
	// participants / (those + imports + domestic purchases outside the
	// cluster, where known); null without values.
	InputShare *float64 `json:"input_share"`
	// InputShareOutsideKnown counts the final producers whose purchases
	// from domestic suppliers outside the cluster are in the data.
	InputShareOutsideKnown int `json:"input_share_outside_known"`
}

func cooperation(ix *index) Cooperation {
	c := Cooperation{Status: "ok"}
	for j, p := range ix.parts {
		c.InsideRUB += ix.outValue[j]
		if p.FinalSalesRUB != nil {
			c.OutsideRUB += *p.FinalSalesRUB
			c.Declared++
		}
	}
	switch {
	case !ix.weighted || c.InsideRUB+c.OutsideRUB == 0:
		c.Status = "insufficient_data"
	case c.Declared == 0:
		c.Status = "insufficient_data"
	default:
		s := c.InsideRUB / (c.InsideRUB + c.OutsideRUB)
		c.Share = &s
	}
	if n := ix.n(); n > 1 {
		c.Density = float64(ix.g.M()) / float64(n*(n-1))
	}
	var doc, all float64
	for _, l := range ix.ds.Links {
		if l.ValueRUB != nil {
			all += *l.ValueRUB
			if l.Documented {
				doc += *l.ValueRUB
			}
		}
	}
	if all > 0 {
		s := doc / all
		c.DocumentedShare = &s
	}
	if sh := finalProducersShare(ix); sh.known {
		v := sh.share
		c.InputShare, c.InputShareOutsideKnown = &v, sh.withOther
	}
	return c
}
