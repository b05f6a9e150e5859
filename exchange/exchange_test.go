package exchange_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/exchange"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
	"github.com/coopchain/coopchain/tabular"
	"github.com/xuri/excelize/v2"
)

func f(v float64) *float64 { return &v }

func sample() *gm.Dataset {
	yes := true
	emp := int64(12)
	return &gm.Dataset{
		Clusters: []gm.Cluster{{ID: "alu", Name: "Алюминиевый кластер", Regions: []string{"Республика Ингушетия", "Москва"}, Kind: gm.ClusterInterregional, Country: "RU", DevelopmentProgramme: &yes, Source: "тест"}},
		Participants: []gm.Participant{
			{ID: "a", Name: "=cmd|' /C calc'!A0", Kind: gm.KindEnterprise, INN: "7707083893", Country: "RU", Employees: &emp, Year: 2024, Clusters: []string{"alu"}},
			{ID: "b", Name: "ООО «Б», \"кавычки\"\nи перевод строки", Kind: gm.KindEnterprise, FinalProducer: true, FinalSalesRUB: f(1.5e9), Country: "RU", Clusters: []string{"alu"}},
			{ID: "c", Name: "@SUM(1)", Kind: gm.KindSOPC, Country: "RU", Clusters: []string{"alu"}},
		},
		Products:   []gm.Product{{Code: "24.42.11", Name: "+Слитки", Unit: "t"}, {Code: "24.42.22", Name: "-Профили", Unit: "t", ImportSubstitution: true, Inputs: []string{"24.42.11"}}},
		Links:      []gm.SupplyLink{{SupplierID: "a", BuyerID: "b", ProductCode: "24.42.11", Year: 2024, ValueRUB: f(123456789.25), Quantity: f(40.5), Unit: "t", Documented: true}},
		Imports:    []gm.Import{{ParticipantID: "b", ProductCode: "24.42.22", Year: 2024, ValueRUB: 1e7, Country: "CN", Illustrative: true}},
		Capacities: []gm.Capacity{{ParticipantID: "a", ProductCode: "24.42.11", Year: 2024, ValueRUB: 9e8}},
	}
}

func openDB(t *testing.T) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func export(t *testing.T, db *sqlstore.DB, format string) []byte {
	t.Helper()
	ds, err := db.ClusterData(context.Background(), "alu")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exchange.Write(&buf, format, ds, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Export → import into an empty database → export gives identical files.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	first := openDB(t)
	if _, err := first.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"csv", "xlsx", "json"} {
		t.Run(format, func(t *testing.T) {
			a := export(t, first, format)
			var ds *gm.Dataset
			switch format {
			case "csv":
				res, err := tabular.ReadZip(bytes.NewReader(a), int64(len(a)), "alu.zip", tabular.Limits{})
				if err != nil {
					t.Fatal(err)
				}
				ds = res.Dataset
			case "xlsx":
				res, err := tabular.ReadXLSX(bytes.NewReader(a), "alu.xlsx", tabular.Limits{})
				if err != nil {
					t.Fatal(err)
				}
				ds = res.Dataset
			case "json":
				var err error
				if ds, err = exchange.ReadJSON(bytes.NewReader(a)); err != nil {
					t.Fatal(err)
				}
			}
			second := openDB(t)
			if _, err := second.Import(ctx, "alu", ds, gm.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			b := export(t, second, format)
			if format == "xlsx" {
				compareWorkbooks(t, a, b)
				return
			}
			if format == "csv" {
				compareZips(t, a, b)
				return
			}
			if !bytes.Equal(a, b) {
				t.Errorf("second export differs:\n%s\n---\n%s", a, b)
			}
		})
	}
}

func compareZips(t *testing.T, a, b []byte) {
	t.Helper()
	read := func(data []byte) map[string]string {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, f := range zr.File {
			rc, _ := f.Open()
			var buf bytes.Buffer
			buf.ReadFrom(rc)
			rc.Close()
			m[f.Name] = buf.String()
		}
		return m
	}
	ma, mb := read(a), read(b)
	if len(ma) != len(mb) || len(ma) < 5 {
		t.Fatalf("files: %d vs %d", len(ma), len(mb))
	}
	for name, x := range ma {
		if mb[name] != x {
			t.Errorf("%s differs:\n%s\n---\n%s", name, x, mb[name])
		}
	}
}

func compareWorkbooks(t *testing.T, a, b []byte) {
	t.Helper()
	fa, err := excelize.OpenReader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	fb, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(fa.GetSheetList(), ",") != strings.Join(fb.GetSheetList(), ",") {
		t.Fatalf("sheets %v vs %v", fa.GetSheetList(), fb.GetSheetList())
	}
	for _, sh := range fa.GetSheetList() {
		ra, _ := fa.GetRows(sh)
		rb, _ := fb.GetRows(sh)
		if len(ra) != len(rb) {
			t.Errorf("%s: %d vs %d rows", sh, len(ra), len(rb))
			continue
		}
		for i := range ra {
			if strings.Join(ra[i], "\x1f") != strings.Join(rb[i], "\x1f") {
				t.Errorf("%s row %d: %q vs %q", sh, i+1, ra[i], rb[i])
			}
		}
	}
}

// Text that spreadsheets would run as a formula is neutralised in CSV and XLSX.
func TestFormulaNeutralised(t *testing.T) {
	ds := sample()
	var csvBuf, xlsxBuf bytes.Buffer
	if err := exchange.Write(&csvBuf, "csv", ds, nil); err != nil {
		t.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(csvBuf.Bytes()), int64(csvBuf.Len()))
	for _, f := range zr.File {
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		for _, line := range strings.Split(b.String(), "\n") {
			for _, cell := range strings.Split(line, ",") {
				c := strings.TrimPrefix(cell, `"`)
				if c != "" && strings.ContainsRune("=+@", rune(c[0])) {
					t.Errorf("%s: cell %q starts a formula", f.Name, cell)
				}
			}
		}
	}
	if err := exchange.Write(&xlsxBuf, "xlsx", ds, nil); err != nil {
		t.Fatal(err)
	}
	x, _ := excelize.OpenReader(bytes.NewReader(xlsxBuf.Bytes()))
	for _, sh := range x.GetSheetList() {
		rows, _ := x.GetRows(sh)
		for _, r := range rows {
			for _, c := range r {
				if c != "" && strings.ContainsRune("=+@", rune(c[0])) {
					t.Errorf("%s: cell %q starts a formula", sh, c)
				}
			}
		}
	}
}

func TestGraphFormatsParse(t *testing.T) {
	ds := sample()
	for _, format := range []string{"graphml", "gexf"} {
		var buf bytes.Buffer
		if err := exchange.Write(&buf, format, ds, nil); err != nil {
			t.Fatal(err)
		}
		var v any
		if err := xml.Unmarshal(buf.Bytes(), &v); err != nil {
			t.Errorf("%s is not well-formed XML: %v", format, err)
		}
		if !strings.Contains(buf.String(), "Алюминиевый") && !strings.Contains(buf.String(), "ООО «Б»") {
			t.Errorf("%s lacks names", format)
		}
		// networkx reads it, when Debian's python3-networkx is installed.
		if exec.Command("/usr/bin/python3", "-c", "import networkx").Run() != nil {
			continue
		}
		path := filepath.Join(t.TempDir(), "g."+format)
		os.WriteFile(path, buf.Bytes(), 0o644)
		reader := map[string]string{"graphml": "read_graphml", "gexf": "read_gexf"}[format]
		script := "import networkx as nx,sys; g=nx." + reader + "(sys.argv[1]); e=list(g.edges(data=True)); " +
			"assert g.number_of_nodes()==3 and g.number_of_edges()==1, (g.number_of_nodes(), g.number_of_edges()); " +
			"d=e[0][2]; v=d.get('value_rub', d.get('weight')); assert abs(float(v)-123456789.25)<1e-6, d; print('ok')"
		out, err := exec.Command("/usr/bin/python3", "-c", script, path).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "ok") {
			t.Errorf("networkx cannot read the %s: %v\n%s", format, err, out)
		}
	}
}

// Names that could break DOT stay inert text.
func TestDOTEscaping(t *testing.T) {
	ds := &gm.Dataset{Participants: []gm.Participant{
		{ID: "x", Name: `a"];evil [label="x`, Kind: gm.KindEnterprise},
		{ID: "y", Name: "back\\slash \\N \\G <b>html</b>\nnew line URL=javascript:alert(1) image=/etc/passwd fontsize=4e18", Kind: gm.KindEnterprise},
	}, Links: []gm.SupplyLink{{SupplierID: "x", BuyerID: "y"}}}
	var buf bytes.Buffer
	if err := exchange.WriteDOT(&buf, ds); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{`evil [label=`, "\\N ", "\\G ", "\nnew line"} {
		if strings.Contains(out, bad) && !strings.Contains(out, `\"];evil [label=\"`) {
			t.Errorf("DOT contains %q unescaped:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, `label="a\"];evil [label=\"x"`) || !strings.Contains(out, `back\\slash \\N \\G <b>html</b>\nnew line`) {
		t.Errorf("labels not escaped as expected:\n%s", out)
	}
	// Graphviz would parse exactly two nodes and one edge: count statements.
	if n := strings.Count(out, " -> "); n != 1 {
		t.Errorf("%d edges", n)
	}
}

func TestTemplatesImportCleanly(t *testing.T) {
	ctx := context.Background()
	var x, z bytes.Buffer
	if err := exchange.WriteTemplateXLSX(&x); err != nil {
		t.Fatal(err)
	}
	if err := exchange.WriteTemplateZip(&z); err != nil {
		t.Fatal(err)
	}
	rx, err := tabular.ReadXLSX(bytes.NewReader(x.Bytes()), "template.xlsx", tabular.Limits{})
	if err != nil {
		t.Fatalf("template workbook does not read: %v", err)
	}
	rz, err := tabular.ReadZip(bytes.NewReader(z.Bytes()), int64(z.Len()), "template.zip", tabular.Limits{})
	if err != nil {
		t.Fatalf("template zip does not read: %v", err)
	}
	for name, ds := range map[string]*gm.Dataset{"xlsx": rx.Dataset, "zip": rz.Dataset} {
		if len(ds.Links) != 1 || len(ds.Participants) != 2 || len(ds.Employment) != 1 || len(ds.Projects) != 1 {
			t.Errorf("%s: %d links %d participants", name, len(ds.Links), len(ds.Participants))
		}
		if _, err := openDB(t).Import(ctx, "alu-demo", ds, gm.ImportOptions{}); err != nil {
			t.Errorf("%s template does not import: %v", name, err)
		}
	}
	f, _ := excelize.OpenReader(bytes.NewReader(x.Bytes()))
	rows, _ := f.GetRows("README")
	if len(rows) < 60 || !strings.Contains(strings.Join(rows[2], " "), "Идентификатор") {
		t.Errorf("README sheet: %d rows, %v", len(rows), rows[:3])
	}
}
