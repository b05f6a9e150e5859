package kernel

import (
	"math/rand"
	"reflect"
	"testing"
)

// BuildBlocks gives exactly Build's graph (same rows, same summed weights
// bit for bit), whatever the blocks and the number of cores.
func TestBuildBlocksMatchesBuild(t *testing.T) {
	rnd := rand.New(rand.NewSource(8))
	for trial := 0; trial < 60; trial++ {
		n := 1 + rnd.Intn(300)
		m := rnd.Intn(3000)
		if trial%10 == 0 { // a hub with a long in-row
			m = 5000
		}
		src, dst, w := make([]int32, m), make([]int32, m), make([]float64, m)
		for i := range src {
			src[i], dst[i], w[i] = int32(rnd.Intn(n+2)-1), int32(rnd.Intn(n+2)-1), rnd.Float64()*1000
			if trial%10 == 0 && i%2 == 0 {
				dst[i] = 0
			}
		}
		var e EdgeBlocks
		for a := 0; a < m; {
			b := min(m, a+1+rnd.Intn(700))
			e.Src, e.Dst, e.W = append(e.Src, src[a:b]), append(e.Dst, dst[a:b]), append(e.W, w[a:b])
			a = b
		}
		weighted := trial%3 != 0
		want := Build(n, src, dst, w)
		if !weighted {
			want, e.W = Build(n, src, dst, nil), nil
		}
		released := false
		got := BuildBlocks(n, e, func() { released = true })
		if !released || !reflect.DeepEqual(got.CSR(), want.CSR()) && (want.M() > 0 || got.M() > 0) {
			t.Fatalf("trial %d (n=%d m=%d weighted=%v): BuildBlocks differs from Build (released %v)", trial, n, m, weighted, released)
		}
	}
}
