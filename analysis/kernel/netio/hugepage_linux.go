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
	p := uintptr(unsafe.Pointer(unsafe.SliceData(bs)))
	a, z := (huge-p%huge)%huge, uintptr(len(bs))
	z -= (p + z) % huge
	if z > a {
		syscall.Madvise(bs[a:z], syscall.MADV_HUGEPAGE)
	}
}
