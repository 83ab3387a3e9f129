package cli

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/safefile"
)

// relaxGC makes the garbage collector run less often, unless GOGC is set, and returns what restores
// it. Loading makes much short-lived garbage (the TOML library's maps) around a small live heap, and
// the analysis' live heap is mostly pointer-free cut sets: collecting when the heap has grown fivefold
// rather than doubled saves a tenth to a seventh of a 100,000-entity analyze or check (check on
// spof-gen's shape: 2.18 s of CPU at the default, 1.90 s here). The soft memory limit main sets keeps
// the peak under a gigabyte while the live heap is small. Outputs that make garbage of their own
// (text, reports) run at the default (BENCHMARKS.md).
func relaxGC() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	old := debug.SetGCPercent(400)
	return func() { debug.SetGCPercent(old) }
}

// lookupIDs resolves entity IDs given on the command line, suggesting the closest ID for each unknown one.
func lookupIDs(inv *model.Inventory, ids []string, flag string) ([]int32, error) {
	var out []int32
	var problems []string
	var all []string
	for _, id := range ids {
		i, ok := inv.Lookup(id)
		if !ok {
			if all == nil {
				all = inv.IDs()
			}
			problems = append(problems, fmt.Sprintf("%s: unknown entity %q%s", flag, id, diag.DidYouMean(id, all)))
			continue
		}
		out = append(out, i)
	}
	if problems != nil {
		// One line per unknown ID, each in the "spof: ..." form Main gives the first.
		return nil, usageErrorf("%s", strings.Join(problems, "\nspof: "))
	}
	return out, nil
}

// checkOutput refuses, as a usage error, an output file that would overwrite a file the run reads, or
// that the inventory at a root would load next time (`-o inv.toml`, `-o folder/review.toml`): a run
// must never destroy or corrupt its own input. Symbolic links and relative paths are resolved. roots
// are the paths given for inventories (a file or a folder), files every other file read.
func checkOutput(out string, roots []string, files ...string) error {
	if out == "" || out == "-" {
		return nil
	}
	for _, in := range files {
		if in != "" && safefile.Same(out, in) {
			return usageErrorf("-o %s would overwrite %s, which this run reads: write the output elsewhere", out, in)
		}
	}
	for _, root := range roots {
		if safefile.Same(out, root) {
			return usageErrorf("-o %s would overwrite %s, which this run reads: write the output elsewhere", out, root)
		}
		if rel, ok := safefile.Within(root, out); ok && inventory.Loads(rel) {
			return usageErrorf("-o %s is inside the inventory %s, which would load it as an inventory file: write it elsewhere, or give it another extension", out, root)
		}
	}
	return nil
}
