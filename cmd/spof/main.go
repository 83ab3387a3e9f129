// Command spof finds the single points of failure of an IT platform described in TOML inventory files.
// Run spof --help for the commands; README.md is the manual.
//
// For profiling, SPOF_CPUPROFILE=FILE writes a CPU profile of the run to FILE (see BENCHMARKS.md).
package main

import (
	"fmt"
	"os"
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
