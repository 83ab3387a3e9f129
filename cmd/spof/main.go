// Command spof finds the single points of failure of an IT platform described in TOML inventory files.
// Run spof --help for the commands; README.md is the manual.
//
// For profiling, SPOF_CPUPROFILE=FILE writes a CPU profile of the run to FILE, and
// SPOF_MEMPROFILE=FILE a heap profile (what was allocated, and what was live at the last
// collection) when the run ends (see BENCHMARKS.md).
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spofhq/spof/internal/cli"
)

func main() {
	budgetMemory()
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
	if path := os.Getenv("SPOF_MEMPROFILE"); path != "" {
		runtime.MemProfileRate = 64 << 10 // coarser than the default: large runs allocate gigabytes
		code := cli.Main(os.Args[1:], cli.System())
		if err := writeHeapProfile(path); err != nil {
			fmt.Fprintf(os.Stderr, "spof: %v\n", err)
		}
		os.Exit(code)
	}
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	return f.Close()
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
