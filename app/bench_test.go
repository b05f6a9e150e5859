package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/analysis/kernel"
	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
)

// bigCluster stores a generated cluster of n firms with 4n links and one
// import per 50 firms.
func bigCluster(b *testing.B, n int) (*app.App, *gm.Cluster) {
	b.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "big.db"), sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	src, dst, w := kernel.Generate(n, 4*n, 7)
	ds := &gm.Dataset{Clusters: []gm.Cluster{{ID: "big", Name: "Сеть", Kind: gm.ClusterIndustrial, Regions: []string{"Омская область"}}}}
	for i := 0; i < n; i++ {
		ds.Participants = append(ds.Participants, gm.Participant{ID: fmt.Sprintf("f%d", i), Name: fmt.Sprintf("Фирма %d", i), Kind: gm.KindEnterprise, FinalProducer: i%100 == 0})
		if i%50 == 0 {
			ds.Imports = append(ds.Imports, gm.Import{ParticipantID: fmt.Sprintf("f%d", i), ProductCode: fmt.Sprintf("24.%02d", i%40), Year: 2024, ValueRUB: float64(1e6 + i)})
		}
	}
	seen := map[[2]int32]bool{}
	for i := range src {
		if seen[[2]int32{src[i], dst[i]}] {
			continue
		}
		seen[[2]int32{src[i], dst[i]}] = true
		v := w[i] * 1e5
		ds.Links = append(ds.Links, gm.SupplyLink{SupplierID: fmt.Sprintf("f%d", src[i]), BuyerID: fmt.Sprintf("f%d", dst[i]), ProductCode: "24.01", Year: 2024, ValueRUB: &v})
	}
	if _, err := db.Import(ctx, "big", ds, gm.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	a := app.New(app.Deps{Store: db})
	cl, err := a.Cluster(ctx, "big")
	if err != nil {
		b.Fatal(err)
	}
	return a, cl
}

var admin = app.Principal{Role: gm.RoleAdmin}

// BenchmarkScenario6000 evaluates a scenario (a planned producer with
// capacity for an imported product) on a 6,000-firm cluster whose base
// analysis is cached (warm).
func BenchmarkScenario6000(b *testing.B) {
	a, cl := bigCluster(b, 6000)
	ctx := context.Background()
	if _, err := a.Analysis(ctx, admin, app.Read, cl, 0); err != nil {
		b.Fatal(err)
	}
	changes := []analysis.Change{
		{Op: analysis.OpAddParticipant, Participant: &gm.Participant{ID: "new", Name: "Новый завод", Kind: gm.KindEnterprise}},
		{Op: analysis.OpAddCapacity, Capacity: &gm.Capacity{ParticipantID: "new", ProductCode: "24.00", ValueRUB: 5e6}},
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.Evaluate(ctx, admin, cl.ID, changes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalysis6000 is the cold analysis of the same cluster, for scale.
func BenchmarkAnalysis6000(b *testing.B) {
	a, cl := bigCluster(b, 6000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ds, err := a.Export(ctx, admin, cl.ID, "json")
		if err != nil || len(ds.Data) == 0 {
			b.Fatal(err)
		}
	}
}
