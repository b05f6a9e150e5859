package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
)

// Foreign and planned clusters (the Eurasian scope) are listed only when
// asked for, so that the registry's counts stay the registry's.
func TestListClustersScope(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		seed := &gm.Seed{Clusters: []gm.Cluster{
			{ID: "ru-001", Name: "Первый", RegistryNo: 1, Kind: gm.ClusterIndustrial, Regions: []string{"Омская область"}},
			{ID: "ru-002", Name: "Второй", RegistryNo: 2, Kind: gm.ClusterInterregional, Regions: []string{"Омская область", "Тверская область"}},
			{ID: "kz-x", Name: "Кластер в Казахстане", Kind: gm.ClusterForeign, Country: "KZ", Regions: []string{"Восточный Казахстан"}},
			{ID: "plan-y", Name: "Планируемый кластер", Kind: gm.ClusterPlanned, Regions: []string{"Омская область"}},
			{ID: "mine", Name: "Свой", Kind: gm.ClusterLocal, Regions: []string{"Омская область"}},
		}}
		if _, err := db.LoadSeed(ctx, seed); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			f     gm.ClusterFilter
			want  []string
			total int
		}{
			{gm.ClusterFilter{}, []string{"ru-001", "ru-002", "mine"}, 3},
			{gm.ClusterFilter{Scope: gm.ScopeRegistry, Limit: 1}, []string{"ru-001"}, 3},
			{gm.ClusterFilter{Scope: gm.ScopeEurasia}, []string{"kz-x", "plan-y"}, 2},
			{gm.ClusterFilter{Scope: gm.ScopeAll}, []string{"ru-001", "ru-002", "kz-x", "mine", "plan-y"}, 5},
			{gm.ClusterFilter{Kind: "foreign"}, []string{"kz-x"}, 1},
			// The Cyrillic filters run in Go: the same rule applies there.
			{gm.ClusterFilter{Region: "омская"}, []string{"ru-001", "ru-002", "mine"}, 3},
			{gm.ClusterFilter{Region: "омская", Scope: gm.ScopeEurasia}, []string{"plan-y"}, 1},
		} {
			cs, total, err := db.ListClusters(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			if d := cmp.Diff(tc.want, ids, cmpopts.EquateEmpty()); d != "" || total != tc.total {
				t.Errorf("%+v: total %d (want %d) (-want +got):\n%s", tc.f, total, tc.total, d)
			}
		}
	})
}

// LIKE wildcards in a filter match themselves; an overlong filter is invalid.
func TestListClustersWildcards(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		seed := &gm.Seed{Clusters: []gm.Cluster{
			{ID: "ru-001", Name: "Первый", RegistryNo: 1, Kind: gm.ClusterIndustrial, Regions: []string{"Омская область"}},
			{ID: "ru-002", Name: "Alpha 100% _x", RegistryNo: 2, Kind: gm.ClusterIndustrial, Regions: []string{"Tver"}},
		}}
		if _, err := db.LoadSeed(ctx, seed); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int{"%": 1, "_": 1, "100%": 1, "0% _": 1, `\`: 0, "a%x": 0, "alpha": 1} {
			_, total, err := db.ListClusters(ctx, gm.ClusterFilter{Query: q})
			if err != nil || total != want {
				t.Errorf("q=%q: %d matches, %v; want %d", q, total, err, want)
			}
		}
		if _, total, err := db.ListClusters(ctx, gm.ClusterFilter{Region: "_"}); err != nil || total != 0 {
			t.Errorf("region=_: %d, %v", total, err)
		}
		long := strings.Repeat("a", 50000)
		for _, f := range []gm.ClusterFilter{{Query: long}, {Region: long}, {Specialization: long}} {
			if _, _, err := db.ListClusters(ctx, f); gm.ErrorCode(err) != gm.EINVALID {
				t.Errorf("50,000-character filter: %v, want invalid", err)
			}
		}
		if _, _, err := db.Products(ctx, long, 10, 0); gm.ErrorCode(err) != gm.EINVALID {
			t.Errorf("products q: %v", err)
		}
	})
}
