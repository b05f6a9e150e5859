package kernel

import (
	"math/rand"
	"testing"
)

// The components a graph caches, and those its reverse derives from them,
// are the partition SCC finds, numbered so that every edge between
// components goes from a higher number to a lower one.
func TestCachedComponentsOfReverse(t *testing.T) {
	rnd := rand.New(rand.NewSource(7))
	for trial := 0; trial < 50; trial++ {
		g := randomGraph(rnd, 5+rnd.Intn(60))
		for _, h := range []*Graph{g, g.Reverse(), g.Reverse().Reverse()} {
			comp, k := h.components()
			want, wk := SCC(h)
			if k != wk {
				t.Fatalf("trial %d: %d components, SCC finds %d", trial, k, wk)
			}
			// Same partition: the maps between the numberings are functions.
			m := map[int32]int32{}
			for v := range comp {
				if c, ok := m[comp[v]]; ok && c != want[v] {
					t.Fatalf("trial %d: node %d in another component than SCC says", trial, v)
				}
				m[comp[v]] = want[v]
			}
			for u := int32(0); int(u) < h.N(); u++ {
				adj, _ := h.Out(u)
				for _, v := range adj {
					if comp[u] != comp[v] && comp[u] < comp[v] {
						t.Fatalf("trial %d: edge %d→%d goes from component %d up to %d", trial, u, v, comp[u], comp[v])
					}
				}
			}
			st := Stages(h)
			for v, s := range h.stages() {
				if st[v] != s {
					t.Fatalf("trial %d: cached stage of %d is %d, Stages %d", trial, v, s, st[v])
				}
			}
		}
	}
}
