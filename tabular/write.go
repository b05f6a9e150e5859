package tabular

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/xuri/excelize/v2"
)

// Table is a sheet ready to write: a name, a header and rows of cells.
type Table struct {
	Name   string
	Header []string
	Rows   [][]string
	// Text marks the columns holding free text, which are protected against
	// formula injection when written.
	Text map[int]bool
	// Numeric marks the columns written as numbers in a workbook.
	Numeric map[int]bool
}

func fnum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func fptr(v *float64) string {
	if v == nil {
		return ""
	}
	return fnum(*v)
}

func iptr(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

func fint(v int) string {
	if v == 0 {
		return ""
	}
	return strconv.Itoa(v)
}

func fbool(b bool) string { return strconv.FormatBool(b) }

func bptr(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

// Tables converts a dataset into one table per non-empty sheet, with the
// columns of Sheets, in the order of the records.
func Tables(ds *gm.Dataset) []Table {
	var out []Table
	add := func(name string, n int, row func(i int) []string) {
		if n == 0 && name != "participants" && name != "links" {
			return
		}
		sh, _ := SheetByName(name)
		t := Table{Name: name, Text: map[int]bool{}, Numeric: map[int]bool{}}
		for i, c := range sh.Columns {
			t.Header = append(t.Header, c.Name)
			switch c.Type {
			case "text", "list":
				t.Text[i] = true
			case "int", "number", "year":
				t.Numeric[i] = true
			}
		}
		for i := 0; i < n; i++ {
			t.Rows = append(t.Rows, row(i))
		}
		out = append(out, t)
	}
	add("clusters", len(ds.Clusters), func(i int) []string {
		c := ds.Clusters[i]
		return []string{c.ID, c.Name, fint(c.RegistryNo), strings.Join(c.Regions, ";"), c.Specialization, string(c.Kind), c.Country, fint(c.ParticipantsCount), bptr(c.DevelopmentProgramme), c.Source}
	})
	add("participants", len(ds.Participants), func(i int) []string {
		p := ds.Participants[i]
		return []string{p.ID, p.Name, p.INN, string(p.Kind), fbool(p.FinalProducer), p.Region, p.Country, p.OKVED, bptr(p.SME), iptr(p.Employees), fptr(p.RevenueRUB), fptr(p.FinalSalesRUB),
			fptr(p.DomesticPurchasesRUB), fbool(p.PlansProduction), fbool(p.Defence), fint(p.Year), strings.Join(p.Clusters, ";"), fbool(p.Illustrative), p.Source}
	})
	add("products", len(ds.Products), func(i int) []string {
		p := ds.Products[i]
		return []string{p.Code, p.Name, p.Unit, fbool(p.ImportSubstitution), strings.Join(p.Inputs, ";"), p.Source}
	})
	add("links", len(ds.Links), func(i int) []string {
		l := ds.Links[i]
		return []string{l.SupplierID, l.BuyerID, l.ProductCode, fint(l.Year), fptr(l.ValueRUB), fptr(l.Quantity), l.Unit, fbool(l.Documented), fbool(l.Illustrative), l.Source}
	})
	add("imports", len(ds.Imports), func(i int) []string {
		m := ds.Imports[i]
		return []string{m.ParticipantID, m.ProductCode, fint(m.Year), fnum(m.ValueRUB), fptr(m.Quantity), m.Unit, m.Country, fbool(m.Illustrative), m.Source}
	})
	add("capacities", len(ds.Capacities), func(i int) []string {
		c := ds.Capacities[i]
		return []string{c.ParticipantID, c.ProductCode, fint(c.Year), fnum(c.ValueRUB), fptr(c.Quantity), c.Unit, fbool(c.Illustrative), c.Source}
	})
	add("projects", len(ds.Projects), func(i int) []string {
		p := ds.Projects[i]
		return []string{p.ID, p.ParticipantID, p.ProductCode, p.Name, fbool(p.ImportSubstitution), fint(p.Year), fptr(p.InvestmentRUB), p.Status, fbool(p.Illustrative), p.Source}
	})
	add("employment", len(ds.Employment), func(i int) []string {
		e := ds.Employment[i]
		return []string{e.Region, e.Industry, e.Group, fnum(e.Employees), fint(e.Year)}
	})
	return out
}

// Neutralize protects a text cell against formula injection in spreadsheet
// programs: a value starting with =, +, -, @, tab or CR gets a leading
// apostrophe. The reader removes it again, so data round-trips.
func Neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// unneutralize undoes Neutralize on read.
func unneutralize(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

func (t Table) cells(row []string) []string {
	out := make([]string, len(row))
	for i, v := range row {
		if t.Text[i] {
			v = Neutralize(v)
		}
		out[i] = v
	}
	return out
}

// WriteCSV writes one table as UTF-8 CSV with a comma delimiter and CRLF-free
// line ends.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, r := range t.Rows {
		if err := cw.Write(t.cells(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteDir writes the tables as CSV files into dir (created if missing).
func WriteDir(dir string, tables []Table) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, t := range tables {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, t); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, t.Name+".csv"), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// WriteZip writes the tables as CSV files inside a zip archive.
func WriteZip(w io.Writer, tables []Table, extra map[string][]byte) error {
	zw := zip.NewWriter(w)
	for _, t := range tables {
		f, err := zw.Create(t.Name + ".csv")
		if err != nil {
			return err
		}
		if err := WriteCSV(f, t); err != nil {
			return err
		}
	}
	for name, data := range extra {
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// WriteXLSX writes the tables as sheets of one workbook, numbers as numbers,
// with a bold frozen header row. readme, when non-empty, becomes a first
// sheet named README.
func WriteXLSX(w io.Writer, tables []Table, readme [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}}})
	first := true
	addSheet := func(name string) error {
		if first {
			first = false
			return f.SetSheetName("Sheet1", name)
		}
		_, err := f.NewSheet(name)
		return err
	}
	if len(readme) > 0 {
		if err := addSheet("README"); err != nil {
			return err
		}
		for i, r := range readme {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			vals := make([]any, len(r))
			for j, v := range r {
				vals[j] = Neutralize(v)
			}
			if err := f.SetSheetRow("README", cell, &vals); err != nil {
				return err
			}
		}
		f.SetColWidth("README", "A", "A", 22)
		f.SetColWidth("README", "B", "D", 60)
	}
	for _, t := range tables {
		if err := addSheet(t.Name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(t.Name)
		if err != nil {
			return err
		}
		hdr := make([]any, len(t.Header))
		for i, h := range t.Header {
			hdr[i] = excelize.Cell{Value: h, StyleID: bold}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", hdr); err != nil {
			return err
		}
		for i, r := range t.Rows {
			vals := make([]any, len(r))
			for j, v := range r {
				if t.Text[j] {
					v = Neutralize(v)
				}
				if n, err := strconv.ParseFloat(v, 64); err == nil && t.Numeric[j] && v != "" {
					vals[j] = n
				} else {
					vals[j] = v
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, vals); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if first {
		return fmt.Errorf("no sheets to write")
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	return sortedZip(w, buf.Bytes())
}

// sortedZip copies a zip archive with its entries in name order
// ([Content_Types].xml first, as Office writes it), still compressed:
// excelize writes them in map order, so the same workbook would otherwise
// come out as different bytes each time.
func sortedZip(w io.Writer, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	files := append([]*zip.File(nil), zr.File...)
	key := func(f *zip.File) string {
		if f.Name == "[Content_Types].xml" {
			return ""
		}
		return f.Name
	}
	sort.Slice(files, func(i, j int) bool { return key(files[i]) < key(files[j]) })
	zw := zip.NewWriter(w)
	for _, f := range files {
		raw, err := f.OpenRaw()
		if err != nil {
			return err
		}
		fw, err := zw.CreateRaw(&f.FileHeader)
		if err != nil {
			return err
		}
		if _, err := io.Copy(fw, raw); err != nil {
			return err
		}
	}
	return zw.Close()
}
