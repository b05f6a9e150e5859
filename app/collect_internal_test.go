package app

import (
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/google/go-cmp/cmp"
)

// Hand-computed totals: a figure nobody reported stays nil (no data), one
// reported as 0 is 0, and the counts say who reported what.
func TestTotals(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	rs := []gm.IndicatorRecord{
		{ParticipantID: "a", Indicators: gm.Indicators{ShippedRUB: f(100), ExportRUB: f(0), Employees: f(10)}},
		{ParticipantID: "b", Indicators: gm.Indicators{ShippedRUB: f(250.5), Employees: f(32)}},
		{ParticipantID: "c", Indicators: gm.Indicators{TaxesRUB: f(7)}},
	}
	sum, n := totals(rs)
	got := map[string]any{}
	for k, v := range sum {
		if v != nil {
			got[k] = *v
		} else {
			got[k] = nil
		}
	}
	want := map[string]any{"shipped_rub": 350.5, "shipped_to_participants_rub": nil, "sme_shipped_rub": nil, "value_added_rub": nil, "materials_rub": nil,
		"investment_rub": nil, "taxes_rub": 7.0, "export_rub": 0.0, "employees": 42.0}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("totals (-want +got):\n%s", d)
	}
	if n["shipped_rub"] != 2 || n["export_rub"] != 1 || n["sme_shipped_rub"] != 0 {
		t.Errorf("counts: %v", n)
	}
	if s, _ := totals(nil); s["shipped_rub"] != nil {
		t.Error("no records must be no data")
	}
}
