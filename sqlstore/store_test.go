package sqlstore_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
)

func f(v float64) *float64 { return &v }

func sample() *gm.Dataset {
	yes := true
	emp := int64(120)
	return &gm.Dataset{
		Clusters: []gm.Cluster{{ID: "alu", Name: "Алюминиевый кластер", Regions: []string{"Республика Ингушетия", "Московская область"}, Kind: gm.ClusterInterregional, Country: "RU", DevelopmentProgramme: &yes}},
		Participants: []gm.Participant{
			{ID: "smelter", Name: "Завод слитков", Kind: gm.KindEnterprise, INN: "7707083893", Region: "Республика Ингушетия", Country: "RU", Employees: &emp, Year: 2024, Defence: true, Clusters: []string{"alu"}},
			{ID: "extruder", Name: "Экструзия", Kind: gm.KindEnterprise, PlansProduction: true, Country: "RU", Clusters: []string{"alu"}}, // the flag round-trips as given
			{ID: "windows", Name: "Окна и фасады", Kind: gm.KindEnterprise, FinalProducer: true, FinalSalesRUB: f(9e8), DomesticPurchasesRUB: f(1.5e8), Country: "RU", Clusters: []string{"alu"}},
			{ID: "sopc", Name: "СОПК", Kind: gm.KindSOPC, Country: "RU", Clusters: []string{"alu"}},
		},
		Products: []gm.Product{
			{Code: "24.42.11", Name: "Алюминий необработанный", Unit: "t"},
			{Code: "24.42.22", Name: "Профили алюминиевые", Unit: "t", ImportSubstitution: true, Inputs: []string{"24.42.11"}},
			{Code: "20.30.22", Name: "Порошковые краски", Unit: "t"},
		},
		Links: []gm.SupplyLink{
			{SupplierID: "smelter", BuyerID: "extruder", ProductCode: "24.42.11", Year: 2024, ValueRUB: f(5e8), Quantity: f(2000), Unit: "t", Documented: true},
			{SupplierID: "extruder", BuyerID: "windows", ProductCode: "24.42.22", Year: 2024, ValueRUB: f(7e8)},
		},
		Imports:    []gm.Import{{ParticipantID: "windows", ProductCode: "20.30.22", Year: 2024, ValueRUB: 4e7, Country: "CN", Illustrative: true}},
		Capacities: []gm.Capacity{{ParticipantID: "smelter", ProductCode: "24.42.11", Year: 2024, ValueRUB: 6e8}},
		Projects:   []gm.Project{{ID: "p1", ParticipantID: "extruder", ProductCode: "24.42.22", Name: "Линия", ImportSubstitution: true, Year: 2024}},
	}
}

var ignorePos = cmpopts.IgnoreFields(gm.Cluster{}, "Pos", "Version")

func ignore() cmp.Option {
	return cmp.Options{ignorePos,
		cmpopts.IgnoreFields(gm.Participant{}, "Pos"), cmpopts.IgnoreFields(gm.Product{}, "Pos"),
		cmpopts.IgnoreFields(gm.SupplyLink{}, "Pos"), cmpopts.IgnoreFields(gm.Import{}, "Pos"),
		cmpopts.IgnoreFields(gm.Capacity{}, "Pos"), cmpopts.IgnoreFields(gm.Project{}, "Pos"),
		cmpopts.EquateEmpty(),
		cmpopts.SortSlices(func(a, b gm.Participant) bool { return a.ID < b.ID }),
		cmpopts.SortSlices(func(a, b gm.Product) bool { return a.Code < b.Code }),
		cmpopts.SortSlices(func(a, b gm.SupplyLink) bool { return a.SupplierID+a.BuyerID < b.SupplierID+b.BuyerID }),
	}
}

func TestImportRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		in := sample()
		res, err := db.Import(ctx, "alu", in, gm.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows["links"] != 2 || res.Version == 0 {
			t.Errorf("result = %+v", res)
		}
		got, err := db.ClusterData(ctx, "alu")
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(in, got, ignore()); d != "" {
			t.Errorf("round trip (-want +got):\n%s", d)
		}
		// Importing the same data again changes nothing.
		if _, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		again, _ := db.ClusterData(ctx, "alu")
		if d := cmp.Diff(got, again, ignore()); d != "" {
			t.Errorf("re-import changed data:\n%s", d)
		}
	})
}

func TestImportCreatesCluster(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		ds := sample()
		ds.Clusters = nil
		for i := range ds.Participants {
			ds.Participants[i].Clusters = nil
		}
		res, err := db.Import(ctx, "new-cluster", ds, gm.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !res.CreatedCluster {
			t.Error("cluster not reported created")
		}
		c, err := db.GetCluster(ctx, "new-cluster")
		if err != nil || c.Kind != gm.ClusterLocal {
			t.Fatalf("cluster = %+v, %v", c, err)
		}
	})
}

// A dataset with any error stores nothing, and the error names record and field.
func TestImportAllOrNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		if _, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		before, _ := db.ClusterData(ctx, "alu")
		v0, _ := db.DataVersion(ctx)
		cases := map[string]func(d *gm.Dataset){
			"wrong INN":           func(d *gm.Dataset) { d.Participants[1].INN = "1234567890" },
			"unknown participant": func(d *gm.Dataset) { d.Links[1].BuyerID = "ghost" },
			"self-link":           func(d *gm.Dataset) { d.Links[1].BuyerID = "extruder" },
			"negative value":      func(d *gm.Dataset) { d.Links[0].ValueRUB = f(-1) },
			"INN of another stored participant": func(d *gm.Dataset) {
				d.Participants = append(d.Participants, gm.Participant{ID: "other", Name: "Other", Kind: gm.KindEnterprise, INN: "7707083893"})
				d.Participants[0].INN = ""
				d.Participants = d.Participants[1:]
				d.Links = d.Links[1:]
				d.Capacities = nil
			},
		}
		for name, breakIt := range cases {
			t.Run(name, func(t *testing.T) {
				ds := sample()
				// Change something valid too, to see that it is not stored either.
				ds.Participants[2].Name = "CHANGED"
				breakIt(ds)
				_, err := db.Import(ctx, "alu", ds, gm.ImportOptions{})
				if gm.ErrorCode(err) != gm.EINVALID || len(gm.ErrorDetails(err)) == 0 {
					t.Fatalf("err = %v", err)
				}
				p := gm.ErrorDetails(err)[0]
				if p.Record == "" || p.Column == "" {
					t.Errorf("problem does not name record and field: %+v", p)
				}
				after, _ := db.ClusterData(ctx, "alu")
				if d := cmp.Diff(before, after, ignore()); d != "" {
					t.Errorf("failed import changed data:\n%s", d)
				}
				if v, _ := db.DataVersion(ctx); v != v0 {
					t.Errorf("data version moved from %d to %d", v0, v)
				}
			})
		}
	})
}

func TestDryRunStoresNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		res, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{DryRun: true})
		if err != nil || !res.DryRun {
			t.Fatalf("res=%+v err=%v", res, err)
		}
		if _, err := db.GetCluster(ctx, "alu"); gm.ErrorCode(err) != gm.ENOTFOUND {
			t.Errorf("dry run stored the cluster: %v", err)
		}
	})
}

func TestReplaceYear(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		ds := sample()
		ds.Links = append(ds.Links, gm.SupplyLink{SupplierID: "smelter", BuyerID: "extruder", ProductCode: "24.42.11", Year: 2023, ValueRUB: f(1)})
		if _, err := db.Import(ctx, "alu", ds, gm.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		// The new 2024 figures have only one link.
		upd := sample()
		upd.Links = upd.Links[:1]
		upd.Imports, upd.Capacities = nil, nil
		res, err := db.Import(ctx, "alu", upd, gm.ImportOptions{ReplaceYear: 2024})
		if err != nil {
			t.Fatal(err)
		}
		if res.Deleted != 4 { // 2 links + 1 import + 1 capacity of 2024
			t.Errorf("deleted = %d, want 4", res.Deleted)
		}
		got, _ := db.ClusterData(ctx, "alu")
		var years []int
		for _, l := range got.Links {
			years = append(years, l.Year)
		}
		if d := cmp.Diff([]int{2023, 2024}, years); d != "" || len(got.Imports) != 0 {
			t.Errorf("links years (-want +got): %s; imports %v", d, got.Imports)
		}
	})
}

func TestSeedOnceAndPersist(t *testing.T) {
	eachStore(t, func(t *testing.T, first *sqlstore.DB, dsn string) {
		first.Close()
		ctx := context.Background()
		seed := &gm.Seed{
			Clusters: []gm.Cluster{{ID: "ru-001", Name: "Первый", RegistryNo: 1, Kind: gm.ClusterIndustrial, Regions: []string{"Омская область"}}, {ID: "ru-002", Name: "Второй", RegistryNo: 2, Kind: gm.ClusterIndustrial}},
			Rating:   []gm.RegionRating{{Rank: 1, Region: "Республика Башкортостан", S1: 37.8, Total: 73.3}},
			Data:     map[string]*gm.Dataset{"alu": sample()},
		}
		for i := 0; i < 2; i++ {
			db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			loaded, err := db.LoadSeed(ctx, seed)
			if err != nil {
				t.Fatal(err)
			}
			if loaded != (i == 0) {
				t.Errorf("start %d: loaded = %v", i, loaded)
			}
			cs, total, err := db.ListClusters(ctx, gm.ClusterFilter{})
			if err != nil || total != 3 || len(cs) != 3 {
				t.Fatalf("start %d: %d clusters (%v)", i, total, err)
			}
			ds, _ := db.ClusterData(ctx, "alu")
			if len(ds.Links) != 2 {
				t.Errorf("start %d: %d links, want 2 (seeded once)", i, len(ds.Links))
			}
			db.Close()
		}
	})
}

func TestListClustersFilters(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		seed := &gm.Seed{Clusters: []gm.Cluster{
			{ID: "ru-001", Name: "Фармацевтический кластер", RegistryNo: 1, Kind: gm.ClusterIndustrial, Regions: []string{"Белгородская область"}, Specialization: "Фармацевтика"},
			{ID: "ru-002", Name: "Кластер автомобильной промышленности", RegistryNo: 2, Kind: gm.ClusterInterregional, Regions: []string{"Белгородская область", "Омская область"}, Specialization: "Автомобилестроение"},
			{ID: "ru-003", Name: "Омский кластер", RegistryNo: 3, Kind: gm.ClusterIndustrial, Regions: []string{"Омская область"}, Specialization: "Мебель"},
		}}
		if _, err := db.LoadSeed(ctx, seed); err != nil {
			t.Fatal(err)
		}
		ids := func(f gm.ClusterFilter) []string {
			cs, _, err := db.ListClusters(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range cs {
				out = append(out, c.ID)
			}
			return out
		}
		tests := []struct {
			f    gm.ClusterFilter
			want []string
		}{
			{gm.ClusterFilter{Region: "омская"}, []string{"ru-002", "ru-003"}},
			{gm.ClusterFilter{Specialization: "ФАРМ"}, []string{"ru-001"}},
			{gm.ClusterFilter{Kind: "interregional"}, []string{"ru-002"}},
			{gm.ClusterFilter{Query: "кластер", Limit: 1, Offset: 1}, []string{"ru-002"}},
			{gm.ClusterFilter{Region: "Тверская"}, nil},
		}
		for _, tc := range tests {
			if d := cmp.Diff(tc.want, ids(tc.f), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("%+v (-want +got):\n%s", tc.f, d)
			}
		}
	})
}
