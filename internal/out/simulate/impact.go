package simulate

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/analyze"
)

// ImpactFormats are the formats of spof impact, text first.
var ImpactFormats = formats(WriteEntityImpactText, nil, "docs/diagram.md")

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
	ex := &inv.Entities[x]
	im := &EntityImpact{ID: ex.ID, Kind: ex.Kind.String(), Down: []Dependent{}, StaysUp: []Dependent{}, Services: analyze.NewByTier()}
	if ex.Name != ex.ID {
		im.Name = ex.Name
	}
	deps, toward := res.Dependents(x)
	radius := res.BlastRadius(x)
	for _, d := range deps {
		e := &inv.Entities[d]
		dep := Dependent{ID: e.ID, Kind: e.Kind.String(), Tier: tierOf(e)}
		if slices.Contains(radius, d) {
			dep.Path = inv.IDsOf(res.Path(d, x))
			im.Down = append(im.Down, dep)
			if e.Kind == model.Service {
				l := im.Services.Of(e.Tier)
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
		dep.Path = inv.IDsOf(path)
		im.StaysUp = append(im.StaysUp, dep)
	}
	order := func(a, b Dependent) int { return byKindTier(a.Kind, a.Tier, b.Kind, b.Tier) }
	slices.SortStableFunc(im.Down, order)
	slices.SortStableFunc(im.StaysUp, order)
	return im
}

// WriteEntityImpactText prints im for people: what goes down if the entity fails alone, then what
// depends on it but stays up. im names every entity it shows, so inv is not read.
func WriteEntityImpactText(w io.Writer, im *EntityImpact, _ *model.Inventory) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)", im.ID, im.Kind)
	if im.Name != "" {
		fmt.Fprintf(&b, " %q", im.Name)
	}
	b.WriteString("\n\n")
	if len(im.Down) == 0 {
		b.WriteString("IF IT FAILS ALONE: nothing else goes down\n")
	} else {
		fmt.Fprintf(&b, "IF IT FAILS ALONE: %d %s down", len(im.Down), plural(len(im.Down), "entity goes", "entities go"))
		if n := im.Services.Count(); n > 0 {
			fmt.Fprintf(&b, ", including %s", tierCounts(im.Services))
		}
		b.WriteString("\n")
		writeRows(&b, dependentRows(im.Down), " → ")
	}
	b.WriteByte('\n')
	if len(im.StaysUp) == 0 {
		b.WriteString("DEPENDS ON IT BUT STAYS UP: nothing\n")
	} else {
		fmt.Fprintf(&b, "DEPENDS ON IT BUT STAYS UP: %d %s, kept up by redundancy\n", len(im.StaysUp), plural(len(im.StaysUp), "entity", "entities"))
		writeRows(&b, dependentRows(im.StaysUp), " → ")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func dependentRows(deps []Dependent) []row {
	rows := make([]row, len(deps))
	for i, d := range deps {
		rows[i] = row{kind: d.Kind, tier: d.Tier, path: d.Path}
	}
	return rows
}

// tierCounts reads "10 services (2 critical, 5 high, 3 medium)".
func tierCounts(bt analyze.ByTier) string {
	var parts []string
	for _, t := range model.Tiers {
		if n := len(*bt.Of(t)); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, t))
		}
	}
	return fmt.Sprintf("%d %s (%s)", bt.Count(), plural(bt.Count(), "service", "services"), strings.Join(parts, ", "))
}
