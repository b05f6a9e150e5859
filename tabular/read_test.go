package tabular

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The same data saved the ways real users save it must read the same.
func TestReadCSVDialects(t *testing.T) {
	variants := map[string]map[string]string{
		"comma": {
			"participants.csv": "id,name,final_producer\na,\"ООО «А», завод\",true\nb,B,нет\n",
			"links.csv":        "supplier_id,buyer_id,value_rub,year\na,b,1234.5,2024\n",
		},
		"semicolon decimal comma BOM CRLF": {
			"participants.csv": "\ufeffid;name;final_producer\r\na;ООО «А», завод;да\r\nb;B;0\r\n",
			"links.csv":        "supplier_id;buyer_id;value_rub;year\r\na;b;1 234,5;2024\r\n",
		},
		"quoted newline and nbsp thousands": {
			"participants.csv": "id;name;final_producer\n\"a\";\"ООО «А», завод\";1\nb;\"B\";false\n",
			"links.csv":        "supplier_id;buyer_id;value_rub;year\na;b;\"1\u00a0234,50\";2024\n",
		},
		"upper-case header, tab": {
			"participants.csv": "ID\tName\tFinal_Producer\na\tООО «А», завод\tTRUE\nb\tB\tfalse\n",
			"links.csv":        "Supplier_ID\tBuyer_ID\tValue_RUB\tYear\na\tb\t1234,5\t2024\n",
		},
	}
	for name, files := range variants {
		t.Run(name, func(t *testing.T) {
			res, err := ReadDir(writeFiles(t, files), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			ds := res.Dataset
			if len(ds.Participants) != 2 || ds.Participants[0].Name != "ООО «А», завод" || !ds.Participants[0].FinalProducer || ds.Participants[1].FinalProducer {
				t.Errorf("participants = %+v", ds.Participants)
			}
			if len(ds.Links) != 1 || ds.Links[0].ValueRUB == nil || *ds.Links[0].ValueRUB != 1234.5 || ds.Links[0].Year != 2024 {
				t.Errorf("links = %+v", ds.Links)
			}
			if ds.Participants[0].Kind != gm.KindEnterprise {
				t.Errorf("default kind = %q", ds.Participants[0].Kind)
			}
		})
	}
}

func TestQuotedNewlineKeptInName(t *testing.T) {
	res, err := ReadDir(writeFiles(t, map[string]string{
		"participants.csv": "id,name\na,\"line one\nline two\"\nb,B\n",
		"links.csv":        "supplier_id,buyer_id\na,b\n",
	}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Dataset.Participants[0].Name; got != "line one\nline two" {
		t.Errorf("name = %q", got)
	}
	if got := res.Dataset.Participants[1].Pos.Row; got != 4 {
		t.Errorf("row of b = %d, want 4 (the line it starts on)", got)
	}
}

// Every bad input yields an EINVALID (or ETOOLARGE) error whose problems say
// where and why.
func TestReadBadInputs(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of one problem: file:row and message
	}{
		{"ragged row", map[string]string{"participants.csv": "id,name,kind\na,A\n"}, []string{"participants.csv:2", "row has 2 fields, the header has 3"}},
		{"10 MB line", map[string]string{"participants.csv": "id,name\na," + big + "\n"}, []string{"participants.csv:2", "longer than"}},
		{"neither UTF-8 nor Windows-1251", map[string]string{"participants.csv": "id,name\na,\x98\x01\n"}, []string{"participants.csv:2", "0x98", "offset 10", "neither UTF-8 nor Windows-1251"}},
		{"NUL byte", map[string]string{"participants.csv": "id,name\na,A\x00B\n"}, []string{"participants.csv:2", "NUL"}},
		{"unknown column", map[string]string{"participants.csv": "id,name,colour\na,A,red\n"}, []string{"participants.csv:1", "colour", "unknown column"}},
		{"missing required column", map[string]string{"links.csv": "supplier_id,value_rub\na,1\n"}, []string{"links.csv:1", "buyer_id", "missing required column"}},
		{"not a number", map[string]string{"participants.csv": "id,name,revenue_rub\na,A,12 руб\n"}, []string{"participants.csv:2", "revenue_rub", "not a number"}},
		{"bad boolean", map[string]string{"participants.csv": "id,name,final_producer\na,A,maybe\n"}, []string{"participants.csv:2", "final_producer", "yes/no"}},
		{"bare quote", map[string]string{"participants.csv": "id,name\na,A \"B\" C\n"}, []string{"participants.csv:2", "quote"}},
		{"empty required", map[string]string{"participants.csv": "id,name\n,A\n"}, []string{"participants.csv:2", "id", "required"}},
		{"empty file", map[string]string{"participants.csv": ""}, []string{"participants.csv:1", "empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadDir(writeFiles(t, tc.files), Limits{})
			if err == nil {
				t.Fatal("accepted")
			}
			for _, p := range gm.ErrorDetails(err) {
				s := p.String()
				ok := true
				for _, w := range tc.want {
					if !strings.Contains(s, w) {
						ok = false
					}
				}
				if ok {
					if p.MessageRU == "" {
						t.Errorf("no Russian message: %s", s)
					}
					return
				}
			}
			t.Fatalf("no problem with %q in %v", tc.want, err)
		})
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	v := 12.5
	n := int64(40)
	yes := true
	ds := &gm.Dataset{
		Clusters:     []gm.Cluster{{ID: "c1", Name: "Кластер", Regions: []string{"Омская область", "Москва"}, Kind: gm.ClusterInterregional, Country: "RU", DevelopmentProgramme: &yes}},
		Participants: []gm.Participant{{ID: "a", Name: "=HYPERLINK(\"x\")", Kind: gm.KindSOPC, Employees: &n, Clusters: []string{"c1"}}, {ID: "b", Name: "-B", Kind: gm.KindEnterprise, FinalProducer: true, RevenueRUB: &v}},
		Products:     []gm.Product{{Code: "24.42", Name: "Алюминий", Unit: "t", Inputs: []string{"24.42.11"}}, {Code: "24.42.11", Name: "@x"}},
		Links:        []gm.SupplyLink{{SupplierID: "a", BuyerID: "b", ProductCode: "24.42", Year: 2024, ValueRUB: &v, Documented: true}},
	}
	dir := t.TempDir()
	if err := WriteDir(dir, Tables(ds)); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "participants.csv"))
	if !bytes.Contains(raw, []byte(`"'=HYPERLINK(""x"")"`)) || !bytes.Contains(raw, []byte(",'-B,")) {
		t.Errorf("formula not neutralised on export:\n%s", raw)
	}
	res, err := ReadDir(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Dataset
	if got.Participants[0].Name != ds.Participants[0].Name || got.Participants[1].Name != "-B" || *got.Participants[0].Employees != 40 {
		t.Errorf("participants = %+v", got.Participants)
	}
	if strings.Join(got.Clusters[0].Regions, "|") != "Омская область|Москва" || got.Products[0].Inputs[0] != "24.42.11" || got.Products[1].Name != "@x" {
		t.Errorf("clusters/products = %+v %+v", got.Clusters, got.Products)
	}
	// The same through a workbook.
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, Tables(ds), [][]string{{"sheet", "column"}}); err != nil {
		t.Fatal(err)
	}
	res2, err := ReadXLSX(bytes.NewReader(buf.Bytes()), "t.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := Tables(res.Dataset), Tables(res2.Dataset)
	for i := range a {
		for j := range a[i].Rows {
			if strings.Join(a[i].Rows[j], "|") != strings.Join(b[i].Rows[j], "|") {
				t.Errorf("xlsx round trip %s row %d:\n csv  %q\n xlsx %q", a[i].Name, j, a[i].Rows[j], b[i].Rows[j])
			}
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in    string
		style numberStyle
		want  float64
		ok    bool
	}{
		{"1234.5", decimalPoint, 1234.5, true},
		{"1,234.5", decimalPoint, 1234.5, true},
		{"1,5", decimalPoint, 1.5, true},
		{"1 234,5", decimalComma, 1234.5, true},
		{"1.234,5", decimalComma, 1234.5, true},
		{"−3", decimalPoint, -3, true},
		{"1e3", decimalPoint, 1000, true},
		{"12 руб", decimalPoint, 0, false},
		{"NaN", decimalPoint, 0, false},
		{"Inf", decimalPoint, 0, false},
		{"1,2,3", decimalComma, 0, false},
	}
	for _, tc := range tests {
		got, ok := parseNumber(tc.in, tc.style)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseNumber(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
