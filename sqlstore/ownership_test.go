package sqlstore_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
)

// ownershipSeed: cluster a (a1, a2 and the shared s), cluster b (b1, b2 and
// s), a registry entry d without data, a catalogue and an employment table.
func ownershipSeed() *gm.Seed {
	return &gm.Seed{
		Clusters: []gm.Cluster{
			{ID: "a", Name: "Кластер А", Kind: gm.ClusterIndustrial, RegistryNo: 1, Regions: []string{"Омская область"}},
			{ID: "b", Name: "Кластер Б", Kind: gm.ClusterIndustrial, RegistryNo: 2, Regions: []string{"Тверская область"}},
			{ID: "d", Name: "Кластер Д", Kind: gm.ClusterIndustrial, RegistryNo: 3, Regions: []string{"Тверская область"}},
		},
		Data: map[string]*gm.Dataset{
			"a": {
				Participants: []gm.Participant{{ID: "a1", Name: "А1", Kind: gm.KindEnterprise, INN: "7707083893"}, {ID: "a2", Name: "А2", Kind: gm.KindEnterprise},
					{ID: "s", Name: "Общий", Kind: gm.KindEnterprise, Clusters: []string{"b"}}},
				Products: []gm.Product{{Code: "24.42.11", Name: "Алюминий", Unit: "t"}, {Code: "24.42.22", Name: "Профили", Unit: "t", Inputs: []string{"24.42.11", "24.42.12"}}},
				Links: []gm.SupplyLink{{SupplierID: "a1", BuyerID: "a2", ProductCode: "24.42.11", Year: 2024, ValueRUB: f(10)},
					{SupplierID: "s", BuyerID: "a2", ProductCode: "24.42.11", Year: 2024, ValueRUB: f(5)}},
				Imports:    []gm.Import{{ParticipantID: "a2", ProductCode: "24.42.22", Year: 2024, ValueRUB: 3}, {ParticipantID: "s", ProductCode: "24.42.22", Year: 2024, ValueRUB: 4}},
				Capacities: []gm.Capacity{{ParticipantID: "s", ProductCode: "24.42.11", Year: 2024, ValueRUB: 7}},
				Projects:   []gm.Project{{ID: "pa", ParticipantID: "a1", Name: "Проект А"}, {ID: "ps", ParticipantID: "s", Name: "Проект общего"}},
				Employment: []gm.Employment{{Region: "Омская область", Industry: "24", Employees: 100}},
			},
			"b": {
				Participants: []gm.Participant{{ID: "b1", Name: "Б1", Kind: gm.KindEnterprise, INN: "7736050003"}, {ID: "b2", Name: "Б2", Kind: gm.KindEnterprise},
					{ID: "s", Name: "Общий", Kind: gm.KindEnterprise, Clusters: []string{"a"}}},
				Links: []gm.SupplyLink{{SupplierID: "b1", BuyerID: "b2", ProductCode: "24.42.11", Year: 2024, ValueRUB: f(20)},
					{SupplierID: "s", BuyerID: "b2", ProductCode: "24.42.22", Year: 2024, ValueRUB: f(6)}},
				Imports:  []gm.Import{{ParticipantID: "b2", ProductCode: "24.42.22", Year: 2024, ValueRUB: 9}},
				Projects: []gm.Project{{ID: "pb", ParticipantID: "b1", Name: "Проект Б"}},
			},
		},
	}
}

// snapshot is everything outside cluster a: b's and d's data, the registry,
// the catalogue and the employment table, as JSON.
func snapshot(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, id := range []string{"b", "d"} {
		ds, err := db.ClusterData(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ds.Clusters {
			ds.Clusters[i].Version = 0
		}
		// a's membership of the shared participant is a's own record.
		for i, p := range ds.Participants {
			var cs []string
			for _, c := range p.Clusters {
				if c != "a" {
					cs = append(cs, c)
				}
			}
			ds.Participants[i].Clusters = cs
		}
		var keep []gm.Cluster
		for _, c := range ds.Clusters {
			if c.ID != "a" {
				keep = append(keep, c)
			}
		}
		ds.Clusters = keep
		j, _ := json.Marshal(ds)
		b.Write(j)
	}
	cs, _, err := db.ListClusters(ctx, gm.ClusterFilter{Scope: gm.ScopeAll})
	if err != nil {
		t.Fatal(err)
	}
	for i := range cs {
		cs[i].Version = 0
	}
	all, _, err := db.Products(ctx, "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// New codes may be added; stored ones must not change.
	var ps []gm.Product
	for _, p := range all {
		if strings.HasPrefix(p.Code, "24.42.") {
			ps = append(ps, p)
		}
	}
	em, err := db.Employment(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{cs, ps, em} {
		j, _ := json.Marshal(v)
		b.Write(j)
	}
	return b.String()
}

var editorA = gm.Writer{Cluster: "a"}

func TestOwnershipImport(t *testing.T) {
	p := func(id, name string) gm.Participant {
		return gm.Participant{ID: id, Name: name, Kind: gm.KindEnterprise}
	}
	shared := gm.Participant{ID: "s", Name: "Общий", Kind: gm.KindEnterprise}
	tests := []struct {
		name    string
		w       gm.Writer
		cluster string // default a
		ds      *gm.Dataset
		opt     gm.ImportOptions
		code    string // "" = accepted
		// notMsg must not appear in the error (another cluster's id).
		notMsg string
	}{
		{name: "own participant", w: editorA, ds: &gm.Dataset{Participants: []gm.Participant{p("a1", "Новое имя")}}},
		{name: "new participant", w: editorA, ds: &gm.Dataset{Participants: []gm.Participant{p("a9", "Новый")}}},
		{name: "other cluster's id", w: editorA, ds: &gm.Dataset{Participants: []gm.Participant{p("b1", "HIJACKED")}}, code: gm.ECONFLICT},
		{name: "shared participant renamed", w: editorA, ds: &gm.Dataset{Participants: []gm.Participant{{ID: "s", Name: "Переименован", Kind: gm.KindEnterprise}}}, code: gm.EFORBIDDEN},
		{name: "shared participant unchanged", w: editorA, ds: &gm.Dataset{Participants: []gm.Participant{shared}}},
		{name: "join another cluster", w: editorA, ds: &gm.Dataset{Participants: []gm.Participant{{ID: "a9", Name: "Х", Kind: gm.KindEnterprise, Clusters: []string{"d"}}}}, code: gm.EFORBIDDEN},
		{name: "other cluster's INN", w: editorA, ds: &gm.Dataset{Participants: []gm.Participant{{ID: "a9", Name: "Х", Kind: gm.KindEnterprise, INN: "7736050003"}}}, code: gm.EINVALID, notMsg: "b1"},
		{name: "registry entry changed", w: editorA, ds: &gm.Dataset{Clusters: []gm.Cluster{{ID: "d", Name: "Взломан", Kind: gm.ClusterLocal}}}, code: gm.EFORBIDDEN},
		{name: "own registry entry changed", w: editorA, ds: &gm.Dataset{Clusters: []gm.Cluster{{ID: "a", Name: "Взломан", Kind: gm.ClusterLocal}}}, code: gm.EFORBIDDEN},
		{name: "new cluster", w: editorA, ds: &gm.Dataset{Clusters: []gm.Cluster{{ID: "zz", Name: "Новый", Kind: gm.ClusterLocal}}}, code: gm.EFORBIDDEN},
		{name: "registry entry unchanged", w: editorA, ds: &gm.Dataset{Clusters: []gm.Cluster{{ID: "d", Name: "Кластер Д", Kind: gm.ClusterIndustrial, RegistryNo: 3, Regions: []string{"Тверская область"}}}}},
		{name: "product renamed", w: editorA, ds: &gm.Dataset{Products: []gm.Product{{Code: "24.42.11", Name: "Взломан", Unit: "t"}}}, code: gm.EFORBIDDEN},
		{name: "product unchanged", w: editorA, ds: &gm.Dataset{Products: []gm.Product{{Code: "24.42.11", Name: "Алюминий", Unit: "t"}}}},
		{name: "new product", w: editorA, ds: &gm.Dataset{Products: []gm.Product{{Code: "25.11", Name: "Конструкции"}}}},
		{name: "new product named as an input", w: editorA, ds: &gm.Dataset{Imports: []gm.Import{{ParticipantID: "a1", ProductCode: "24.42.12", ValueRUB: 1}}}, code: gm.EFORBIDDEN},
		{name: "employment", w: editorA, ds: &gm.Dataset{Employment: []gm.Employment{{Region: "Омская область", Industry: "24", Employees: 1}}}, code: gm.EFORBIDDEN},
		{name: "link to other cluster", w: editorA, ds: &gm.Dataset{Links: []gm.SupplyLink{{SupplierID: "a1", BuyerID: "b1", ValueRUB: f(1)}}}, code: gm.EINVALID},
		{name: "link between others", w: editorA, ds: &gm.Dataset{Links: []gm.SupplyLink{{SupplierID: "b1", BuyerID: "b2", ProductCode: "24.42.11", Year: 2024, ValueRUB: f(1)}}}, code: gm.EINVALID},
		{name: "link from shared", w: editorA, ds: &gm.Dataset{Links: []gm.SupplyLink{{SupplierID: "s", BuyerID: "a2", ProductCode: "24.42.11", Year: 2024, ValueRUB: f(99)}}}, code: gm.EFORBIDDEN},
		{name: "link from shared unchanged", w: editorA, ds: &gm.Dataset{Links: []gm.SupplyLink{{SupplierID: "s", BuyerID: "a2", ProductCode: "24.42.11", Year: 2024, ValueRUB: f(5)}}}},
		{name: "own link", w: editorA, ds: &gm.Dataset{Links: []gm.SupplyLink{{SupplierID: "a2", BuyerID: "a1", ValueRUB: f(1)}}}},
		{name: "import of other cluster", w: editorA, ds: &gm.Dataset{Imports: []gm.Import{{ParticipantID: "b2", ProductCode: "24.42.22", Year: 2024, ValueRUB: 1}}}, code: gm.EINVALID},
		{name: "import of shared", w: editorA, ds: &gm.Dataset{Imports: []gm.Import{{ParticipantID: "s", ProductCode: "24.42.22", Year: 2024, ValueRUB: 1}}}, code: gm.EFORBIDDEN},
		{name: "capacity of shared", w: editorA, ds: &gm.Dataset{Capacities: []gm.Capacity{{ParticipantID: "s", ProductCode: "24.42.11", Year: 2024, ValueRUB: 1}}}, code: gm.EFORBIDDEN},
		{name: "own import", w: editorA, ds: &gm.Dataset{Imports: []gm.Import{{ParticipantID: "a1", ProductCode: "24.42.22", Year: 2024, ValueRUB: 1}}}},
		{name: "other cluster's project", w: editorA, ds: &gm.Dataset{Projects: []gm.Project{{ID: "pb", ParticipantID: "a1", Name: "Украден"}}}, code: gm.ECONFLICT, notMsg: "b1"},
		{name: "shared participant's project", w: editorA, ds: &gm.Dataset{Projects: []gm.Project{{ID: "ps", ParticipantID: "a1", Name: "Украден"}}}, code: gm.EFORBIDDEN},
		{name: "own project", w: editorA, ds: &gm.Dataset{Projects: []gm.Project{{ID: "pa", ParticipantID: "a2", Name: "Передан"}}}},
		{name: "hijack with link values", w: editorA, ds: &gm.Dataset{Participants: []gm.Participant{p("b1", "Х"), p("b2", "Х")},
			Links: []gm.SupplyLink{{SupplierID: "b1", BuyerID: "b2", ProductCode: "24.42.11", Year: 2024, ValueRUB: f(20)}}}, code: gm.ECONFLICT},
		{name: "replace year keeps shared rows", w: editorA, ds: &gm.Dataset{Participants: []gm.Participant{p("a1", "А1")}}, opt: gm.ImportOptions{ReplaceYear: 2024}},
		{name: "other cluster", w: editorA, cluster: "b", ds: &gm.Dataset{Participants: []gm.Participant{p("b9", "Х")}}, code: gm.EFORBIDDEN},
		{name: "viewer", w: gm.Writer{}, ds: &gm.Dataset{Participants: []gm.Participant{p("a9", "Х")}}, code: gm.EFORBIDDEN},
		{name: "participant writer, own row", w: gm.Writer{Cluster: "a", Participant: "a1"}, ds: &gm.Dataset{Participants: []gm.Participant{p("a1", "Своё")},
			Imports: []gm.Import{{ParticipantID: "a1", ProductCode: "24.42.22", Year: 2025, ValueRUB: 1}}, Links: []gm.SupplyLink{{SupplierID: "a2", BuyerID: "a1", Year: 2025}}}},
		{name: "participant writer, other row", w: gm.Writer{Cluster: "a", Participant: "a1"}, ds: &gm.Dataset{Imports: []gm.Import{{ParticipantID: "a2", ProductCode: "24.42.22", Year: 2025, ValueRUB: 1}}}, code: gm.EFORBIDDEN},
		{name: "participant writer, new participant", w: gm.Writer{Cluster: "a", Participant: "a1"}, ds: &gm.Dataset{Participants: []gm.Participant{p("a9", "Х")}}, code: gm.EFORBIDDEN},
		{name: "all-cluster editor, shared participant", w: gm.Writer{AllClusters: true}, ds: &gm.Dataset{Participants: []gm.Participant{{ID: "s", Name: "Переименован", Kind: gm.KindEnterprise}}}, code: "b changes"},
		{name: "all-cluster editor, registry", w: gm.Writer{AllClusters: true}, ds: &gm.Dataset{Clusters: []gm.Cluster{{ID: "d", Name: "Взломан", Kind: gm.ClusterLocal}}}, code: gm.EFORBIDDEN},
	}
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				resetOwnership(t, db)
				before := snapshot(t, db)
				ctx := gm.WithWriter(context.Background(), tc.w)
				cluster := tc.cluster
				if cluster == "" {
					cluster = "a"
				}
				_, err := db.Import(ctx, cluster, tc.ds, tc.opt)
				after := snapshot(t, db)
				switch {
				case tc.code == "b changes":
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					if before == after {
						t.Error("an all-cluster editor's change did not reach cluster b")
					}
					return
				case tc.code == "" && err != nil:
					t.Fatalf("refused: %v", err)
				case tc.code != "" && gm.ErrorCode(err) != tc.code:
					t.Fatalf("error %v (code %q), want code %s", err, gm.ErrorCode(err), tc.code)
				}
				if before != after {
					t.Errorf("cluster b, the registry or the catalogue changed:\nbefore %s\nafter  %s", before, after)
				}
				if err != nil && tc.notMsg != "" && strings.Contains(err.Error(), tc.notMsg) {
					t.Errorf("the error names %q: %s", tc.notMsg, err)
				}
			})
		}
	})
}

// resetOwnership empties the database and loads ownershipSeed.
func resetOwnership(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	for _, tbl := range []string{"links", "imports", "capacities", "projects", "memberships", "participants", "products", "employment", "cluster_regions", "scenarios", "clusters", "meta"} {
		if _, err := db.SQL().Exec(`DELETE FROM ` + tbl); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.LoadSeed(context.Background(), ownershipSeed()); err != nil {
		t.Fatal(err)
	}
}

func TestOwnershipReplaceYear(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		resetOwnership(t, db)
		ctx := gm.WithWriter(context.Background(), editorA)
		if _, err := db.Import(ctx, "a", &gm.Dataset{Participants: []gm.Participant{{ID: "a1", Name: "А1", Kind: gm.KindEnterprise}}}, gm.ImportOptions{ReplaceYear: 2024}); err != nil {
			t.Fatal(err)
		}
		ds, err := db.ClusterData(context.Background(), "a")
		if err != nil {
			t.Fatal(err)
		}
		// a's own link and import are gone; the shared participant's rows stay.
		if len(ds.Links) != 1 || ds.Links[0].SupplierID != "s" || len(ds.Imports) != 1 || ds.Imports[0].ParticipantID != "s" || len(ds.Capacities) != 1 {
			t.Errorf("after replace: links %+v imports %+v capacities %+v", ds.Links, ds.Imports, ds.Capacities)
		}
	})
}

func TestOwnershipDelete(t *testing.T) {
	tests := []struct {
		name string
		k    gm.RecordKey
		code string
	}{
		{"own link", gm.RecordKey{Kind: "link", SupplierID: "a1", BuyerID: "a2", ProductCode: "24.42.11", Year: 2024}, ""},
		{"link of shared", gm.RecordKey{Kind: "link", SupplierID: "s", BuyerID: "a2", ProductCode: "24.42.11", Year: 2024}, gm.EFORBIDDEN},
		{"import of shared", gm.RecordKey{Kind: "import", ParticipantID: "s", ProductCode: "24.42.22", Year: 2024}, gm.EFORBIDDEN},
		{"capacity of shared", gm.RecordKey{Kind: "capacity", ParticipantID: "s", ProductCode: "24.42.11", Year: 2024}, gm.EFORBIDDEN},
		{"import of other cluster", gm.RecordKey{Kind: "import", ParticipantID: "b2", ProductCode: "24.42.22", Year: 2024}, gm.ENOTFOUND},
		{"shared participant leaves", gm.RecordKey{Kind: "participant", ParticipantID: "s"}, ""},
		{"own participant", gm.RecordKey{Kind: "participant", ParticipantID: "a1"}, ""},
		{"other cluster's participant", gm.RecordKey{Kind: "participant", ParticipantID: "b1"}, gm.ENOTFOUND},
	}
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				resetOwnership(t, db)
				before := snapshot(t, db)
				err := db.Delete(gm.WithWriter(context.Background(), editorA), "a", tc.k, 0)
				if gm.ErrorCode(err) != tc.code {
					t.Fatalf("error %v, want code %q", err, tc.code)
				}
				if after := snapshot(t, db); before != after {
					t.Errorf("cluster b changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	})
}

func TestOwnershipScenarios(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		resetOwnership(t, db)
		ctx := gm.WithWriter(context.Background(), editorA)
		if err := db.SaveScenario(ctx, &gm.StoredScenario{ID: "sb", ClusterID: "b", Name: "x", Changes: []byte(`[]`)}); gm.ErrorCode(err) != gm.EFORBIDDEN {
			t.Errorf("scenario in b: %v", err)
		}
		if err := db.SaveScenario(ctx, &gm.StoredScenario{ID: "sa", ClusterID: "a", Name: "x", Changes: []byte(`[]`)}); err != nil {
			t.Errorf("scenario in a: %v", err)
		}
		if err := db.DeleteScenario(gm.WithWriter(context.Background(), gm.Writer{Cluster: "b"}), "a", "sa"); gm.ErrorCode(err) != gm.EFORBIDDEN {
			t.Errorf("delete a's scenario as b: %v", err)
		}
	})
}

// Two creates of the same record racing: one wins, the other gets
// ECONFLICT, and the winner's data stays.
func TestCreateOnlyRace(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		resetOwnership(t, db)
		ctx := gm.WithWriter(context.Background(), editorA)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				ds := &gm.Dataset{Participants: []gm.Participant{{ID: "new", Name: "Создан " + string(rune('A'+i)), Kind: gm.KindEnterprise}}}
				_, errs[i] = db.ImportIfVersion(ctx, "a", ds, gm.RecordKey{Kind: "participant", ParticipantID: "new"}, gm.CreateOnly)
			}(i)
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			switch gm.ErrorCode(err) {
			case "":
				if won >= 0 {
					t.Errorf("creates %d and %d both succeeded", won, i)
				}
				won = i
			case gm.ECONFLICT, gm.EUNAVAILABLE:
			default:
				t.Errorf("create %d: %v", i, err)
			}
		}
		if won < 0 {
			t.Fatal("no create succeeded")
		}
		ds, _ := db.ClusterData(context.Background(), "a")
		for _, p := range ds.Participants {
			if p.ID == "new" && p.Name != "Создан "+string(rune('A'+won)) {
				t.Errorf("the winner's name was overwritten: %q", p.Name)
			}
		}
	})
}

// An editor's change renews (bumps the data version of) its own cluster
// only: a new product code it adds is used by no other cluster.
func TestOwnershipVersions(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		resetOwnership(t, db)
		ctx := context.Background()
		version := func(id string) int64 {
			c, err := db.GetCluster(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return c.Version
		}
		a, b := version("a"), version("b")
		ds := &gm.Dataset{Products: []gm.Product{{Code: "26.11", Name: "Новое"}}, Imports: []gm.Import{{ParticipantID: "a1", ProductCode: "26.11", ValueRUB: 1}}}
		if _, err := db.Import(gm.WithWriter(ctx, editorA), "a", ds, gm.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if version("a") == a || version("b") != b {
			t.Errorf("after the editor's import: a %d→%d, b %d→%d", a, version("a"), b, version("b"))
		}
		b = version("b")
		if _, err := db.Import(ctx, "a", &gm.Dataset{Products: []gm.Product{{Code: "26.12", Name: "Ещё"}}}, gm.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if version("b") == b {
			t.Error("an admin's catalogue change did not renew b")
		}
	})
}
