package app

import (
	"bytes"
	"fmt"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
	"github.com/xuri/excelize/v2"
)

// NationalWorkbook lays the national indicators out as one sheet: a row per
// cluster, region or district and the total; money in millions of
// roubles; «скрыто» where the threshold rule withholds a figure, «нет
// данных» where nobody reported it.
func NationalWorkbook(v *NationalIndicatorsView, lang string, tr Translator) (*Download, error) {
	t := func(k string) string { return tr(lang, k) }
	f := excelize.NewFile()
	defer f.Close()
	sh := t("nat.sheet")
	f.SetSheetName("Sheet1", sh)
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}, Border: borders()})
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	text, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Border: borders()})
	mln, pcs := "# ##0.0", "# ##0"
	sMln, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &mln, Border: borders()})
	sPcs, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &pcs, Border: borders()})
	f.SetCellValue(sh, "A1", fmt.Sprintf(t("nat.xlsx.title"), v.Year, t("nat.by."+v.By)))
	f.SetCellStyle(sh, "A1", "A1", title)
	f.SetCellValue(sh, "A2", fmt.Sprintf(t("nat.xlsx.rule"), v.Threshold))
	hdr := []any{t("nat.col." + v.By), t("nat.col.clusters"), t("nat.col.participants")}
	for _, d := range gm.IndicatorDefs {
		name, unit := d.NameRU, t("ind.unit.mln")
		if lang == "en" {
			name = d.NameEN
		}
		if !d.Money {
			unit = t("ind.unit.persons")
		}
		hdr = append(hdr, name+", "+unit)
	}
	f.SetSheetRow(sh, "A4", &hdr)
	f.SetCellStyle(sh, "A4", cell(len(hdr), 4), head)
	row := 5
	put := func(a analysis.NationalAggregate, name string) {
		f.SetCellValue(sh, cell(1, row), tabular.Neutralize(name))
		f.SetCellStyle(sh, cell(1, row), cell(1, row), text)
		f.SetCellInt(sh, cell(2, row), int64(a.Clusters))
		f.SetCellInt(sh, cell(3, row), int64(a.ParticipantsReported))
		f.SetCellStyle(sh, cell(2, row), cell(3, row), sPcs)
		for i, d := range gm.IndicatorDefs {
			at := cell(4+i, row)
			p := a.Totals[d.Key]
			switch {
			case a.Suppressed || contains(a.Withheld, d.Key):
				f.SetCellValue(sh, at, t("nat.hidden"))
				f.SetCellStyle(sh, at, at, text)
			case p == nil:
				f.SetCellValue(sh, at, t("nodata"))
				f.SetCellStyle(sh, at, at, text)
			case d.Money:
				f.SetCellFloat(sh, at, *p/1e6, -1, 64)
				f.SetCellStyle(sh, at, at, sMln)
			default:
				f.SetCellFloat(sh, at, *p, -1, 64)
				f.SetCellStyle(sh, at, at, sPcs)
			}
		}
		row++
	}
	for _, a := range v.Items {
		put(a, NationalItemName(v.By, a, t))
	}
	put(v.Total, t("nat.total"))
	f.SetCellValue(sh, cell(1, row+1), t("nat.xlsx.note"))
	f.SetColWidth(sh, "A", "A", 48)
	f.SetColWidth(sh, "B", "C", 14)
	f.SetColWidth(sh, "D", "L", 22)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, gm.Internal(err, "write the national indicators workbook")
	}
	return &Download{Data: buf.Bytes(), ContentType: MIMEXLSX, FileName: fmt.Sprintf("national-%s-%d-indicators.xlsx", v.By, v.Year)}, nil
}

// NationalItemName is how a row of the national table is named to people:
// the cluster's name, the region, the district's full name; an aggregate of
// clusters without a region is named so.
func NationalItemName(by string, a analysis.NationalAggregate, t func(string) string) string {
	switch {
	case a.Key == "" && by != analysis.LevelCluster:
		return t("nat.unattributed")
	case a.Name != "":
		return a.Name
	}
	return a.Key
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
