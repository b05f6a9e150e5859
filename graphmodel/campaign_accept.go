package graphmodel

import (
	"fmt"
	"sort"
	"strconv"
)

// AcceptInput is what accepting a submission is planned from.
type AcceptInput struct {
	Campaign   Campaign
	Submission StoredSubmission // the submission being accepted (submitted)
	// Accepted are the campaign's already accepted submissions of the other
	// participants.
	Accepted   []StoredSubmission
	Members    map[string]bool // the cluster's participants
	AcceptedBy string
	AcceptedAt string
}

// AcceptPlan is what accepting one submission writes for the campaign year.
// Before writing it, the store removes the participant's own records of the
// year: its imports, capacities, indicators, problems, purchases from
// outside the cluster, and every link of the year in which it is the buyer
// (its purchases: the buyer's figure is the link's value); Links re-adds
// those of them that other accepted participants reported as their sales
// and this one did not report as a purchase.
type AcceptPlan struct {
	Year          int
	ParticipantID string
	Links         []SupplyLink
	Imports       []Import
	Capacities    []Capacity
	Indicators    Indicators
	Problems      []ReportedProblem
	Outside       []Purchase
	Provenance    []Provenance
}

// LinkKey, ImportKey and CapacityKey are the provenance keys of records.
func LinkKey(l SupplyLink) string {
	return l.SupplierID + "|" + l.BuyerID + "|" + l.ProductCode + "|" + strconv.Itoa(l.Year)
}

// ImportKey is an import's provenance key.
func ImportKey(m Import) string {
	return m.ParticipantID + "|" + m.ProductCode + "|" + strconv.Itoa(m.Year) + "|" + m.Country
}

// CapacityKey is a capacity's provenance key.
func CapacityKey(c Capacity) string {
	return c.ParticipantID + "|" + c.ProductCode + "|" + strconv.Itoa(c.Year)
}

// PlanAccept turns a submission into the records of the campaign year: its
// purchases from participants become links supplier → participant with the
// buyer's figure; its sales that the buyer (accepted already) did not report
// become links with the supplier's figure, and say so in their source; the
// sales of accepted participants to this one that it did not report as
// purchases are kept the same way. Every record gets its provenance. A
// reference to anyone outside the cluster is refused.
func PlanAccept(in AcceptInput) (*AcceptPlan, error) {
	sub, y, pid := in.Submission, in.Campaign.Year, in.Submission.ParticipantID
	pl := &AcceptPlan{Year: y, ParticipantID: pid, Indicators: sub.Body.Indicators, Problems: sub.Body.Problems}
	var bad []Problem
	member := func(path, id string) bool {
		if !in.Members[id] {
			bad = append(bad, Problem{Column: path, Value: id, Message: "not a participant of cluster " + in.Campaign.ClusterID, MessageRU: "не участник кластера " + in.Campaign.ClusterID})
			return false
		}
		return true
	}
	if !member("participant_id", pid) {
		return nil, Invalid("the participant is not in the cluster; nothing was stored", bad)
	}
	// A figure of an earlier accepted submission keeps who accepted it then.
	prov := func(kind, key string, from StoredSubmission, figure string, v *float64) {
		by, at := in.AcceptedBy, in.AcceptedAt
		if from.AcceptedAt != "" {
			by, at = from.AcceptedBy, from.AcceptedAt
		}
		pl.Provenance = append(pl.Provenance, Provenance{Kind: kind, Key: key, ClusterID: in.Campaign.ClusterID, Year: y, ParticipantID: from.ParticipantID,
			CampaignID: in.Campaign.ID, Figure: figure, ValueRUB: v, SubmittedBy: from.SubmittedBy, SubmittedAt: from.SubmittedAt, AcceptedBy: by, AcceptedAt: at})
	}
	pl.planLinks(in, member, prov)
	for i, m := range sub.Body.Imports {
		imp := Import{ParticipantID: pid, ProductCode: m.ProductCode, Year: y, ValueRUB: deref(m.ValueRUB), Quantity: m.Quantity, Unit: m.Unit, Country: m.Country,
			Source: fmt.Sprintf("campaign %d (%s): imports[%d]", y, in.Campaign.ID, i)}
		pl.Imports = append(pl.Imports, imp)
		prov("import", ImportKey(imp), sub, "", m.ValueRUB)
	}
	for i, m := range sub.Body.Capacities {
		c := Capacity{ParticipantID: pid, ProductCode: m.ProductCode, Year: y, ValueRUB: deref(m.ValueRUB), Source: fmt.Sprintf("campaign %d (%s): capacities[%d]", y, in.Campaign.ID, i)}
		pl.Capacities = append(pl.Capacities, c)
		prov("capacity", CapacityKey(c), sub, "", m.ValueRUB)
	}
	prov("indicators", in.Campaign.ClusterID+"|"+pid+"|"+strconv.Itoa(y), sub, "", nil)
	for i := range sub.Body.Problems {
		prov("problem", fmt.Sprintf("%s|%s|%d|%d", in.Campaign.ClusterID, pid, y, i), sub, "", nil)
	}
	if len(bad) > 0 {
		return nil, Invalid(fmt.Sprintf("%d reference(s) outside the cluster; nothing was stored", len(bad)), bad)
	}
	return pl, nil
}

// planLinks plans the links of the year that the accepted participant's
// submission decides: its purchases (buyer's figure), its sales the buyers
// did not report, and the accepted suppliers' sales to it that it did not
// report. Purchases from outside the cluster become Outside.
func (pl *AcceptPlan) planLinks(in AcceptInput, member func(path, id string) bool, prov func(kind, key string, from StoredSubmission, figure string, v *float64)) {
	sub, y, pid, cid := in.Submission, pl.Year, pl.ParticipantID, in.Campaign.ID
	bought := map[string]bool{} // supplier|product this participant reports buying
	for i, p := range sub.Body.Purchases {
		if p.SupplierID == "" {
			pl.Outside = append(pl.Outside, p)
			prov("outside_purchase", fmt.Sprintf("%s|%s|%d|%d", in.Campaign.ClusterID, pid, y, len(pl.Outside)-1), sub, "buyer", p.ValueRUB)
			continue
		}
		if !member(fmt.Sprintf("purchases[%d].supplier_id", i), p.SupplierID) {
			continue
		}
		bought[p.SupplierID+"|"+p.ProductCode] = true
		l := SupplyLink{SupplierID: p.SupplierID, BuyerID: pid, ProductCode: p.ProductCode, Year: y, ValueRUB: p.ValueRUB, Quantity: p.Quantity, Unit: p.Unit,
			Documented: p.Documented, Source: fmt.Sprintf("campaign %d (%s): the buyer's figure (%s)", y, cid, pid)}
		pl.Links = append(pl.Links, l)
		prov("link", LinkKey(l), sub, "buyer", p.ValueRUB)
	}
	buyerReports := map[string]bool{} // supplier|buyer|product reported as purchases by accepted buyers
	others := append([]StoredSubmission(nil), in.Accepted...)
	sort.Slice(others, func(i, j int) bool { return others[i].ParticipantID < others[j].ParticipantID })
	for _, a := range others {
		for _, p := range a.Body.Purchases {
			if p.SupplierID != "" {
				buyerReports[p.SupplierID+"|"+a.ParticipantID+"|"+p.ProductCode] = true
			}
		}
	}
	for i, s := range sub.Body.Sales {
		if !member(fmt.Sprintf("sales[%d].buyer_id", i), s.BuyerID) || buyerReports[pid+"|"+s.BuyerID+"|"+s.ProductCode] {
			continue
		}
		l := SupplyLink{SupplierID: pid, BuyerID: s.BuyerID, ProductCode: s.ProductCode, Year: y, ValueRUB: s.ValueRUB, Quantity: s.Quantity, Unit: s.Unit,
			Documented: s.Documented, Source: fmt.Sprintf("campaign %d (%s): the supplier's figure (%s); the buyer did not report this purchase", y, cid, pid)}
		pl.Links = append(pl.Links, l)
		prov("link", LinkKey(l), sub, "supplier", s.ValueRUB)
	}
	for _, a := range others {
		if a.ParticipantID == pid || !in.Members[a.ParticipantID] {
			continue
		}
		for _, s := range a.Body.Sales {
			if s.BuyerID != pid || bought[a.ParticipantID+"|"+s.ProductCode] {
				continue
			}
			l := SupplyLink{SupplierID: a.ParticipantID, BuyerID: pid, ProductCode: s.ProductCode, Year: y, ValueRUB: s.ValueRUB, Quantity: s.Quantity, Unit: s.Unit,
				Documented: s.Documented, Source: fmt.Sprintf("campaign %d (%s): the supplier's figure (%s); the buyer did not report this purchase", y, cid, a.ParticipantID)}
			pl.Links = append(pl.Links, l)
			prov("link", LinkKey(l), a, "supplier", s.ValueRUB)
		}
	}
}
