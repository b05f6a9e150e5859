package analysis

import (
	"sort"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Match is a suggested cooperation link: a participant imports a product
// that another participant can make (the same product or one of the same
// OKPD2 group).
type Match struct {
	BuyerID         string   `json:"buyer_id"`
	BuyerRegion     string   `json:"buyer_region,omitempty"`
	ProductCode     string   `json:"product_code"`
	ImportedRUB     float64  `json:"imported_rub"`
	SupplierID      string   `json:"supplier_id"`
	SupplierName    string   `json:"supplier_name"`
	SupplierRegion  string   `json:"supplier_region,omitempty"`
	SupplierProduct string   `json:"supplier_product"`
	CapacityRUB     float64  `json:"capacity_rub"`
	Kind            string   `json:"match"`     // exact or same_group
	Proximity       string   `json:"proximity"` // same_region, same_district, other, unknown
	Clusters        []string `json:"supplier_clusters,omitempty"`
}

var proximityRank = map[string]int{"same_region": 0, "same_district": 1, "other": 2, "unknown": 3}

// Matches suggests suppliers inside the data (any cluster) for every
// imported product: exact capacity first, then the same OKPD2 group; nearer
// regions first (same region, same federal district, the rest).
func Matches(d *gm.Dataset) []Match {
	parts := map[string]*gm.Participant{}
	for i := range d.Participants {
		parts[d.Participants[i].ID] = &d.Participants[i]
	}
	type capKey struct{ participant, product string }
	caps := map[capKey]float64{}
	var capOrder []capKey
	for _, c := range d.Capacities {
		k := capKey{c.ParticipantID, c.ProductCode}
		if _, ok := caps[k]; !ok {
			capOrder = append(capOrder, k)
		}
		caps[k] += c.ValueRUB
	}
	type impKey struct{ participant, product string }
	imps := map[impKey]float64{}
	var impOrder []impKey
	for _, m := range d.Imports {
		k := impKey{m.ParticipantID, m.ProductCode}
		if _, ok := imps[k]; !ok {
			impOrder = append(impOrder, k)
		}
		imps[k] += m.ValueRUB
	}
	out := []Match{}
	for _, ik := range impOrder {
		buyer := parts[ik.participant]
		for _, ck := range capOrder {
			if ck.participant == ik.participant {
				continue
			}
			kind := ""
			switch {
			case ck.product == ik.product:
				kind = "exact"
			case gm.CodeGroup(ck.product) == gm.CodeGroup(ik.product):
				kind = "same_group"
			default:
				continue
			}
			sup := parts[ck.participant]
			m := Match{BuyerID: ik.participant, ProductCode: ik.product, ImportedRUB: imps[ik], SupplierID: ck.participant,
				SupplierProduct: ck.product, CapacityRUB: caps[ck], Kind: kind, Proximity: "unknown"}
			if sup != nil {
				m.SupplierName, m.SupplierRegion, m.Clusters = sup.Name, sup.Region, sup.Clusters
			}
			if buyer != nil {
				m.BuyerRegion = buyer.Region
			}
			m.Proximity = proximity(m.BuyerRegion, m.SupplierRegion)
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.BuyerID != b.BuyerID || a.ProductCode != b.ProductCode {
			if a.ImportedRUB != b.ImportedRUB {
				return a.ImportedRUB > b.ImportedRUB
			}
			if a.BuyerID != b.BuyerID {
				return a.BuyerID < b.BuyerID
			}
			return a.ProductCode < b.ProductCode
		}
		if (a.Kind == "exact") != (b.Kind == "exact") {
			return a.Kind == "exact"
		}
		if proximityRank[a.Proximity] != proximityRank[b.Proximity] {
			return proximityRank[a.Proximity] < proximityRank[b.Proximity]
		}
		return a.CapacityRUB > b.CapacityRUB
	})
	return out
}

func proximity(a, b string) string {
	switch {
	case a == "" || b == "":
		return "unknown"
	case a == b:
		return "same_region"
	case FederalDistrict(a) != "" && FederalDistrict(a) == FederalDistrict(b):
		return "same_district"
	}
	return "other"
}
