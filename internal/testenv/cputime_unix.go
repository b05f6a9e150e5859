//go:build unix

package testenv

import (
	"syscall"
	"time"
)

// CPUTime is the processor time (user + system) the process has used so
// far: benchmarks report it per operation beside the wall time, which on a
// shared machine says little about work spread over several cores.
func CPUTime() time.Duration {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
