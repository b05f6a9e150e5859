//go:build linux

package netio

import "testing"

// adviseHuge takes slices of every size and offset, smaller and larger
// than a huge page, without slicing out of range (a panic fails the test).
func TestAdviseHugeAnySize(t *testing.T) {
	buf := make([]byte, 5<<20)
	for _, n := range []int{1, 4095, 1 << 20, 2<<20 - 1, 2 << 20, 2<<20 + 1, 3 << 20, 4<<20 + 17} {
		for _, off := range []int{0, 1, 4096, 1<<20 + 3} {
			if off+n <= len(buf) {
				adviseHuge(buf[off : off+n])
			}
		}
	}
	for _, n := range []int{1, 100, 65536, 1 << 17} { // idSlot-sized elements
		adviseHuge(make([]idSlot, n))
	}
}
