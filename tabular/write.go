package tabular

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Table is a sheet ready to write: a name, a header and rows of cells.
type Table struct {
	Name   string
	Header []string
	Rows   [][]string
	// Text marks the columns holding free text, which are protected against
	// formula injection when written.
	Text map[int]bool
	// Numeric marks the columns written as numbers in a workbook (and with a
	// decimal comma in an excel-ru CSV file).
	Numeric map[int]bool
	// TitleRU and HeaderRU are the sheet's name and headers in a Russian
	// workbook (empty: Name and Header).
	TitleRU  string
	HeaderRU []string
	// Format says how a workbook shows a column: FormatRUB, FormatShare,
	// FormatInt, FormatBool (да/нет in a Russian workbook) or "" (as is).
	Format map[int]string
	// ValuesRU translates the values of a column in a Russian workbook
	// (statuses, …); values not in the map are shown as they are.
	ValuesRU map[int]map[string]string
}

// Column formats of a workbook.
const (
	FormatRUB   = "rub"   // whole roubles with thousands separators
	FormatShare = "share" // a fraction shown as a percentage with one decimal
	FormatInt   = "int"   // a whole number with thousands separators
	FormatBool  = "bool"  // true/false, shown as да/нет in Russian
)

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
		t := Table{Name: name, Text: map[int]bool{}, Numeric: map[int]bool{}, TitleRU: SheetTitleRU(name), Format: map[int]string{}}
		for i, c := range sh.Columns {
			t.Header = append(t.Header, c.Name)
			t.HeaderRU = append(t.HeaderRU, ColumnTitleRU(name, c.Name))
			if m := valuesRU(name, c.Name); m != nil {
				if t.ValuesRU == nil {
					t.ValuesRU = map[int]map[string]string{}
				}
				t.ValuesRU[i] = m
			}
			switch c.Type {
			case "text", "list":
				t.Text[i] = true
			case "int", "number", "year":
				t.Numeric[i] = true
			}
			switch {
			case c.Type == "bool":
				t.Format[i] = FormatBool
			case c.Type == "int":
				t.Format[i] = FormatInt
			case c.Type == "number" && strings.HasSuffix(c.Name, "_rub"):
				t.Format[i] = FormatRUB
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

// WriteCSV writes one table as RFC 4180 CSV: UTF-8, comma delimiter,
// decimal point, LF line ends.
func WriteCSV(w io.Writer, t Table) error { return WriteCSVDialect(w, t, DialectRFC4180) }

// WriteDir writes the tables as CSV files into dir (created if missing).
func WriteDir(dir string, tables []Table) error { return WriteDirDialect(dir, tables, DialectRFC4180) }

// WriteDirDialect writes the tables as CSV files of dialect d into dir
// (created if missing).
func WriteDirDialect(dir string, tables []Table, d Dialect) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, t := range tables {
		var buf bytes.Buffer
		if err := WriteCSVDialect(&buf, t, d); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, t.Name+".csv"), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// WriteZip writes the tables as RFC 4180 CSV files inside a zip archive.
func WriteZip(w io.Writer, tables []Table, extra map[string][]byte) error {
	return WriteZipDialect(w, tables, extra, DialectRFC4180)
}

// zipTime is the modification time of every entry of the zips written, so
// that the same content gives the same bytes.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func zipCreate(zw *zip.Writer, name string) (io.Writer, error) {
	return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
}

// WriteZipDialect writes the tables as CSV files of dialect d inside a zip
// archive, then the extra files in name order; entries carry a fixed time,
// so the same data gives the same bytes.
func WriteZipDialect(w io.Writer, tables []Table, extra map[string][]byte, d Dialect) error {
	zw := zip.NewWriter(w)
	for _, t := range tables {
		f, err := zipCreate(zw, t.Name+".csv")
		if err != nil {
			return err
		}
		if err := WriteCSVDialect(f, t, d); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f, err := zipCreate(zw, name)
		if err != nil {
			return err
		}
		if _, err := f.Write(extra[name]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Deterministic copies a workbook (or any zip) written by excelize so that
// the same content gives the same bytes (see sortedZip).
func Deterministic(w io.Writer, data []byte) error { return sortedZip(w, data) }

// sortedZip copies a zip archive with its entries in name order
// ([Content_Types].xml first, as Office writes it), still compressed:
// excelize writes them in map order, so the same workbook would otherwise
// come out as different bytes each time. Every entry gets the same fixed
// modification time.
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
		fh := f.FileHeader
		fh.Modified, fh.Extra = zipTime, nil
		fw, err := zw.CreateRaw(&fh)
		if err != nil {
			return err
		}
		if _, err := io.Copy(fw, raw); err != nil {
			return err
		}
	}
	return zw.Close()
}
