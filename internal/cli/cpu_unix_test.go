//go:build unix

package cli

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user and system) the process has used so far: on a shared machine it
// measures the work a benchmark does better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
