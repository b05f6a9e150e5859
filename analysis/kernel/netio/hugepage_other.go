//go:build !linux

package netio

// adviseHuge is a no-op where madvise is not available.
func adviseHuge[T any](b []T) {}
