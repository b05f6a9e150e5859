package kernel

import "testing"

// BenchmarkApproxBetweennessSupply1M is the national scale: a generated
// 1M-firm / 10M-link supply network, ε = DefaultEps, δ = DefaultDelta.
// It reports the samples the adaptive rule drew (of at most ω).
func BenchmarkApproxBetweennessSupply1M(b *testing.B) {
	large(b)
	g := supplyGraph(b, 1_000_000, 10_000_000)
	g.stages()
	b.ResetTimer()
	var a Approx
	for i := 0; i < b.N; i++ {
		a, _ = ApproxBetweennessContext(b.Context(), g, DefaultEps, DefaultDelta, 1, 0, nil)
	}
	b.ReportMetric(float64(a.Samples), "samples")
	b.ReportMetric(float64(a.MaxSamples), "max-samples")
}
