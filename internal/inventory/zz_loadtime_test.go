package inventory

import (
	"os"
	"runtime/debug"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
)

func TestLoadPhases(t *testing.T) {
	dir := os.Getenv("SPOF_BENCH_DIR")
	if dir == "" {
		t.Skip()
	}
	debug.SetGCPercent(400)
	for range 3 {
		t0 := time.Now()
		srcs, _ := Read(dir)
		t1 := time.Now()
		files := decodeAll(srcs, "2026-01-01")
		t2 := time.Now()
		b := newBuilder("2026-01-01")
		n, refs := 0, 0
		for _, f := range files {
			n += len(f.b.entities)
			refs += len(f.b.refs)
		}
		b.entities = make([]model.Entity, 0, n)
		b.refs = make([]pending, 0, refs)
		b.declared = make(map[string]diag.Pos, n)
		for _, f := range files {
			b.merge(f.b)
		}
		t3 := time.Now()
		b.finish(srcs)
		t4 := time.Now()
		t.Log("read", t1.Sub(t0), "decode", t2.Sub(t1), "merge", t3.Sub(t2), "finish", t4.Sub(t3))
	}
}
