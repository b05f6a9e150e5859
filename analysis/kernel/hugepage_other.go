//go:build !linux

package kernel

// hugeSlice returns make([]T, n) (huge pages are only advised on Linux).
func hugeSlice[T any](n int) []T { return make([]T, n) }
