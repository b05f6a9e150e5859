package kernel

import (
	"slices"
	"strings"
	"testing"
)

// copyCSR copies the arrays, so that a test may damage them.
func copyCSR(c CSR) CSR {
	return CSR{N: c.N, OutStart: slices.Clone(c.OutStart), InStart: slices.Clone(c.InStart), OutAdj: slices.Clone(c.OutAdj),
		InAdj: slices.Clone(c.InAdj), OutW: slices.Clone(c.OutW), InW: slices.Clone(c.InW)}
}

// TestFromCSRMirror: a graph's own arrays pass; in-rows that keep every
// count, order and range but name another source, or another weight, are
// refused (the kernels that turn in-rows around rely on the mirror).
func TestFromCSRMirror(t *testing.T) {
	// 0→2, 1→3, 0→3, 1→2: in-rows 2: [0 1], 3: [0 1].
	g := Build(4, []int32{0, 1, 0, 1, 2}, []int32{2, 3, 3, 2, 0}, []float64{1, 2, 3, 4, 5})
	if _, err := FromCSR(g.CSR()); err != nil {
		t.Fatalf("the graph's own arrays: %v", err)
	}
	net := GenerateSupply(2000, 10000, 3)
	big := Build(2000, net.Src, net.Dst, net.Value)
	if _, err := FromCSR(big.CSR()); err != nil {
		t.Fatalf("a generated graph: %v", err)
	}

	// The weights of 1→2 and 0→3 exchanged in the in-rows (2: [0 1],
	// 3: [0 1]): counts, order and ranges unchanged.
	c := copyCSR(g.CSR())
	i := slices.Index(c.InAdj[c.InStart[2]:c.InStart[3]], 1) + int(c.InStart[2])
	j := slices.Index(c.InAdj[c.InStart[3]:c.InStart[4]], 0) + int(c.InStart[3])
	c.InW[i], c.InW[j] = c.InW[j], c.InW[i]
	if _, err := FromCSR(c); err == nil || !strings.Contains(err.Error(), "mirror") {
		t.Errorf("weights exchanged between two in-edges: %v", err)
	}

	// A source renamed: in-row 2 lists 3 instead of 1 (sorted, in range,
	// no self-loop); in-degrees still match the out-rows.
	c = copyCSR(g.CSR())
	c.InAdj[i] = 3
	if _, err := FromCSR(c); err == nil || !strings.Contains(err.Error(), "mirror") {
		t.Errorf("a renamed source: %v", err)
	}
}
