package netio

import (
	"math"
	"os"
	"syscall"
)

// mapFile maps the file privately into memory (copy-on-write, so that even
// a stray write never reaches the file nor crashes; reading shares the
// page cache, nothing is copied) and asks the kernel to read it ahead,
// since the checksum reads every page anyway.
func mapFile(f *os.File, size int64) ([]byte, func([]byte) error, error) {
	if size > math.MaxInt {
		return readWhole(f, size)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		return readWhole(f, size)
	}
	_ = syscall.Madvise(b, syscall.MADV_WILLNEED) // only a hint
	return b, syscall.Munmap, nil
}
