package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// memoryBudget is the soft limit on the memory a run holds while its live heap stays well under it.
// The load, the analysis and check's policy run with GOGC=400 (cli.relaxGC): on a dense platform of 100,000
// entities a live heap of 400-600 MB then grew to 1.8 GB before a collection, garbage the
// collector was allowed to keep, not memory the run needed. Under the budget the collector runs
// earlier instead; a run whose live heap never comes near it (most runs) sees no difference.
const memoryBudget = 900 << 20

// liftAt is the live heap, measured after a collection, beyond which the budget follows the live
// heap instead: near the budget the collector would run back to back for little memory (a ring of
// 10,000 services holds 1.6 GB live). From there the limit is twice the live heap, as the default
// GOGC would leave it: the fivefold growth that relaxGC allows small heaps took a ring of 10,000
// services' report to 14.6 GB, a check with every rule on a dense 20,000 to 3.4 GB.
const liftAt = memoryBudget / 4 * 3

// budgetMemory sets memoryBudget as the soft memory limit of the process, unless GOMEMLIMIT is set,
// and watches the live heap after each collection: past liftAt the limit becomes twice the live
// heap.
func budgetMemory() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	debug.SetMemoryLimit(memoryBudget)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var watch func()
	watch = func() {
		// A finalizer runs after the collection that found its object unreachable: one object per
		// cycle gives a look at the live heap after every collection, at no cost in between.
		s := &sentinel{}
		runtime.SetFinalizer(s, func(*sentinel) {
			metrics.Read(sample)
			if v := sample[0].Value; v.Kind() == metrics.KindUint64 && v.Uint64() > liftAt {
				debug.SetMemoryLimit(int64(2 * v.Uint64()))
			}
			watch()
		})
	}
	watch()
}

// sentinel is the object budgetMemory's watch is finalized with; the pointer keeps it out of the
// tiny allocator, whose blocks are freed (and finalized) only with their neighbours.
type sentinel struct{ _ *byte }
