//go:build !unix

package kernel

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
