package kernel

import "testing"

// TestHugeSliceAnySize: the advice never cuts outside the slice, whatever
// its size and address (sizes around the 2 MB page and odd record sizes),
// and the slice is a zeroed make([]T, n).
func TestHugeSliceAnySize(t *testing.T) {
	type rec struct {
		a int64
		b [3]byte
	}
	for _, n := range []int{0, 1, 1000, 1 << 18, 1<<18 + 7, 1 << 19, 3<<19 + 1} {
		a := hugeSlice[int32](n)
		b := hugeSlice[rec](n)
		if len(a) != n || len(b) != n {
			t.Fatalf("n=%d: lengths %d, %d", n, len(a), len(b))
		}
		for i := range a {
			if a[i] != 0 || b[i] != (rec{}) {
				t.Fatalf("n=%d: element %d not zero", n, i)
			}
			a[i], b[i].a, b[i].b[2] = int32(i), int64(i), byte(i)
		}
		for i := range a {
			if a[i] != int32(i) || b[i].a != int64(i) || b[i].b[2] != byte(i) {
				t.Fatalf("n=%d: element %d lost", n, i)
			}
		}
	}
}
