package netio

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/coopchain/coopchain/analysis/kernel"
)

func large(b *testing.B) {
	if os.Getenv("COOPCHAIN_BENCH_LARGE") == "" {
		b.Skip("set COOPCHAIN_BENCH_LARGE=1 for the 1M-node benchmarks")
	}
}

// largeDir writes the 1M/10M network as a CSV folder once per process.
func largeDir(b *testing.B) string {
	large(b)
	dir := filepath.Join(os.TempDir(), "coopchain-bench-kernel-1m")
	if _, err := os.Stat(filepath.Join(dir, "links.csv")); err == nil {
		return dir
	}
	net := kernel.GenerateSupply(1_000_000, 10_000_000, 1)
	os.MkdirAll(dir, 0o755)
	var buf []byte
	buf = append(buf, "supplier_id,buyer_id,value_rub\n"...)
	for i := range net.Src {
		buf = append(buf, 'f')
		buf = strconv.AppendInt(buf, int64(net.Src[i]), 10)
		buf = append(buf, ",f"...)
		buf = strconv.AppendInt(buf, int64(net.Dst[i]), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, net.Value[i], 'f', -1, 64)
		buf = append(buf, '\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "links.csv"), buf, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func BenchmarkLoadLarge(b *testing.B) {
	dir := largeDir(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := LoadPath(dir, LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNetworkLarge is the target: load + PageRank + supplier
// rank + stages + approximate betweenness (ε = 0.01, δ = 0.1).
func BenchmarkNetworkLarge(b *testing.B) {
	dir := largeDir(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := LoadPath(dir, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		m, err := kernel.AnalyzeNetwork(context.Background(), s, kernel.NetworkOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for k, v := range m.Summary.Seconds {
			b.ReportMetric(v, k+"-s")
		}
	}
}
