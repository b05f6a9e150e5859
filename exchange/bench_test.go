package exchange_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
	"github.com/coopchain/coopchain/tabular"
)

// workbook100k builds a workbook with 5,000 participants and 100,000 links.
func workbook100k(b *testing.B) []byte {
	ds := &gm.Dataset{}
	for i := 0; i < 5000; i++ {
		ds.Participants = append(ds.Participants, gm.Participant{ID: fmt.Sprintf("p%05d", i), Name: fmt.Sprintf("ООО «Участник %d»", i), Kind: gm.KindEnterprise})
	}
	codes := []string{"24.42.11", "24.42.22", "25.12.10", "20.30.22"}
	for i := 0; len(ds.Links) < 100_000; i++ {
		// Round r = i/5000 links every participant to the one 1+37r places on.
		s := i % 5000
		t := (s + 1 + 37*(i/5000)) % 5000
		v := float64(1000 + i)
		ds.Links = append(ds.Links, gm.SupplyLink{SupplierID: ds.Participants[s].ID, BuyerID: ds.Participants[t].ID, ProductCode: codes[i%4], Year: 2024, ValueRUB: &v})
	}
	var buf bytes.Buffer
	if err := tabular.WriteXLSX(&buf, tabular.Tables(ds), nil); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImportWorkbook100k reads a 100,000-link workbook and stores it in
// a fresh SQLite database through the real path (what `coopchain import` does).
func BenchmarkImportWorkbook100k(b *testing.B) {
	data := workbook100k(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		res, err := tabular.ReadXLSX(bytes.NewReader(data), "links.xlsx", tabular.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		db, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Import(context.Background(), "bench", res.Dataset, gm.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		db.Close()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapSys)
	}
	b.ReportMetric(float64(peak)/(1<<20), "heapMB")
}
