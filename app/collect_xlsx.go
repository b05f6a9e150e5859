package app

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
	"github.com/xuri/excelize/v2"
)

// Translator is the message catalogue as app sees it: i18n.T.
type Translator func(lang, key string) string

// wbColumn is a column of a submission workbook sheet: its message key
// (wb.col.<key>) and whether it holds figures.
type wbColumn struct {
	key     string
	numeric bool
	width   float64
}

// wbSheet is a sheet of the submission workbook: the section it holds (its
// name is the message wb.sheet.<section>) and its columns.
type wbSheet struct {
	section string
	columns []wbColumn
}

var wbSheets = []wbSheet{
	{"purchases", []wbColumn{{"supplier", false, 42}, {"supplier_name", false, 36}, {"product_code", false, 16}, {"value_rub", true, 20}, {"quantity", true, 14}, {"unit", false, 10}, {"documented", false, 12}}},
	{"sales", []wbColumn{{"buyer", false, 42}, {"product_code", false, 16}, {"value_rub", true, 20}, {"quantity", true, 14}, {"unit", false, 10}, {"documented", false, 12}}},
	{"imports", []wbColumn{{"product_code", false, 16}, {"country", false, 20}, {"value_rub", true, 20}, {"quantity", true, 14}, {"unit", false, 10}}},
	{"capacities", []wbColumn{{"product_code", false, 16}, {"capacity_rub", true, 22}, {"utilisation", true, 14}}},
	{"problems", []wbColumn{{"category", false, 30}, {"text", false, 60}, {"support_needed", false, 50}}},
}

// indicator sheet columns: key, name, unit, value, last year.
var wbIndicatorCols = []wbColumn{{"key", false, 28}, {"indicator", false, 70}, {"unit", false, 10}, {"value", true, 22}, {"previous", true, 22}}

// SubmissionWorkbook is participant pid's submission as a workbook to fill
// in Excel (the participant or its editor): prefilled like the form, Russian
// sheet names and headers, lists to pick the participants and categories
// from. Upload it back with UploadSubmissionWorkbook.
func (a *App) SubmissionWorkbook(ctx context.Context, me Principal, clusterID, id, pid string, tr Translator) (*Download, error) {
	v, err := a.Submission(ctx, me, clusterID, id, pid)
	if err != nil {
		return nil, err
	}
	t := func(k string) string { return tr("ru", k) }
	f := excelize.NewFile()
	defer f.Close()
	w := &wbWriter{f: f, t: t}
	w.styles()
	w.instructions(v)
	w.indicators(v)
	for _, sh := range wbSheets {
		w.section(sh, v)
	}
	w.lists(v)
	f.DeleteSheet("Sheet1")
	f.SetActiveSheet(1)
	var raw, buf bytes.Buffer
	if err := f.Write(&raw); err != nil {
		return nil, gm.Internal(err, "write the submission workbook")
	}
	if err := tabular.Deterministic(&buf, raw.Bytes()); err != nil {
		return nil, gm.Internal(err, "write the submission workbook")
	}
	return &Download{Data: buf.Bytes(), ContentType: MIMEXLSX, FileName: fmt.Sprintf("%s-%d-%s.xlsx", clusterID, v.Year, pid)}, nil
}

// wbWriter lays a submission out as a workbook.
type wbWriter struct {
	f                     *excelize.File
	t                     func(string) string
	head, money, wrap, ro int
}

func (w *wbWriter) styles() {
	w.head, _ = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	fmtMoney := "#,##0.##" // a Russian Excel shows it as «1 234,5»
	w.money, _ = w.f.NewStyle(&excelize.Style{CustomNumFmt: &fmtMoney})
	w.wrap, _ = w.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	w.ro, _ = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "5C5F63"}, CustomNumFmt: &fmtMoney, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
}

func (w *wbWriter) sheet(section string) string { return w.t("wb.sheet." + section) }

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func (w *wbWriter) header(sheet string, cols []wbColumn) {
	for i, c := range cols {
		w.f.SetCellValue(sheet, cell(i+1, 1), w.t("wb.col."+c.key))
		w.f.SetCellStyle(sheet, cell(i+1, 1), cell(i+1, 1), w.head)
		name, _ := excelize.ColumnNumberToName(i + 1)
		w.f.SetColWidth(sheet, name, name, c.width)
	}
	w.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func (w *wbWriter) instructions(v *SubmissionView) {
	sh := w.sheet("readme")
	w.f.SetSheetName("Sheet1", sh)
	w.f.NewSheet(sh)
	lines := []string{fmt.Sprintf(w.t("wb.readme.title"), v.Year), v.ParticipantName, fmt.Sprintf(w.t("wb.readme.deadline"), v.Deadline), "",
		w.t("wb.readme.1"), w.t("wb.readme.2"), w.t("wb.readme.3"), w.t("wb.readme.4"), w.t("wb.readme.5")}
	for i, l := range lines {
		w.f.SetCellValue(sh, cell(1, i+1), tabular.Neutralize(l))
		w.f.SetCellStyle(sh, cell(1, i+1), cell(1, i+1), w.wrap)
	}
	w.f.SetColWidth(sh, "A", "A", 110)
	w.f.SetCellStyle(sh, "A1", "A1", w.head)
}

func (w *wbWriter) indicators(v *SubmissionView) {
	sh := w.sheet("indicators")
	w.f.NewSheet(sh)
	w.header(sh, wbIndicatorCols)
	for i, d := range gm.IndicatorDefs {
		r := i + 2
		w.f.SetCellValue(sh, cell(1, r), d.Key)
		w.f.SetCellValue(sh, cell(2, r), d.NameRU)
		w.f.SetCellValue(sh, cell(3, r), d.UnitRU)
		if x := v.Indicators.Get(d.Key); x != nil {
			w.f.SetCellFloat(sh, cell(4, r), *x, -1, 64)
		}
		w.f.SetCellStyle(sh, cell(4, r), cell(4, r), w.money)
		if v.Previous != nil {
			if x := v.Previous.Indicators.Get(d.Key); x != nil {
				w.f.SetCellFloat(sh, cell(5, r), *x, -1, 64)
			}
		}
		w.f.SetCellStyle(sh, cell(2, r), cell(2, r), w.wrap)
		w.f.SetCellStyle(sh, cell(5, r), cell(5, r), w.ro)
	}
}

// section writes one list of the submission.
func (w *wbWriter) section(sh wbSheet, v *SubmissionView) {
	name := w.sheet(sh.section)
	w.f.NewSheet(name)
	w.header(name, sh.columns)
	yes := func(b bool) string { return map[bool]string{true: w.t("yes"), false: w.t("no")}[b] }
	var rows [][]any
	for _, p := range v.Purchases {
		if sh.section == "purchases" {
			rows = append(rows, []any{v.Members[p.SupplierID], p.SupplierName, p.ProductCode, p.ValueRUB, p.Quantity, p.Unit, yes(p.Documented)})
		}
	}
	for _, p := range v.Sales {
		if sh.section == "sales" {
			rows = append(rows, []any{v.Members[p.BuyerID], p.ProductCode, p.ValueRUB, p.Quantity, p.Unit, yes(p.Documented)})
		}
	}
	for _, p := range v.Imports {
		if sh.section == "imports" {
			rows = append(rows, []any{p.ProductCode, gm.CountryName("ru", p.Country), p.ValueRUB, p.Quantity, p.Unit})
		}
	}
	for _, p := range v.Capacities {
		if sh.section == "capacities" {
			rows = append(rows, []any{p.ProductCode, p.ValueRUB, p.Utilisation})
		}
	}
	for _, p := range v.Problems {
		if sh.section == "problems" {
			rows = append(rows, []any{w.t("cat." + p.Category), p.Text, p.SupportNeeded})
		}
	}
	for i, r := range rows {
		for j, x := range r {
			at := cell(j+1, i+2)
			switch x := x.(type) {
			case *float64:
				if x != nil {
					w.f.SetCellFloat(name, at, *x, -1, 64)
				}
			case string:
				w.f.SetCellValue(name, at, tabular.Neutralize(x))
			}
		}
	}
	for j, c := range sh.columns {
		if c.numeric {
			w.f.SetCellStyle(name, cell(j+1, 2), cell(j+1, 500), w.money)
		}
	}
}

// lists writes the lists to pick from (participants, categories, yes/no)
// and attaches them to the columns that take them.
func (w *wbWriter) lists(v *SubmissionView) {
	sh := w.sheet("lists")
	w.f.NewSheet(sh)
	w.header(sh, []wbColumn{{"participant", false, 50}, {"participant_id", false, 24}, {"category", false, 36}, {"country", false, 24}})
	names := sortedNames(v.Members, v.ParticipantID)
	for i, id := range names {
		w.f.SetCellValue(sh, cell(1, i+2), tabular.Neutralize(v.Members[id]))
		w.f.SetCellValue(sh, cell(2, i+2), id)
	}
	for i, c := range gm.ProblemCategories {
		w.f.SetCellValue(sh, cell(3, i+2), w.t("cat."+c))
	}
	for i, c := range gm.Countries {
		w.f.SetCellValue(sh, cell(4, i+2), c.NameRU)
	}
	ref := func(col string, n int) string { return fmt.Sprintf("'%s'!$%s$2:$%s$%d", sh, col, col, n+1) }
	drop := func(section string, col int, formula string, list []string) {
		dv := excelize.NewDataValidation(true)
		name, _ := excelize.ColumnNumberToName(col)
		dv.SetSqref(name + "2:" + name + "500")
		if list != nil {
			dv.SetDropList(list)
		} else {
			dv.SetSqrefDropList(formula)
		}
		w.f.AddDataValidation(w.sheet(section), dv)
	}
	drop("purchases", 1, ref("A", len(names)), nil)
	drop("sales", 1, ref("A", len(names)), nil)
	drop("problems", 1, ref("C", len(gm.ProblemCategories)), nil)
	drop("purchases", 7, "", []string{w.t("yes"), w.t("no")})
	drop("sales", 6, "", []string{w.t("yes"), w.t("no")})
}

// sortedNames lists the participants other than self by name.
func sortedNames(members map[string]string, self string) []string {
	var ids []string
	for id := range members {
		if id != self {
			ids = append(ids, id)
		}
	}
	sortByName(ids, members)
	return ids
}

func sortByName(ids []string, names map[string]string) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && names[ids[j]] < names[ids[j-1]]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}

// UploadSubmissionWorkbook reads a filled-in submission workbook and saves
// it as participant pid's draft (the participant or its editor), with the
// same checks as the form: a figure that cannot be read refuses the whole
// workbook with the sheet, row and column of every problem, and nothing is
// stored.
func (a *App) UploadSubmissionWorkbook(ctx context.Context, me Principal, clusterID, id, pid string, data []byte, tr Translator) (*SubmissionView, error) {
	k, err := a.ownCollection(ctx, me, clusterID, id, pid)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > a.cfg.UploadLimit {
		return nil, gm.Errorf(gm.ETOOLARGE, "the workbook is larger than %d bytes", a.cfg.UploadLimit)
	}
	form, err := ReadSubmissionWorkbook(data, k.members, tr)
	if err != nil {
		return nil, err
	}
	form.Compact()
	sub, bad := form.Submission()
	if len(bad) > 0 {
		return nil, gm.Invalid(fmt.Sprintf("%d figure(s) could not be read; nothing was stored", len(bad)), form.Locate(bad))
	}
	return a.SaveSubmission(ctx, me, clusterID, id, pid, sub)
}

// wbReader reads the sheets of a submission workbook by their headers, in
// Russian or English.
type wbReader struct {
	f       *excelize.File
	tr      Translator
	members map[string]string
	bad     []gm.Problem
}

func norm(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// ReadSubmissionWorkbook reads a submission workbook into a form (figures
// still text), locating every row by sheet and row number. Participants
// are picked by name (or id).
func ReadSubmissionWorkbook(data []byte, members map[string]string, tr Translator) (SubmissionForm, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return SubmissionForm{}, gm.Errorf(gm.EINVALID, "not an .xlsx workbook: download the submission workbook from the form and fill it in")
	}
	defer f.Close()
	r := &wbReader{f: f, tr: tr, members: members}
	form := SubmissionForm{Indicators: map[string]string{}, IndicatorsPos: map[string]gm.Pos{}}
	found := r.readIndicators(&form)
	for _, sh := range wbSheets {
		rows, name, ok := r.rows(sh.section)
		if !ok {
			continue
		}
		found = true
		col := r.columns(name, rows[0], sh.columns)
		for i, row := range rows[1:] {
			r.row(&form, sh.section, gm.Pos{File: name, Row: i + 2}, func(key string) string { return at(row, col[key]) })
		}
	}
	if !found {
		return form, gm.Errorf(gm.EINVALID, "this is not the submission workbook (no sheet %q): download it from the form", tr("ru", "wb.sheet.indicators"))
	}
	if len(r.bad) > 0 {
		return form, gm.Invalid("the workbook's columns are not the ones expected; nothing was stored", r.bad)
	}
	return form, nil
}

func at(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// rows returns a sheet's rows by its Russian or English name.
func (r *wbReader) rows(section string) ([][]string, string, bool) {
	for _, l := range []string{"ru", "en"} {
		name := r.tr(l, "wb.sheet."+section)
		if idx, _ := r.f.GetSheetIndex(name); idx < 0 {
			continue
		}
		rows, err := r.f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil || len(rows) == 0 {
			return nil, name, false
		}
		return rows, name, true
	}
	return nil, "", false
}

// columns finds each column by its header; a missing one is a problem.
func (r *wbReader) columns(sheet string, header []string, cols []wbColumn) map[string]int {
	out := map[string]int{}
	for _, c := range cols {
		out[c.key] = -1
		for i, h := range header {
			if n := norm(h); n == norm(r.tr("ru", "wb.col."+c.key)) || n == norm(r.tr("en", "wb.col."+c.key)) {
				out[c.key] = i
			}
		}
		if out[c.key] < 0 {
			r.bad = append(r.bad, gm.Problem{File: sheet, Row: 1, Column: r.tr("ru", "wb.col."+c.key), Message: "the column is missing: do not rename or delete the headers",
				MessageRU: "нет столбца «" + r.tr("ru", "wb.col."+c.key) + "»: не переименовывайте и не удаляйте заголовки"})
		}
	}
	return out
}

func (r *wbReader) readIndicators(form *SubmissionForm) bool {
	rows, name, ok := r.rows("indicators")
	if !ok {
		return false
	}
	col := r.columns(name, rows[0], wbIndicatorCols)
	for i, row := range rows[1:] {
		key := at(row, col["key"])
		if (&gm.Indicators{}).Ref(key) == nil {
			continue
		}
		form.Indicators[key] = at(row, col["value"])
		form.IndicatorsPos[key] = gm.Pos{File: name, Row: i + 2}
	}
	return true
}

// participant finds a participant by name or id ("" stays "").
func (r *wbReader) participant(s string) string {
	if s == "" || r.members[s] != "" {
		return s
	}
	for id, n := range r.members {
		if norm(n) == norm(s) {
			return id
		}
	}
	return s
}

func (r *wbReader) category(s string) string {
	for _, c := range gm.ProblemCategories {
		if norm(s) == c || norm(s) == norm(r.tr("ru", "cat."+c)) || norm(s) == norm(r.tr("en", "cat."+c)) {
			return c
		}
	}
	return s
}

func yesNo(s string) bool {
	switch norm(s) {
	case "да", "yes", "true", "1", "+", "x", "д":
		return true
	}
	return false
}

// row reads one row of a section into the form.
func (r *wbReader) row(form *SubmissionForm, section string, pos gm.Pos, get func(key string) string) {
	switch section {
	case "purchases":
		form.Purchases = append(form.Purchases, PurchaseRow{Pos: pos, SupplierID: r.participant(get("supplier")), SupplierName: get("supplier_name"), ProductCode: get("product_code"),
			Value: get("value_rub"), Quantity: get("quantity"), Unit: get("unit"), Documented: yesNo(get("documented"))})
	case "sales":
		form.Sales = append(form.Sales, SaleRow{Pos: pos, BuyerID: r.participant(get("buyer")), ProductCode: get("product_code"), Value: get("value_rub"),
			Quantity: get("quantity"), Unit: get("unit"), Documented: yesNo(get("documented"))})
	case "imports":
		form.Imports = append(form.Imports, ImportRow{Pos: pos, ProductCode: get("product_code"), Country: get("country"), Value: get("value_rub"), Quantity: get("quantity"), Unit: get("unit")})
	case "capacities":
		form.Capacities = append(form.Capacities, CapacityRow{Pos: pos, ProductCode: get("product_code"), Value: get("capacity_rub"), Utilisation: get("utilisation")})
	case "problems":
		form.Problems = append(form.Problems, ProblemRow{Pos: pos, Category: r.category(get("category")), Text: get("text"), SupportNeeded: get("support_needed")})
	}
}
