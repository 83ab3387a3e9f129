// Package par runs per-item work on every core. Results are stored by index by the caller, so the
// output order never depends on scheduling.
package par

import (
	"runtime"
	"sync"
)

// ForEach calls f for each index in 0..n-1 on every core.
func ForEach(n int, f func(i int)) { ForEachWorker(n, func(_, i int) { f(i) }) }

// Workers is how many goroutines ForEachWorker runs for n items: one per core, at most n, at least 1.
func Workers(n int) int { return max(1, min(runtime.GOMAXPROCS(0), n)) }

// ForEachWorker is ForEach that also passes the index of the worker calling f, below Workers(n), for
// scratch space owned by one worker.
func ForEachWorker(n int, f func(w, i int)) {
	nw := Workers(n)
	if nw <= 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for w := range nw {
		wg.Go(func() {
			for i := range next {
				f(w, i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
