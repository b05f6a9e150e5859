//go:build !linux

package netio

import "os"

// mapFile reads the file into memory (memory mapping is used on Linux).
func mapFile(f *os.File, size int64) ([]byte, func([]byte) error, error) {
	return readWhole(f, size)
}
