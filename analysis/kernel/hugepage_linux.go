//go:build linux

package kernel

import (
	"syscall"
	"unsafe"
)

// madvCollapse is Linux's MADV_COLLAPSE (6.1+; older kernels refuse it).
const madvCollapse = 25

// hugeSlice returns make([]T, n) backed by huge pages where the kernel
// allows it (transparent huge pages in "madvise" or "always" mode), for
// arrays of millions of records read at random: with 4 KB pages nearly
// every such read also misses the TLB. Memory the runtime hands back
// already mapped with small pages is collapsed into huge ones. Errors are
// ignored: it is only advice, and the slice is the same either way.
func hugeSlice[T any](n int) []T {
	b := make([]T, n)
	const huge = 2 << 20
	size := uintptr(n) * unsafe.Sizeof(*new(T))
	if size < 2*huge {
		return b
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo, hi := (p+huge-1)&^(huge-1), (p+size)&^(huge-1)
	r := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(b))), size)[lo-p : hi-p]
	if syscall.Madvise(r, syscall.MADV_HUGEPAGE) == nil {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, uintptr(unsafe.Pointer(unsafe.SliceData(r))), uintptr(len(r)), madvCollapse)
	}
	return b
}
