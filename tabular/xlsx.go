package tabular

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the tables as sheets of one workbook with English sheet
// names and the column names as headers (see WriteXLSXLang).
func WriteXLSX(w io.Writer, tables []Table, readme [][]string) error {
	return WriteXLSXLang(w, tables, readme, "en")
}

// WriteXLSXLang writes the tables as sheets of one workbook in language
// lang ("ru": the tables' Russian sheet names, headers and values, да/нет
// for booleans): numbers as numbers, roubles as #,##0 and shares as 0.0%
// (a Russian Excel shows them as «1 234» and «12,5%»), a bold frozen header
// row with an autofilter, columns as wide as their content. readme, when
// non-empty, becomes a first sheet (README, «Описание» in Russian). The
// same tables give the same bytes.
func WriteXLSXLang(w io.Writer, tables []Table, readme [][]string, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxWriter{f: f, ru: lang == "ru", first: true}
	if err := x.styles(); err != nil {
		return err
	}
	if len(readme) > 0 {
		if err := x.readme(readme); err != nil {
			return err
		}
	}
	for _, t := range tables {
		if err := x.table(t); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	if x.first {
		return fmt.Errorf("no sheets to write")
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	return sortedZip(w, buf.Bytes())
}

type xlsxWriter struct {
	f     *excelize.File
	ru    bool
	first bool
	head  int
	fmts  map[string]int
}

func (x *xlsxWriter) styles() error {
	var err error
	x.head, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	share := "0.0%"
	x.fmts = map[string]int{}
	// In a fixed order: the style ids are part of the bytes.
	for _, st := range []struct {
		name  string
		style excelize.Style
	}{
		{FormatRUB, excelize.Style{NumFmt: 3}}, // #,##0
		{FormatInt, excelize.Style{NumFmt: 3}},
		{FormatShare, excelize.Style{CustomNumFmt: &share}},
	} {
		if x.fmts[st.name], err = x.f.NewStyle(&st.style); err != nil {
			return err
		}
	}
	return nil
}

func (x *xlsxWriter) addSheet(name string) error {
	if x.first {
		x.first = false
		return x.f.SetSheetName("Sheet1", name)
	}
	_, err := x.f.NewSheet(name)
	return err
}

func (x *xlsxWriter) readme(rows [][]string) error {
	name := "README"
	if x.ru {
		name = "Описание"
	}
	if err := x.addSheet(name); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = Neutralize(v)
		}
		if err := x.f.SetSheetRow(name, cell, &vals); err != nil {
			return err
		}
	}
	x.f.SetColWidth(name, "A", "A", 22)
	return x.f.SetColWidth(name, "B", "D", 60)
}

// shown is the text of a cell as the workbook shows it (before number
// formats).
func (x *xlsxWriter) shown(t Table, col int, v string) string {
	if !x.ru {
		return v
	}
	if t.Format[col] == FormatBool {
		switch v {
		case "true":
			return "да"
		case "false":
			return "нет"
		}
	}
	if m, ok := t.ValuesRU[col]; ok {
		if s, ok := m[v]; ok {
			return s
		}
	}
	return v
}

func (x *xlsxWriter) table(t Table) error {
	name, header := t.Name, t.Header
	if x.ru && t.TitleRU != "" {
		name = t.TitleRU
	}
	if x.ru && len(t.HeaderRU) == len(t.Header) {
		header = t.HeaderRU
	}
	if err := x.addSheet(name); err != nil {
		return err
	}
	rows := make([][]any, len(t.Rows))
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = utf8.RuneCountInString(h)
	}
	for i, r := range t.Rows {
		rows[i] = x.row(t, r, widths)
	}
	if len(header) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(header), len(t.Rows)+1)
		if err := x.f.AutoFilter(name, "A1:"+last, nil); err != nil {
			return err
		}
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(min(max(wd+3, 8), 60))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = excelize.Cell{Value: h, StyleID: x.head}
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return err
	}
	for i, vals := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// row converts a row's cells to workbook values (numbers as numbers, with
// their format's style) and widens widths to fit them.
func (x *xlsxWriter) row(t Table, r []string, widths []int) []any {
	vals := make([]any, len(r))
	for j, v := range r {
		if t.Text[j] {
			v = Neutralize(v)
		}
		v = x.shown(t, j, v)
		n, err := strconv.ParseFloat(v, 64)
		switch {
		case err == nil && t.Numeric[j] && v != "":
			if st, ok := x.fmts[t.Format[j]]; ok {
				vals[j] = excelize.Cell{Value: n, StyleID: st}
			} else {
				vals[j] = n
			}
			v = shownNumber(n, t.Format[j])
		default:
			vals[j] = v
		}
		if j < len(widths) {
			widths[j] = max(widths[j], utf8.RuneCountInString(v))
		}
	}
	return vals
}

// shownNumber approximates how a number looks in its format, for the
// column's width.
func shownNumber(n float64, format string) string {
	switch format {
	case FormatRUB, FormatInt:
		s := strconv.FormatFloat(n, 'f', 0, 64)
		return s + s[:len(s)/3] // a separator every three digits
	case FormatShare:
		return strconv.FormatFloat(n*100, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}
