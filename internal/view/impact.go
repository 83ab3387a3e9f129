package view

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// EntityImpact is the document `spof impact --format json` prints: what depends on one entity.
type EntityImpact struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Down are the dependents that go down if the entity fails alone; Degraded are the other dependents,
	// which only lose redundancy. Both by kind, tier for services, then ID; Path runs from the dependent
	// to the entity.
	Down     []Dependent `json:"down"`
	Degraded []Dependent `json:"degraded"`
	// Services counts the services down, per tier.
	Services ByTier `json:"services_down"`
}

// Dependent is an entity that depends on the one examined.
type Dependent struct {
	ID   string   `json:"id"`
	Kind string   `json:"kind"`
	Tier string   `json:"tier,omitempty"`
	Path []string `json:"path"`
}

// NewEntityImpact describes what depends on x. It reads the single-failure sets the SPOF analysis
// computed, so it agrees with analyze by construction.
func NewEntityImpact(res *analysis.Result, x int32) *EntityImpact {
	inv := res.Inv
	im := &EntityImpact{ID: inv.ID(x), Kind: inv.Entities[x].Kind.String(), Down: []Dependent{}, Degraded: []Dependent{}, Services: newByTier()}
	deps, toward := res.Dependents(x)
	radius := res.BlastRadius(x)
	for _, d := range deps {
		e := &inv.Entities[d]
		dep := Dependent{ID: e.ID, Kind: e.Kind.String(), Tier: tierOf(e)}
		if slices.Contains(radius, d) {
			dep.Path = ids(inv, res.Path(d, x))
			im.Down = append(im.Down, dep)
			if e.Kind == model.Service {
				l := im.Services.list(e.Tier)
				*l = append(*l, e.ID)
			}
			continue
		}
		path := []int32{d}
		for at := toward[d]; at >= 0; at = toward[at] {
			path = append(path, at)
			if at == x {
				break
			}
		}
		dep.Path = ids(inv, path)
		im.Degraded = append(im.Degraded, dep)
	}
	order := func(a, b Dependent) int {
		return cmp.Or(cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)), cmp.Compare(tierRank(a.Tier), tierRank(b.Tier)))
	}
	slices.SortStableFunc(im.Down, order)
	slices.SortStableFunc(im.Degraded, order)
	return im
}

// WriteEntityImpactText prints im for people.
func WriteEntityImpactText(w io.Writer, im *EntityImpact) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n\n", im.ID, im.Kind)
	if len(im.Down) == 0 {
		b.WriteString("IF IT FAILS ALONE: nothing else goes down\n")
	} else {
		fmt.Fprintf(&b, "IF IT FAILS ALONE: %d %s down", len(im.Down), plural(len(im.Down), "entity goes", "entities go"))
		if n := im.Services.Count(); n > 0 {
			fmt.Fprintf(&b, ", including %s", tierCounts(im.Services))
		}
		b.WriteString("\n")
		writeDependents(&b, im.Down, " → ")
	}
	b.WriteByte('\n')
	if len(im.Degraded) == 0 {
		b.WriteString("LOSES REDUNDANCY ONLY: nothing\n")
	} else {
		fmt.Fprintf(&b, "LOSES REDUNDANCY ONLY: %d %s (still up, with less redundancy)\n", len(im.Degraded), plural(len(im.Degraded), "entity", "entities"))
		writeDependents(&b, im.Degraded, " → ")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeDependents(b *strings.Builder, deps []Dependent, sep string) {
	last := ""
	for _, d := range deps {
		group := d.Kind
		if d.Tier != "" {
			group = d.Tier + " " + d.Kind
		}
		if group != last {
			fmt.Fprintf(b, "  %ss:\n", group)
			last = group
		}
		fmt.Fprintf(b, "    %s\n", strings.Join(d.Path, sep))
	}
}

// tierCounts reads "2 critical, 1 high services".
func tierCounts(bt ByTier) string {
	var parts []string
	for _, t := range model.Tiers {
		if n := len(*bt.list(t)); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, t))
		}
	}
	return strings.Join(parts, ", ") + " " + plural(bt.Count(), "service", "services")
}
