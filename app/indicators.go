package app

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
	"github.com/xuri/excelize/v2"
)

// PurchaseMix is where the cluster's participants bought their inputs in a
// year: from each other (links), from other Russian suppliers (reported
// purchases outside the cluster) and abroad (imports). nil: no data.
type PurchaseMix struct {
	InsideRUB   *float64 `json:"inside_rub"`
	OutsideRUB  *float64 `json:"outside_rub"`
	ImportsRUB  *float64 `json:"imports_rub"`
	InsideShare *float64 `json:"inside_share"` // inside / all three, when purchases outside the cluster or imports are known
}

// IndicatorsView is a cluster's statutory indicators of a year (001
// «СТАТИСТИКА»): sums over the participants' accepted figures, last year's,
// the change, and how many participants reported. A figure nobody reported
// is null: no data, never zero.
type IndicatorsView struct {
	ClusterID            string              `json:"cluster_id"`
	ClusterName          string              `json:"cluster_name"`
	Year                 int                 `json:"year"`
	ParticipantsReported int                 `json:"participants_reported"`
	PreviousReported     int                 `json:"previous_reported"`
	Totals               map[string]*float64 `json:"totals"`
	Previous             map[string]*float64 `json:"previous"`
	Change               map[string]*float64 `json:"change"`   // (this year − last) / last; null without both
	Reported             map[string]int      `json:"reported"` // participants that reported each figure this year
	Purchases            PurchaseMix         `json:"purchases"`
	Years                []int               `json:"years"` // years with accepted figures
	// History is every year from the first with accepted figures to the
	// latest (or the year shown), oldest first: a year between them that
	// nobody reported has null totals — no data, never zero.
	History []IndicatorYear `json:"history"`
}

// IndicatorYear is the totals of one year of the history.
type IndicatorYear struct {
	Year                 int                 `json:"year"`
	ParticipantsReported int                 `json:"participants_reported"`
	Totals               map[string]*float64 `json:"totals"`
}

// history lays the accepted figures out year by year.
func history(byYear map[int][]gm.IndicatorRecord, years []int, shown int) []IndicatorYear {
	out := []IndicatorYear{}
	if len(years) == 0 {
		return out
	}
	first, last := years[len(years)-1], years[0] // years are newest first
	if shown > last && shown-last <= 5 {         // a year asked for a little after the data
		last = shown
	}
	for y := first; y <= last; y++ {
		t, _ := totals(byYear[y])
		out = append(out, IndicatorYear{Year: y, ParticipantsReported: reporting(byYear[y]), Totals: t})
	}
	return out
}

// totals sums the records' figures by key; nil where nobody reported one.
func totals(rs []gm.IndicatorRecord) (map[string]*float64, map[string]int) {
	sum, n := map[string]*float64{}, map[string]int{}
	for _, d := range gm.IndicatorDefs {
		sum[d.Key] = nil
		n[d.Key] = 0
		for _, r := range rs {
			if v := r.Indicators.Get(d.Key); v != nil {
				s := *v
				if sum[d.Key] != nil {
					s += *sum[d.Key]
				}
				sum[d.Key] = &s
				n[d.Key]++
			}
		}
	}
	return sum, n
}

// Indicators returns the cluster's statutory indicators of the year
// (members); year 0 is the latest year with accepted figures (else the
// latest campaign's, else last year).
func (a *App) Indicators(ctx context.Context, me Principal, clusterID string, year int) (*IndicatorsView, error) {
	if err := Read.Check(me, clusterID); err != nil {
		return nil, err
	}
	cl, err := a.store.GetCluster(ctx, clusterID)
	if err != nil {
		return nil, err
	}
	all, err := a.store.ReportedIndicators(ctx, clusterID, 0)
	if err != nil {
		return nil, err
	}
	v := &IndicatorsView{ClusterID: cl.ID, ClusterName: cl.Name, Year: year, Years: []int{}, History: []IndicatorYear{}}
	byYear := map[int][]gm.IndicatorRecord{}
	for _, r := range all {
		if len(byYear[r.Year]) == 0 {
			v.Years = append(v.Years, r.Year)
		}
		byYear[r.Year] = append(byYear[r.Year], r)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(v.Years)))
	if v.Year == 0 {
		if v.Year, err = a.defaultYear(ctx, clusterID, v.Years); err != nil {
			return nil, err
		}
	}
	v.History = history(byYear, v.Years, v.Year)
	v.Totals, v.Reported = totals(byYear[v.Year])
	v.Previous, _ = totals(byYear[v.Year-1])
	v.ParticipantsReported, v.PreviousReported = reporting(byYear[v.Year]), reporting(byYear[v.Year-1])
	v.Change = map[string]*float64{}
	for _, d := range gm.IndicatorDefs {
		v.Change[d.Key] = nil
		if t, p := v.Totals[d.Key], v.Previous[d.Key]; t != nil && p != nil && *p != 0 {
			v.Change[d.Key] = gm.Ptr((*t - *p) / *p)
		}
	}
	v.Purchases, err = a.purchaseMix(ctx, cl, v.Year)
	return v, err
}

// reporting counts the participants that reported at least one figure.
func reporting(rs []gm.IndicatorRecord) int {
	n := 0
	for _, r := range rs {
		for _, d := range gm.IndicatorDefs {
			if r.Indicators.Get(d.Key) != nil {
				n++
				break
			}
		}
	}
	return n
}

func (a *App) defaultYear(ctx context.Context, clusterID string, years []int) (int, error) {
	if len(years) > 0 {
		return years[0], nil
	}
	cs, err := a.store.Campaigns(ctx, clusterID)
	if err != nil || len(cs) > 0 {
		if len(cs) > 0 {
			return cs[0].Year, nil
		}
		return 0, err
	}
	return time.Now().Year() - 1, nil
}

// purchaseMix sums the year's purchases inside the cluster, outside it and
// abroad.
func (a *App) purchaseMix(ctx context.Context, cl *gm.Cluster, year int) (PurchaseMix, error) {
	var m PurchaseMix
	_, ds, err := a.analyzer.report(ctx, cl, 0)
	if err != nil {
		return m, err
	}
	add := func(p **float64, v float64) {
		if *p == nil {
			*p = new(float64)
		}
		**p += v
	}
	for _, l := range ds.Links {
		if l.Year == year && l.ValueRUB != nil {
			add(&m.InsideRUB, *l.ValueRUB)
		}
	}
	for _, i := range ds.Imports {
		if i.Year == year {
			add(&m.ImportsRUB, i.ValueRUB)
		}
	}
	out, err := a.store.OutsidePurchases(ctx, cl.ID, year)
	if err != nil {
		return m, err
	}
	for _, o := range out {
		if o.ValueRUB != nil {
			add(&m.OutsideRUB, *o.ValueRUB)
		}
	}
	if m.InsideRUB != nil && (m.OutsideRUB != nil || m.ImportsRUB != nil) {
		total := *m.InsideRUB
		for _, p := range []*float64{m.OutsideRUB, m.ImportsRUB} {
			if p != nil {
				total += *p
			}
		}
		if total > 0 {
			m.InsideShare = gm.Ptr(*m.InsideRUB / total)
		}
	}
	return m, nil
}

// IndicatorsWorkbook lays the indicators out in the shape of the report to
// Minpromtorg: indicator, unit, this year, last year, change; money in
// millions of roubles; «нет данных» where nobody reported a figure.
func IndicatorsWorkbook(v *IndicatorsView, lang string, tr Translator) (*Download, error) {
	t := func(k string) string { return tr(lang, k) }
	f := excelize.NewFile()
	defer f.Close()
	sh := t("ind.sheet")
	f.SetSheetName("Sheet1", sh)
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}, Border: borders()})
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Border: borders()})
	// Format codes are stored with , and . whatever the locale: a Russian
	// Excel shows #,##0.0 as «1 234,5».
	mln, pcs, pct := "#,##0.0", "#,##0", "+0.0%;-0.0%;0.0%"
	sMln, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &mln, Border: borders(), Alignment: &excelize.Alignment{Vertical: "top"}})
	sPcs, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &pcs, Border: borders(), Alignment: &excelize.Alignment{Vertical: "top"}})
	sPct, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &pct, Border: borders(), Alignment: &excelize.Alignment{Vertical: "top"}})
	f.SetCellValue(sh, "A1", tabular.Neutralize(fmt.Sprintf(t("ind.xlsx.title"), v.ClusterName, v.Year)))
	f.SetCellStyle(sh, "A1", "A1", title)
	f.SetCellValue(sh, "A2", fmt.Sprintf(t("ind.xlsx.reported"), v.ParticipantsReported, v.Year-1, v.PreviousReported))
	hdr := []any{t("ind.col.indicator"), t("ind.col.unit"), fmt.Sprint(v.Year), fmt.Sprint(v.Year - 1), t("ind.col.change")}
	f.SetSheetRow(sh, "A4", &hdr)
	f.SetCellStyle(sh, "A4", "E4", head)
	nodata := t("nodata")
	put := func(at string, p *float64, scale float64, style int) {
		if p == nil {
			f.SetCellValue(sh, at, nodata)
			f.SetCellStyle(sh, at, at, wrap)
			return
		}
		f.SetCellFloat(sh, at, *p/scale, -1, 64)
		f.SetCellStyle(sh, at, at, style)
	}
	for i, d := range gm.IndicatorDefs {
		r := i + 5
		name, unit, scale, style := d.NameRU, t("ind.unit.mln"), 1e6, sMln
		if lang == "en" {
			name = d.NameEN
		}
		if !d.Money {
			unit, scale, style = t("ind.unit.persons"), 1, sPcs
		}
		f.SetCellValue(sh, cell(1, r), name)
		f.SetCellValue(sh, cell(2, r), unit)
		f.SetCellStyle(sh, cell(1, r), cell(2, r), wrap)
		put(cell(3, r), v.Totals[d.Key], scale, style)
		put(cell(4, r), v.Previous[d.Key], scale, style)
		put(cell(5, r), v.Change[d.Key], 1, sPct)
	}
	last := len(gm.IndicatorDefs) + 5
	f.SetCellValue(sh, cell(1, last), t("ind.participants"))
	f.SetCellValue(sh, cell(2, last), t("ind.unit.count"))
	f.SetCellStyle(sh, cell(1, last), cell(2, last), wrap)
	put(cell(3, last), gm.Ptr(float64(v.ParticipantsReported)), 1, sPcs)
	put(cell(4, last), gm.Ptr(float64(v.PreviousReported)), 1, sPcs)
	f.SetCellValue(sh, cell(1, last+2), t("ind.xlsx.note"))
	f.SetColWidth(sh, "A", "A", 80)
	f.SetColWidth(sh, "B", "B", 12)
	f.SetColWidth(sh, "C", "E", 16)
	f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
	f.AutoFilter(sh, "A4:"+cell(5, last), nil)
	var raw, buf bytes.Buffer
	if err := f.Write(&raw); err != nil {
		return nil, gm.Internal(err, "write the indicators workbook")
	}
	if err := tabular.Deterministic(&buf, raw.Bytes()); err != nil {
		return nil, gm.Internal(err, "write the indicators workbook")
	}
	return &Download{Data: buf.Bytes(), ContentType: MIMEXLSX, FileName: fmt.Sprintf("%s-%d-indicators.xlsx", v.ClusterID, v.Year)}, nil
}

func borders() []excelize.Border {
	var out []excelize.Border
	for _, s := range []string{"left", "right", "top", "bottom"} {
		out = append(out, excelize.Border{Type: s, Color: "A0A8B0", Style: 1})
	}
	return out
}
