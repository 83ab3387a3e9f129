// Command spof finds the single points of failure of an IT platform described in TOML inventory files.
// Run spof --help for the commands; README.md is the manual.
//
// For profiling, SPOF_CPUPROFILE=FILE writes a CPU profile of the run to FILE (see BENCHMARKS.md). The
// garbage collector runs at GOGC=200 unless GOGC is set.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/spofhq/spof/internal/cli"
)

func main() {
	if os.Getenv("GOGC") == "" {
		// A large run makes much short-lived garbage while loading, and its live heap is then mostly
		// pointer-free cut sets: collecting when the heap has tripled rather than doubled saves about
		// a tenth of the time at 100,000 entities for a tenth more memory (BENCHMARKS.md). GOGC, when
		// set, still decides.
		debug.SetGCPercent(200)
	}
	if path := os.Getenv("SPOF_CPUPROFILE"); path != "" {
		stop, err := startProfile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "spof: %v\n", err)
			os.Exit(cli.ExitInvalid)
		}
		code := cli.Main(os.Args[1:], cli.System())
		stop()
		os.Exit(code)
	}
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}

func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
