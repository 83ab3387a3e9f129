package par

import (
	"sync/atomic"
	"testing"
)

func TestForEachWorkerVisitsEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		seen := make([]atomic.Int32, n)
		var badWorker atomic.Bool
		ForEachWorker(n, func(w, i int) {
			if w < 0 || w >= Workers(n) {
				badWorker.Store(true)
			}
			seen[i].Add(1)
		})
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d: index %d visited %d times, want 1", n, i, c)
			}
		}
		if badWorker.Load() {
			t.Fatalf("n=%d: a worker index outside 0..%d", n, Workers(n)-1)
		}
	}
}
