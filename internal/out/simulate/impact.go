package simulate

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out"
	"github.com/spofhq/spof/internal/out/analyze"
)

// ImpactFormats are the formats of spof impact, text first.
var ImpactFormats = formats(WriteEntityImpactText, WriteEntityImpactJSON, "docs/diagram.md")

// EntityImpact is the document `spof impact --format json` prints: what depends on one entity
// (documented in docs/diagram.md; keep in sync).
type EntityImpact struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name,omitempty"`
	// Down are the dependents that go down if the entity fails alone; StaysUp are the other dependents,
	// which a redundancy group keeps up. Both by kind, tier for services, then ID; Path runs from the
	// dependent to the entity: for Down, each step a cause of the previous one's failure.
	Down    []Dependent `json:"down"`
	StaysUp []Dependent `json:"stays_up"`
	// Services counts the services down, per tier.
	Services analyze.ByTier `json:"services_down"`

	// Paths says how much of each dependent's path the outputs show: analyze.PathsShort in text and
	// analyze.PathsFull in JSON by default, as analyze's --paths.
	Paths analyze.Paths `json:"-"`
	// outage is the failure of the entity alone, whose chains are the paths of Down; toward the next
	// step of each dependent towards the entity, for StaysUp, and upSteps the number of steps of those
	// paths. Paths are spelled out only as each dependent is written: the paths of n dependents may
	// hold n²/2 steps (the end of a chain of services).
	outage  *analysis.Outage
	toward  map[int32]int32
	upSteps map[int32]int32
	x       int32
	inv     *model.Inventory
}

// Dependent is an entity that depends on the one examined. Path is filled only in the copy being
// written, with analyze.PathsFull, and Next, the entity after this one on the path, with
// analyze.PathsNext.
type Dependent struct {
	ID   string   `json:"id"`
	Kind string   `json:"kind"`
	Tier string   `json:"tier,omitempty"`
	Path []string `json:"path,omitempty"`
	Next string   `json:"next,omitempty"`
	// Entity is the dependent's index in the inventory.
	Entity int32 `json:"-"`
}

// NewEntityImpact describes what depends on x. It reads the single-failure sets the SPOF analysis
// computed, so it agrees with analyze by construction: the chains of the failure of x alone are the
// paths analyze shows (Outage.Chain).
func NewEntityImpact(res *analysis.Result, x int32) *EntityImpact {
	inv := res.Inv
	ex := &inv.Entities[x]
	im := &EntityImpact{ID: ex.ID, Kind: ex.Kind.String(), Down: []Dependent{}, StaysUp: []Dependent{}, Services: analyze.NewByTier(),
		outage: res.Simulate([]int32{x}), upSteps: map[int32]int32{}, x: x, inv: inv}
	if ex.Name != ex.ID {
		im.Name = ex.Name
	}
	deps, toward := res.Dependents(x)
	im.toward = toward
	for _, d := range deps {
		e := &inv.Entities[d]
		dep := Dependent{ID: e.ID, Kind: e.Kind.String(), Tier: tierOf(e), Entity: d}
		if im.outage.Down[d] {
			im.Down = append(im.Down, dep)
			if e.Kind == model.Service {
				l := im.Services.Of(e.Tier)
				*l = append(*l, e.ID)
			}
			continue
		}
		im.StaysUp = append(im.StaysUp, dep)
	}
	order := func(a, b Dependent) int { return byKindTier(a.Kind, a.Tier, b.Kind, b.Tier) }
	slices.SortStableFunc(im.Down, order)
	slices.SortStableFunc(im.StaysUp, order)
	return im
}

// pathHead returns the first n entities of the path of dependent d (down says which list it is in),
// its length and its last entity, the one examined.
func (im *EntityImpact) pathHead(d int32, down bool, n int) (head []int32, length int, last int32) {
	if down {
		o := im.outage
		return o.ChainHead(d, n, nil), o.ChainLen(d), o.ChainEnd(d)
	}
	head = []int32{d}
	for at := d; at != im.x && len(head) < n; {
		at = im.toward[at]
		head = append(head, at)
	}
	return head, int(im.steps(d)) + 1, im.x
}

// steps returns the number of steps of the path of d, a dependent that stays up, towards the entity,
// remembered for every entity on the way so that all of them cost linear time.
func (im *EntityImpact) steps(d int32) int32 {
	var todo []int32
	at := d
	for {
		if _, ok := im.upSteps[at]; ok {
			break
		}
		next, ok := im.toward[at]
		if !ok || next < 0 {
			im.upSteps[at] = 0 // the entity itself
			break
		}
		todo = append(todo, at)
		at = next
	}
	for i := len(todo) - 1; i >= 0; i-- {
		im.upSteps[todo[i]] = im.upSteps[im.toward[todo[i]]] + 1
	}
	return im.upSteps[d]
}

// written returns dependent i of list (Down when down, else StaysUp) as the JSON document shows it,
// its path as im.Paths says.
func (im *EntityImpact) written(list []Dependent, i int, down bool) Dependent {
	d := list[i]
	switch im.Paths {
	case analyze.PathsDefault, analyze.PathsFull:
		head, n, _ := im.pathHead(d.Entity, down, math.MaxInt)
		d.Path = im.inv.IDsOf(head[:n])
	case analyze.PathsNext:
		head, _, _ := im.pathHead(d.Entity, down, 2)
		d.Next = im.inv.ID(head[1])
	}
	return d
}

// WriteEntityImpactJSON writes the document as encoding/json would, one dependent at a time, so that
// memory stays linear in the inventory whatever the paths hold.
func WriteEntityImpactJSON(w io.Writer, im *EntityImpact, _ *model.Inventory) error {
	return out.WriteJSONObject(w, func(o *out.JSONObject) {
		o.Field("id", im.ID)
		o.Field("kind", im.Kind)
		if im.Name != "" {
			o.Field("name", im.Name)
		}
		o.List("down", len(im.Down), func(i int) any { return im.written(im.Down, i, true) })
		o.List("stays_up", len(im.StaysUp), func(i int) any { return im.written(im.StaysUp, i, false) })
		o.Field("services_down", im.Services)
	})
}

// WriteEntityImpactText prints im for people: what goes down if the entity fails alone, then what
// depends on it but stays up, each path as im.Paths says (by default, long ones abbreviated as in
// analyze). It writes as it goes.
func WriteEntityImpactText(w io.Writer, im *EntityImpact, _ *model.Inventory) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, "%s (%s)", im.ID, im.Kind)
	if im.Name != "" {
		fmt.Fprintf(bw, " %q", im.Name)
	}
	bw.WriteString("\n\n")
	if len(im.Down) == 0 {
		bw.WriteString("IF IT FAILS ALONE: nothing else goes down\n")
	} else {
		fmt.Fprintf(bw, "IF IT FAILS ALONE: %d %s down", len(im.Down), human.Plural(len(im.Down), "entity goes", "entities go"))
		if n := im.Services.Count(); n > 0 {
			fmt.Fprintf(bw, ", including %s", tierCounts(im.Services))
		}
		bw.WriteString("\n")
		im.writeDependents(bw, im.Down, true)
	}
	bw.WriteByte('\n')
	if len(im.StaysUp) == 0 {
		bw.WriteString("DEPENDS ON IT BUT STAYS UP: nothing\n")
	} else {
		fmt.Fprintf(bw, "DEPENDS ON IT BUT STAYS UP: %d %s, kept up by redundancy\n", len(im.StaysUp), human.Plural(len(im.StaysUp), "entity", "entities"))
		im.writeDependents(bw, im.StaysUp, false)
	}
	return bw.Flush()
}

// writeDependents prints deps under a heading per kind and tier, each with its path.
func (im *EntityImpact) writeDependents(w *bufio.Writer, deps []Dependent, down bool) {
	rows := make([]pathRow, len(deps))
	for i, d := range deps {
		rows[i] = pathRow{id: d.ID, kind: d.Kind, tier: d.Tier, entity: d.Entity}
	}
	writePathRows(w, rows, " → ", im.Paths, im.inv, func(e int32, n int) ([]int32, int, int32) { return im.pathHead(e, down, n) })
}

// tierCounts reads "10 services (2 critical, 5 high, 3 medium)".
func tierCounts(bt analyze.ByTier) string {
	var parts []string
	for _, t := range model.Tiers {
		if n := len(*bt.Of(t)); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, t))
		}
	}
	return fmt.Sprintf("%d %s (%s)", bt.Count(), human.Plural(bt.Count(), "service", "services"), strings.Join(parts, ", "))
}
