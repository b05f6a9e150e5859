package analysis_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/analysis/kernel"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// supplyNetwork makes a generated dataset of n participants and 4n links,
// with imports for a tenth of them and capacities for a twentieth.
func supplyNetwork(n int) *gm.Dataset {
	s, d, w := kernel.Generate(n, 4*n, 1)
	ds := &gm.Dataset{}
	for i := 0; i < n; i++ {
		ds.Participants = append(ds.Participants, gm.Participant{ID: fmt.Sprintf("p%06d", i), Name: fmt.Sprintf("Участник %d", i), Kind: gm.KindEnterprise,
			FinalProducer: i%17 == 0})
	}
	codes := []string{"24.42.11", "24.42.22", "25.12.10", "20.30.22", "22.21.30", "25.72.14"}
	for i := range s {
		v := w[i] * 1000
		ds.Links = append(ds.Links, gm.SupplyLink{SupplierID: ds.Participants[s[i]].ID, BuyerID: ds.Participants[d[i]].ID, ProductCode: codes[i%len(codes)], ValueRUB: &v})
	}
	for i := 0; i < n; i += 10 {
		ds.Imports = append(ds.Imports, gm.Import{ParticipantID: ds.Participants[i].ID, ProductCode: codes[i%len(codes)], ValueRUB: float64(1000 * (i%7 + 1))})
	}
	for i := 0; i < n; i += 20 {
		ds.Capacities = append(ds.Capacities, gm.Capacity{ParticipantID: ds.Participants[i].ID, ProductCode: codes[(i+1)%len(codes)], ValueRUB: 5000})
	}
	return ds
}

func benchmarkAnalyze(b *testing.B, n int) {
	ds := supplyNetwork(n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := analysis.Analyze(context.Background(), ds, analysis.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyze50(b *testing.B)    { benchmarkAnalyze(b, 50) }
func BenchmarkAnalyze1000(b *testing.B)  { benchmarkAnalyze(b, 1_000) }
func BenchmarkAnalyze10000(b *testing.B) { benchmarkAnalyze(b, 10_000) }
func BenchmarkAnalyze100000(b *testing.B) {
	if testing.Short() {
		b.Skip("large")
	}
	benchmarkAnalyze(b, 100_000)
}
