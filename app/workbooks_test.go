package app

import (
	"bytes"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/xuri/excelize/v2"
)

// The indicators workbook: the same figures give the same bytes; a frozen
// header row with an autofilter; grouped number formats.
func TestIndicatorsWorkbookDeterministic(t *testing.T) {
	v := &IndicatorsView{ClusterID: "alu", ClusterName: "Алюминиевый", Year: 2024, ParticipantsReported: 3, Totals: map[string]*float64{}, Previous: map[string]*float64{}, Change: map[string]*float64{}}
	for i, d := range gm.IndicatorDefs {
		v.Totals[d.Key] = gm.Ptr(float64(i+1) * 1234567.5)
	}
	tr := func(lang, key string) string { return key }
	a, err := IndicatorsWorkbook(v, "ru", tr)
	if err != nil {
		t.Fatal(err)
	}
	b, err := IndicatorsWorkbook(v, "ru", tr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Data, b.Data) {
		t.Fatal("the same indicators gave different bytes")
	}
	f, err := excelize.OpenReader(bytes.NewReader(a.Data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := f.GetSheetList()[0]
	if p, _ := f.GetPanes(sh); !p.Freeze || p.YSplit != 4 {
		t.Errorf("panes = %+v", p)
	}
	filtered := false
	for _, d := range f.GetDefinedName() {
		filtered = filtered || d.Name == "_xlnm._FilterDatabase"
	}
	if !filtered {
		t.Error("no autofilter")
	}
	id, _ := f.GetCellStyle(sh, "C5")
	st, _ := f.GetStyle(id)
	if st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "#,##0.0" {
		t.Errorf("C5 style = %+v", st)
	}
}
