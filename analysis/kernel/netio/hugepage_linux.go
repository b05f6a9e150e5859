//go:build linux

package netio

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks the kernel to back the memory of b (a large slice not yet
// written) with huge pages, so that random accesses over it miss the TLB
// less. Errors are ignored: it is only advice.
func adviseHuge[T any](b []T) {
	if len(b) == 0 {
		return
	}
	const huge = 2 << 20
	bs := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b))*unsafe.Sizeof(b[0]))
	// The whole huge pages inside b (none when it holds no whole one).
	p := uintptr(unsafe.Pointer(unsafe.SliceData(bs)))
	lo, hi := (p+huge-1)&^(huge-1), (p+uintptr(len(bs)))&^(huge-1)
	if hi <= lo {
		return
	}
	start, end := lo-p, hi-p
	syscall.Madvise(bs[start:end], syscall.MADV_HUGEPAGE)
}
