package tabular

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/xuri/excelize/v2"
)

func sampleDataset() *gm.Dataset {
	v, q, rev := 1234567.89, 0.25, 1500000000.0
	n := int64(350)
	yes := true
	return &gm.Dataset{
		Clusters: []gm.Cluster{{ID: "c1", Name: "Кластер; «Алюминий»", Regions: []string{"Омская область", "Москва"}, Kind: gm.ClusterInterregional, Country: "RU", DevelopmentProgramme: &yes}},
		Participants: []gm.Participant{
			{ID: "a", Name: "ООО «А», завод", Kind: gm.KindEnterprise, Employees: &n, RevenueRUB: &rev, FinalProducer: true, Clusters: []string{"c1"}},
			{ID: "b", Name: "=SUM(A1)", Kind: gm.KindSOPC, Region: "Омская область"},
		},
		Products: []gm.Product{{Code: "24.42.22", Name: "Профили", Unit: "t", ImportSubstitution: true, Inputs: []string{"24.42.11"}}},
		Links:    []gm.SupplyLink{{SupplierID: "a", BuyerID: "b", ProductCode: "24.42.22", Year: 2024, ValueRUB: &v, Quantity: &q, Unit: "t", Documented: true}},
		Imports:  []gm.Import{{ParticipantID: "b", ProductCode: "24.42.22", Year: 2024, ValueRUB: 35000000.5, Country: "CN"}},
	}
}

func sameTables(t *testing.T, what string, a, b []Table) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d sheets, want %d", what, len(b), len(a))
	}
	for i := range a {
		if a[i].Name != b[i].Name || len(a[i].Rows) != len(b[i].Rows) {
			t.Fatalf("%s: sheet %s with %d rows, want %s with %d", what, b[i].Name, len(b[i].Rows), a[i].Name, len(a[i].Rows))
		}
		for j := range a[i].Rows {
			if strings.Join(a[i].Rows[j], "|") != strings.Join(b[i].Rows[j], "|") {
				t.Errorf("%s: %s row %d:\n got %q\nwant %q", what, a[i].Name, j+1, b[i].Rows[j], a[i].Rows[j])
			}
		}
	}
}

// excel-ru is BOM, ';', decimal comma and CRLF, and reads back as the same data.
func TestWriteCSVExcelRU(t *testing.T) {
	ds := sampleDataset()
	var links bytes.Buffer
	if err := WriteCSVDialect(&links, Tables(ds)[3], DialectExcelRU); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffsupplier_id;buyer_id;product_code;year;value_rub;quantity;unit;documented;illustrative;source\r\n" +
		"a;b;24.42.22;2024;1234567,89;0,25;t;true;false;\r\n"
	if links.String() != want {
		t.Errorf("links.csv =\n%q\nwant\n%q", links.String(), want)
	}
	files := map[string]io.Reader{}
	for _, tb := range Tables(ds) {
		var b bytes.Buffer
		if err := WriteCSVDialect(&b, tb, DialectExcelRU); err != nil {
			t.Fatal(err)
		}
		if tb.Name == "clusters" && !strings.Contains(b.String(), "\"Кластер; «Алюминий»\"") {
			t.Errorf("a name with ; is not quoted: %s", b.String())
		}
		files[tb.Name+".csv"] = &b
	}
	res, err := ReadCSVFiles(files, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sameTables(t, "excel-ru round trip", Tables(ds), Tables(res.Dataset))
}

func TestParseDialect(t *testing.T) {
	for in, want := range map[string]Dialect{"": DialectRFC4180, "rfc4180": DialectRFC4180, "Excel-RU": DialectExcelRU} {
		if d, err := ParseDialect(in); err != nil || d != want {
			t.Errorf("ParseDialect(%q) = %q, %v", in, d, err)
		}
	}
	if _, err := ParseDialect("excel"); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("ParseDialect(excel) = %v", err)
	}
}

// A Russian workbook: Russian sheet names and headers, да/нет, number
// formats, frozen header, autofilter, fitted widths; it reads back as the
// same data.
func TestWriteXLSXRussian(t *testing.T) {
	ds := sampleDataset()
	var buf bytes.Buffer
	if err := WriteXLSXLang(&buf, Tables(ds), nil, "ru"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Кластеры,Участники,Продукция,Связи,Импорт" {
		t.Errorf("sheets = %s", got)
	}
	check := func(sheet, cell, want string) {
		t.Helper()
		if got, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); got != want {
			t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
		}
	}
	check("Участники", "B1", "Наименование")
	check("Участники", "E2", "да")
	check("Участники", "E3", "нет")
	check("Участники", "D2", "предприятие")
	check("Участники", "D3", "СОПК")
	check("Кластеры", "F2", "межрегиональный")
	check("Связи", "G2", "т")
	check("Связи", "E1", "Объём, руб.")
	check("Связи", "E2", "1234567.89")
	style, _ := f.GetCellStyle("Связи", "E2")
	st, _ := f.GetStyle(style)
	if st == nil || st.NumFmt != 3 {
		t.Errorf("value_rub style = %+v, want number format 3 (#,##0)", st)
	}
	panes, _ := f.GetPanes("Связи")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v", panes)
	}
	filtered := false
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" && strings.Contains(d.RefersTo, "Участники") && strings.HasSuffix(d.RefersTo, "$A$1:$S$3") {
			filtered = true
		}
	}
	if !filtered {
		t.Errorf("no autofilter over Участники!A1:S3: %+v", f.GetDefinedName())
	}
	wName, _ := f.GetColWidth("Участники", "B")
	wSME, _ := f.GetColWidth("Участники", "I")
	if wName < float64(len([]rune("Наименование")))+1 || wSME >= wName {
		t.Errorf("widths: name %v, sme %v", wName, wSME)
	}
	res, err := ReadXLSXBytes(buf.Bytes(), "ru.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sameTables(t, "Russian workbook round trip", Tables(ds), Tables(res.Dataset))
}

// The CSV zip is byte-identical for the same input, extras in name order,
// entries with a fixed time.
func TestWriteZipDeterministic(t *testing.T) {
	ds := sampleDataset()
	extra := map[string][]byte{"README.txt": []byte("r"), "a.txt": []byte("a"), "z.txt": []byte("z"), "m.txt": []byte("m")}
	var first []byte
	for i := 0; i < 6; i++ {
		var b bytes.Buffer
		if err := WriteZipDialect(&b, Tables(ds), extra, DialectExcelRU); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b.Bytes()
		} else if !bytes.Equal(first, b.Bytes()) {
			t.Fatalf("write %d gave different bytes", i+1)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(zipTime) {
			t.Errorf("%s modified %v", f.Name, f.Modified)
		}
	}
	if got := strings.Join(names, ","); got != "clusters.csv,participants.csv,products.csv,links.csv,imports.csv,README.txt,a.txt,m.txt,z.txt" {
		t.Errorf("entries = %s", got)
	}
}

// Every Russian header maps back to its own column.
func TestRussianTitlesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, sh := range Sheets {
		if title := SheetTitleRU(sh.Name); title == sh.Name || len([]rune(title)) > 31 || seen[title] {
			t.Errorf("sheet %s: title %q", sh.Name, title)
		} else {
			seen[title] = true
		}
		for _, c := range sh.Columns {
			title := ColumnTitleRU(sh.Name, c.Name)
			if title == c.Name || columnName(sh, strings.ToLower(title)) != c.Name {
				t.Errorf("%s.%s: title %q maps back to %q", sh.Name, c.Name, title, columnName(sh, strings.ToLower(title)))
			}
		}
	}
}
