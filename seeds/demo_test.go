package seeds_test

import (
	"fmt"
	"strconv"
	"strings"
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

// Issue #17, point 5: the Omsk SOPC's identified needs as printed (001:566-610):
// 7 bn RUB and 190 k m²; 450 k m³ and 30 bn RUB; 82 k t and 190 k m² a year —
// each figure on the lines it cites, with no label or year the Atlas does not give.
func TestPublishedNeedsAsPrinted001L566(t *testing.T) {
	docs := allDocs(t)
	needs, err := seeds.PublishedNeeds()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"ru-060": {"7 млрд руб. в год", "190 тыс. кв. м в год"}, "ru-056": {"450 тыс. куб. м в год", "30 млрд руб. в год"},
		"ru-061": {"82 тыс. тонн в год", "190 тыс. кв. м в год"}}
	got := map[string][]string{}
	for _, n := range needs {
		got[n.ClusterID] = append(got[n.ClusterID], n.Text)
		text := cited(t, docs, n.Source)
		if !strings.Contains(text, "ВЫЯВЛЕННАЯ ПОТРЕБНОСТЬ") || !strings.Contains(text, n.Text) || !strings.Contains(text, n.ClusterName) {
			t.Errorf("%s %q: %s says %q", n.ClusterID, n.Text, n.Source, text)
		}
		var figure float64
		switch {
		case n.ValueRUB != nil:
			figure = *n.ValueRUB / 1e9
		default:
			figure = *n.Quantity / 1e3
		}
		if !strings.HasPrefix(n.Text, strconv.FormatFloat(figure, 'f', -1, 64)+" ") {
			t.Errorf("%s: %q but %v", n.ClusterID, n.Text, figure)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("needs %v, want %v", got, want)
	}
}
