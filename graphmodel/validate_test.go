package graphmodel_test

import (
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
)

func TestValidINN(t *testing.T) {
	tests := []struct {
		inn  string
		want bool
	}{
		{"7707083893", true},   // Sberbank
		{"4205389586", true},   // UK PT KEMZ, printed in the Atlas
		{"7707083894", false},  // wrong check digit
		{"500100732259", true}, // a valid 12-digit INN
		{"500100732258", false},
		{"500100732269", false},
		{"12345", false},
		{"77070838931", false}, // 11 digits
		{"77O7083893", false},  // letter O
		{"", false},
	}
	for _, tc := range tests {
		if got := gm.ValidINN(tc.inn); got != tc.want {
			t.Errorf("ValidINN(%q) = %v, want %v", tc.inn, got, tc.want)
		}
	}
}

func TestValidProductCode(t *testing.T) {
	good := []string{"24", "24.4", "24.42", "24.42.2", "24.42.22", "24.42.22.110", "7604", "760429", "76042910", "7604291000"}
	bad := []string{"", "2", "24.", "24.423", "24.42.223", "24.42.22.11", "760", "76042", "abc", "24,42", "24.42.22.1100"}
	for _, c := range good {
		if !gm.ValidProductCode(c) {
			t.Errorf("ValidProductCode(%q) = false, want true", c)
		}
	}
	for _, c := range bad {
		if gm.ValidProductCode(c) {
			t.Errorf("ValidProductCode(%q) = true, want false", c)
		}
	}
	if g := gm.CodeGroup("24.42.22"); g != "24.42" {
		t.Errorf("CodeGroup(24.42.22) = %q", g)
	}
	if g := gm.CodeGroup("7604291000"); g != "7604" {
		t.Errorf("CodeGroup(7604291000) = %q", g)
	}
}

func TestNormalizeUnit(t *testing.T) {
	for in, want := range map[string]string{"шт": "pcs", "м²": "m2", "руб.": "RUB", "т": "t", "M3": "m3", "": ""} {
		got, ok := gm.NormalizeUnit(in)
		if !ok || got != want {
			t.Errorf("NormalizeUnit(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := gm.NormalizeUnit("bushel"); ok {
		t.Error("bushel accepted")
	}
}

func validDataset() *gm.Dataset {
	v := func(f float64) *float64 { return &f }
	return &gm.Dataset{
		Participants: []gm.Participant{
			{ID: "a", Name: "A", Kind: gm.KindEnterprise, INN: "7707083893", Pos: gm.Pos{File: "participants.csv", Row: 2}},
			{ID: "b", Name: "B", Kind: gm.KindEnterprise, Pos: gm.Pos{File: "participants.csv", Row: 3}},
		},
		Products: []gm.Product{{Code: "24.42.22", Name: "Профили", Unit: "t", Pos: gm.Pos{File: "products.csv", Row: 2}}},
		Links:    []gm.SupplyLink{{SupplierID: "a", BuyerID: "b", ProductCode: "24.42.22", Year: 2024, ValueRUB: v(100), Pos: gm.Pos{File: "links.csv", Row: 2}}},
		Imports:  []gm.Import{{ParticipantID: "b", ProductCode: "24.42.22", Year: 2024, ValueRUB: 5, Pos: gm.Pos{File: "imports.csv", Row: 2}}},
	}
}

func TestValidateAcceptsValid(t *testing.T) {
	if p := validDataset().Validate(gm.ValidationOptions{}); len(p) != 0 {
		t.Fatalf("valid dataset rejected: %v", p)
	}
}

// Each broken dataset must yield a problem naming the file, row, column and record.
func TestValidateProblems(t *testing.T) {
	neg := -5.0
	tests := []struct {
		name   string
		break_ func(d *gm.Dataset)
		file   string
		row    int
		column string
		record string
		msg    string
	}{
		{"bad INN checksum", func(d *gm.Dataset) { d.Participants[0].INN = "7707083894" }, "participants.csv", 2, "inn", "a", "checksum"},
		{"duplicate INN", func(d *gm.Dataset) { d.Participants[1].INN = "7707083893" }, "participants.csv", 3, "inn", "b", "already used"},
		{"unknown participant", func(d *gm.Dataset) { d.Links[0].BuyerID = "zzz" }, "links.csv", 2, "buyer_id", "a→zzz", "unknown participant"},
		{"self-link", func(d *gm.Dataset) { d.Links[0].BuyerID = "a" }, "links.csv", 2, "buyer_id", "a→a", "self-link"},
		{"negative value", func(d *gm.Dataset) { d.Links[0].ValueRUB = &neg }, "links.csv", 2, "value_rub", "a→b", "negative"},
		{"negative import", func(d *gm.Dataset) { d.Imports[0].ValueRUB = -1 }, "imports.csv", 2, "value_rub", "b/24.42.22", "negative"},
		{"bad OKPD2", func(d *gm.Dataset) { d.Products[0].Code = "24.4222" }, "products.csv", 2, "code", "24.4222", "OKPD2"},
		{"unknown product", func(d *gm.Dataset) { d.Imports[0].ProductCode = "25.11" }, "imports.csv", 2, "product_code", "b/25.11", "unknown product"},
		{"bad unit", func(d *gm.Dataset) { d.Products[0].Unit = "bushel" }, "products.csv", 2, "unit", "24.42.22", "unknown unit"},
		{"duplicate link", func(d *gm.Dataset) {
			l := d.Links[0]
			l.Pos.Row = 3
			d.Links = append(d.Links, l)
		}, "links.csv", 3, "", "a→b", "duplicate link"},
		{"duplicate id", func(d *gm.Dataset) { d.Participants[1].ID = "a" }, "participants.csv", 3, "id", "a", "duplicate participant id"},
		{"bad id", func(d *gm.Dataset) { d.Participants[1].ID = "b c" }, "participants.csv", 3, "id", "b c", "invalid id"},
		{"empty name", func(d *gm.Dataset) { d.Participants[1].Name = " " }, "participants.csv", 3, "name", "b", "name is required"},
		{"bad kind", func(d *gm.Dataset) { d.Participants[1].Kind = "bank" }, "participants.csv", 3, "kind", "b", "unknown kind"},
		{"bad year", func(d *gm.Dataset) { d.Links[0].Year = 24 }, "links.csv", 2, "year", "a→b", "year"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := validDataset()
			tc.break_(d)
			ps := d.Validate(gm.ValidationOptions{})
			for _, p := range ps {
				if p.File == tc.file && p.Row == tc.row && p.Column == tc.column && p.Record == tc.record && strings.Contains(p.Message, tc.msg) {
					if p.MessageRU == "" {
						t.Errorf("problem without a Russian message: %v", p)
					}
					return
				}
			}
			t.Fatalf("no problem %s:%d %s (%s) %q among %v", tc.file, tc.row, tc.column, tc.record, tc.msg, ps)
		})
	}
}

func TestGraph(t *testing.T) {
	d := validDataset()
	v := 50.0
	d.Links = append(d.Links, gm.SupplyLink{SupplierID: "a", BuyerID: "b", ProductCode: "24.42.22", Year: 2023, ValueRUB: &v})
	g, err := d.Graph()
	if err != nil {
		t.Fatal(err)
	}
	e, err := g.Edge("a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if e.Properties.Weight != 150 {
		t.Errorf("edge weight = %d, want 150 (summed over links)", e.Properties.Weight)
	}
	if n, _ := g.Order(); n != 2 {
		t.Errorf("order = %d", n)
	}
	d.Links = append(d.Links, gm.SupplyLink{SupplierID: "a", BuyerID: "ghost"})
	if _, err := d.Graph(); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("link to unknown participant: err = %v", err)
	}
}

// Text that could not be written to CSV and read back is refused: NUL and
// other control characters, invalid UTF-8, more than MaxTextBytes.
func TestValidateText(t *testing.T) {
	for _, tc := range []struct {
		name string
		ds   gm.Dataset
		col  string
	}{
		{"NUL in a name", gm.Dataset{Participants: []gm.Participant{{ID: "a", Name: "A\x00B", Kind: gm.KindEnterprise}}}, "name"},
		{"escape in a region", gm.Dataset{Participants: []gm.Participant{{ID: "a", Name: "A", Region: "\x1b[31m", Kind: gm.KindEnterprise}}}, "region"},
		{"invalid UTF-8 in a source", gm.Dataset{Participants: []gm.Participant{{ID: "a", Name: "A", Source: "\xff", Kind: gm.KindEnterprise}}}, "source"},
		{"long source", gm.Dataset{Participants: []gm.Participant{{ID: "a", Name: "A", Source: strings.Repeat("x", gm.MaxTextBytes+1), Kind: gm.KindEnterprise}}}, "source"},
		{"NUL in a project status", gm.Dataset{Participants: []gm.Participant{{ID: "a", Name: "A", Kind: gm.KindEnterprise}},
			Projects: []gm.Project{{ID: "p", ParticipantID: "a", Name: "P", Status: "x\x00"}}}, "status"},
		{"DEL in a cluster's specialisation", gm.Dataset{Clusters: []gm.Cluster{{ID: "c", Name: "C", Kind: gm.ClusterLocal, Specialization: "a\x7f"}}}, "specialization"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := tc.ds.Validate(gm.ValidationOptions{})
			if len(ps) != 1 || ps[0].Column != tc.col || ps[0].MessageRU == "" {
				t.Fatalf("problems = %v", ps)
			}
		})
	}
	ok := gm.Dataset{Participants: []gm.Participant{{ID: "a", Name: "ООО «А»\tцех 1\r\nкорпус 2", Kind: gm.KindEnterprise}}}
	if ps := ok.Validate(gm.ValidationOptions{}); len(ps) != 0 {
		t.Errorf("tab and line breaks: %v", ps)
	}
}
