package exchange_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/exchange"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
	"github.com/xuri/excelize/v2"
)

// The report workbook in Russian: Russian sheet names and headers, the
// gap sheet with capacity, shipped and spare, the compliance statuses in
// Russian, да/нет; the same report gives the same bytes.
func TestReportSheetsRussian(t *testing.T) {
	ds := sample()
	ds.Imports = append(ds.Imports, gm.Import{ParticipantID: "b", ProductCode: "24.42.11", Year: 2024, ValueRUB: 1e9, Country: "TR"})
	rep, err := analysis.Analyze(context.Background(), ds, analysis.Options{ClusterID: "alu"})
	if err != nil {
		t.Fatal(err)
	}
	write := func() []byte {
		var buf bytes.Buffer
		if err := exchange.WriteWith(&buf, "xlsx", ds, exchange.ReportSheets(rep), exchange.Options{Lang: "ru"}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	data := write()
	if !bytes.Equal(data, write()) {
		t.Error("the same report gave different workbook bytes")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := func(sheet string) [][]string {
		r, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("sheet %s: %v", sheet, err)
		}
		return r
	}
	gaps := rows("Импортные разрывы")
	want := []string{"Код продукции", "Продукция", "Импорт, руб.", "Импортёров", "Мощность производителей, руб.", "Уже поставляется, руб.", "Свободная мощность, руб."}
	for i, h := range want {
		if gaps[0][i] != h {
			t.Errorf("gap header %d = %q, want %q", i, gaps[0][i], h)
		}
	}
	found := false
	for _, g := range rep.ImportGaps {
		if g.ProductCode != "24.42.11" {
			continue
		}
		if g.CapacityRUB == 0 || g.ShippedRUB == 0 || g.SpareRUB != g.CapacityRUB-g.ShippedRUB {
			t.Fatalf("fixture: gap %+v", g)
		}
		for _, r := range gaps[1:] {
			if r[0] == g.ProductCode {
				found = true
				for i, v := range map[int]float64{4: g.CapacityRUB, 5: g.ShippedRUB, 6: g.SpareRUB, 8: g.GapRUB} {
					if got, _ := strconv.ParseFloat(r[i], 64); got != v {
						t.Errorf("%s = %v, want %v", gaps[0][i], r[i], v)
					}
				}
			}
		}
	}
	if !found {
		t.Error("no gap row for 24.42.11")
	}
	ru := map[string]string{analysis.Pass: "выполнено", analysis.Fail: "не выполнено", analysis.Unknown: "нет данных"}
	comp := rows("Соответствие ПП-779")
	if comp[0][3] != "Статус" || len(comp) != len(rep.Compliance.Rules)+2 {
		t.Fatalf("compliance sheet: %q", comp)
	}
	for i, x := range rep.Compliance.Rules {
		if comp[i+1][3] != ru[x.Status] {
			t.Errorf("rule %s status %q shown as %q", x.ID, x.Status, comp[i+1][3])
		}
	}
	metrics := rows("Показатели участников")
	if metrics[0][3] != "Конечный производитель" || metrics[2][3] != "да" || metrics[1][3] != "нет" || metrics[1][2] != "предприятие" {
		t.Errorf("metrics rows: %q %q %q", metrics[0], metrics[1], metrics[2])
	}
	// The data sheets of the same workbook read back as the dataset.
	res, err := tabular.ReadXLSXBytes(data, "report.xlsx", tabular.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Dataset.Links) != 1 || len(res.Dataset.Imports) != 2 || res.Dataset.Participants[1].Name != ds.Participants[1].Name {
		t.Errorf("read back %+v", res.Dataset)
	}
}
