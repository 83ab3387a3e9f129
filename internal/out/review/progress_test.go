package review

import (
	"fmt"
	"sync"
	"testing"
)

// phases records what Build says it is doing, with the units it counts per phase.
type phases struct {
	mu    sync.Mutex
	order []string
	total map[string]int
	done  map[string]int
	cur   string
}

func (p *phases) Phase(what string, total int, unit string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cur = fmt.Sprintf("%s (%s)", what, unit)
	p.order = append(p.order, p.cur)
	p.total[p.cur] = total
}

func (p *phases) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done[p.cur] += n
}

// TestBuildProgress checks that Build says what it is doing, and that each phase with a total
// counts exactly its units: the progress line of spof report reads them.
func TestBuildProgress(t *testing.T) {
	p := &phases{total: map[string]int{}, done: map[string]int{}}
	Build(example(t, "platform"), Options{Source: "platform", Progress: p})
	want := []string{"analysing ()", "finding recommendations ()",
		"measuring recommendations (fixes)", "computing availability before the fixes (services)",
		"computing the fixes' availability gains (fixes)", "analysing the services shown ()",
		"computing availability (services)", "writing the sections ()"}
	if fmt.Sprint(p.order) != fmt.Sprint(want) {
		t.Fatalf("phases\n%q\nwant\n%q", p.order, want)
	}
	for _, ph := range p.order {
		if p.total[ph] == 0 && p.done[ph] != 0 || p.total[ph] != 0 && p.done[ph] != p.total[ph] {
			t.Errorf("%s: %d done of %d", ph, p.done[ph], p.total[ph])
		}
	}
	if p.total["measuring recommendations (fixes)"] == 0 {
		t.Error("no fix measured on the platform example: the test checks nothing")
	}
}
