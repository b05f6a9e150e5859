package sqlstore_test

import (
	"context"
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
