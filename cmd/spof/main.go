// Command spof finds the single points of failure of an IT platform described in TOML inventory files.
// Run spof --help for the commands; README.md is the manual.
//
// For profiling, SPOF_CPUPROFILE=FILE writes a CPU profile of the run to FILE, and
// SPOF_MEMPROFILE=FILE a heap profile (what was allocated, and what was live at the last
// collection) when the run ends, and SPOF_TRACE=FILE an execution trace, which shows when the cores
// sit idle (go tool trace FILE; see BENCHMARKS.md).
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"

	"github.com/spofhq/spof/internal/cli"
)

func main() {
	budgetMemory()
	for _, r := range recorders {
		path := os.Getenv(r.env)
		if path == "" {
			continue
		}
		stop, err := record(path, r)
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

// recorder is something the runtime records through a run into a file: the variable naming the
// file, and how recording starts and stops.
type recorder struct {
	env, what string
	start     func(io.Writer) error
	stop      func()
}

var recorders = []recorder{
	{"SPOF_TRACE", "trace", trace.Start, trace.Stop},
	{"SPOF_CPUPROFILE", "cpu profile", pprof.StartCPUProfile, pprof.StopCPUProfile},
}

// record starts r into the file at path and returns what stops it and closes the file.
func record(path string, r recorder) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.what, err)
	}
	if err := r.start(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", r.what, err)
	}
	return func() { r.stop(); f.Close() }, nil
}
