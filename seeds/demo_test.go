package seeds_test

import (
	"testing"

	"github.com/coopchain/coopchain/seeds"
)

// Issue #17, point 7: in the demo data no producer ships more than its
// capacity (it was ЗАС РИАЛ 1.6 bn of capacity and 1.85 bn shipped; ИНКОЛОР,
// ПК АМА, Алмаз likewise): links of the product plus the final sales of a
// producer with one product are at most its capacity, and every value
// stays labelled illustrative (the Atlas gives none, 001:1538-1622).
func TestDemoCapacityCoversShipments(t *testing.T) {
	s, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	for id, ds := range s.Data {
		products := map[string]map[string]float64{}
		for _, c := range ds.Capacities {
			if products[c.ParticipantID] == nil {
				products[c.ParticipantID] = map[string]float64{}
			}
			products[c.ParticipantID][c.ProductCode] += c.ValueRUB
			if id == seeds.DemoCluster && !c.Illustrative {
				t.Errorf("%s: capacity %s/%s not labelled illustrative", id, c.ParticipantID, c.ProductCode)
			}
		}
		shipped := map[string]map[string]float64{}
		for _, l := range ds.Links {
			if l.ValueRUB == nil {
				continue
			}
			if shipped[l.SupplierID] == nil {
				shipped[l.SupplierID] = map[string]float64{}
			}
			shipped[l.SupplierID][l.ProductCode] += *l.ValueRUB
		}
		for _, p := range ds.Participants {
			if p.FinalSalesRUB != nil && len(products[p.ID]) == 1 {
				for code := range products[p.ID] {
					if shipped[p.ID] == nil {
						shipped[p.ID] = map[string]float64{}
					}
					shipped[p.ID][code] += *p.FinalSalesRUB
				}
			}
		}
		for pid, byCode := range products {
			for code, capRUB := range byCode {
				if sh := shipped[pid][code]; sh > capRUB {
					t.Errorf("%s: %s ships %.0f of %s, more than its capacity %.0f", id, pid, sh, code, capRUB)
				}
			}
		}
	}
}
