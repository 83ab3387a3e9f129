// Package analyze is the output of `spof analyze`: its JSON document (a stable contract, documented in
// README.md — keep them in sync) and its text form.
//
// Every list is sorted: services and SPOFs by ID, cut sets by size then IDs, providers and entities by
// tier-weighted impact then ID, findings by kind, entity then position.
package analyze

import (
	"io"
	"strconv"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out"
	"github.com/spofhq/spof/internal/par"
)

// Analysis is the document `spof analyze --format json` prints. Its structs are the table of the
// document's fields, which every writer of it follows (see fields.go).
type Analysis struct {
	Services  []Service  `json:"services" layout:"lines"`
	Providers []Provider `json:"providers" layout:"lines"`
	Entities  []Impact   `json:"entities" layout:"lines"`
	Findings  []Finding  `json:"findings" layout:"lines"`
	// Detection is the detection and communication analysis (detection.go), omitted when no service
	// declares a role.
	Detection *Detection `json:"detection,omitempty" layout:"fields"`
	// MaxOrder is the largest cut set searched.
	MaxOrder int `json:"max_order"`
	// The availability ranking, when computed (avail.go); TestedCutoff is the day before which a
	// failover drill was too old (--untested-after), omitted otherwise.
	*PlatformAvailability
	TestedCutoff string `json:"tested_cutoff,omitempty"`
	// The recorded incidents replayed, and the downtime they observed (incidents.go); omitted when
	// the inventory records no incident.
	Incidents        []Incident        `json:"incidents,omitempty" layout:"lines"`
	ObservedDowntime *ObservedDowntime `json:"observed_downtime,omitempty"`
}

// Service is one service's exposure.
type Service struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Tier  string `json:"tier"`
	Owner string `json:"owner"`
	SPOFs []SPOF `json:"spofs"`
	// Tolerance is the size of the smallest cut set, null when none exists up to max_order.
	Tolerance *int `json:"tolerance"`
	// CutSets are the minimal cut sets of two to max_order entities (SPOFs, the sets of one, are in
	// SPOFs), smallest first, then by IDs.
	CutSets          [][]string `json:"cut_sets"`
	CutSetsTruncated bool       `json:"cut_sets_truncated"`
	// The service's availability, when computed (avail.go), and what it loses if unproven
	// failovers fail, with --untested-after.
	*ServiceAvailability
	Failover *ServiceFailover `json:"failover,omitempty"`
}

// SPOF is a single point of failure of a service, with one dependency path from the service to it.
type SPOF struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Path runs from the service to the SPOF (PathsFull, the default); Next is its first step, the
	// entity after the service (PathsNext). PathsNone leaves both out.
	Path []string `json:"path,omitempty"`
	Next string   `json:"next,omitempty"`
}

// Paths says how much of each SPOF's dependency path an output shows: the paths of a chain of n
// services hold n³/6 entities in all.
type Paths int

const (
	// PathsDefault is PathsFull in JSON and PathsShort in text.
	PathsDefault Paths = iota
	// PathsFull shows every entity of every path.
	PathsFull
	// PathsShort shows the paths of up to shortPath entities whole, and of the longer ones the
	// first shortHead entities, how many are left out, and the SPOF (text only).
	PathsShort
	// PathsNext shows the first step only: the entity after the service, the SPOF itself when the
	// service references it.
	PathsNext
	// PathsNone shows no path.
	PathsNone
)

// PathNames are the names of the path modes, in the order help lists them.
var PathNames = []string{PathsFull: "full", PathsShort: "short", PathsNext: "next", PathsNone: "none"}

// ParsePaths returns the path mode called name ("" is PathsDefault), and false for an unknown name.
func ParsePaths(name string) (Paths, bool) {
	if name == "" {
		return PathsDefault, true
	}
	for p, n := range PathNames {
		if n == name && n != "" {
			return Paths(p), true
		}
	}
	return PathsDefault, false
}

// json returns the mode of p in JSON, where PathsDefault is PathsFull.
func (p Paths) json() Paths {
	if p == PathsDefault {
		return PathsFull
	}
	return p
}

// text returns the mode of p in text, where PathsDefault is PathsShort.
func (p Paths) text() Paths {
	if p == PathsDefault {
		return PathsShort
	}
	return p
}

// Short paths: up to shortPath entities are shown whole; longer ones show their first shortHead
// entities, then how many are left out, then the SPOF.
const (
	shortPath = 8
	shortHead = 6
)

// TextKeep returns how many of a path's first entities the text reads in mode p (PathsDefault is
// PathsShort there): all (-1) with PathsFull, 8 with PathsShort, 2 with PathsNext, none with PathsNone.
// Writers read that many with the path's length, and give them to AppendTextPath.
func (p Paths) TextKeep() int {
	switch p.text() {
	case PathsFull:
		return -1
	case PathsShort:
		return shortPath
	case PathsNext:
		return 2
	}
	return 0
}

// AppendTextPath appends a path of n entities as the text shows it in mode p (PathsDefault is
// PathsShort), IDs joined by sep (" → "; simulate's chains, which run backwards, " ← "): head holds
// its first p.TextKeep() entities, or all of them when the path is shorter. Those are shown whole,
// except that PathsShort shows only the first 6 of a path of more than 8; when entities are left
// out, "… k more …" follows unless k is 0, then last, the path's last entity. PathsNone appends
// nothing. id spells an entity. It is the one place that decides how the text of analyze, check
// and simulate shortens a path.
func AppendTextPath[E any](dst []byte, p Paths, head []E, n int, last E, id func(E) string, sep string) []byte {
	switch p.text() {
	case PathsNone:
		return dst
	case PathsShort:
		if n > shortPath {
			head = head[:shortHead]
		}
	}
	for i, e := range head {
		if i > 0 {
			dst = append(dst, sep...)
		}
		dst = append(dst, id(e)...)
	}
	if left := n - len(head) - 1; left >= 0 {
		if left > 0 {
			dst = append(dst, sep...)
			dst = append(dst, "… "...)
			dst = strconv.AppendInt(dst, int64(left), 10)
			dst = append(dst, " more …"...)
		}
		dst = append(dst, sep...)
		dst = append(dst, id(last)...)
	}
	return dst
}

// ByTier lists service IDs per tier.
type ByTier struct {
	Critical []string `json:"critical"`
	High     []string `json:"high"`
	Medium   []string `json:"medium"`
	Low      []string `json:"low"`
}

// Of returns the list of tier t.
func (b *ByTier) Of(t model.Tier) *[]string {
	return [...]*[]string{&b.Critical, &b.High, &b.Medium, &b.Low}[t]
}

// Count returns how many services b lists.
func (b *ByTier) Count() int { return len(b.Critical) + len(b.High) + len(b.Medium) + len(b.Low) }

// Weight is the tier-weighted count used for rankings (critical 8, high 4, medium 2, low 1).
func (b *ByTier) Weight() int {
	w := 0
	for _, t := range model.Tiers {
		w += len(*b.Of(t)) * t.Weight()
	}
	return w
}

// Provider lists the services for which a provider is a SPOF.
type Provider struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Services ByTier `json:"services"`
}

// Impact is an entity's blast radius: the services its failure alone puts down.
type Impact struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Weight int    `json:"weight"`
	Down   ByTier `json:"down"`
}

// Finding is a problem worth reviewing.
type Finding struct {
	Kind     string `json:"kind"`
	Severity string `json:"severity"`
	Entity   string `json:"entity"`
	Message  string `json:"message"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	// Incident is the incident record a comparison of the model with an incident is about.
	Incident string `json:"incident,omitempty"`
}

// Options select what an Analysis holds.
type Options struct {
	// Services restricts the services listed; nil lists all.
	Services []int32
	// MaxCutSets caps the cut sets listed per service; 0 means no cap.
	MaxCutSets int
	// Paths says how much of each SPOF's path to show.
	Paths Paths
	// Avail adds availability figures when not nil, Failover the SPOFs if unproven failovers fail.
	Avail    *avail.Result
	Failover *avail.Failover
	// Now ends the span over which the incident records' downtime is counted (the run's clock).
	Now time.Time
	// Text tunes the text form.
	Text TextOptions
}

// Writer writes the analysis of res in one format.
type Writer func(w io.Writer, res *analysis.Result, opts Options) error

// Formats are the formats of spof analyze, text first.
var Formats = out.Formats[Writer]{
	{Name: "text", Doc: "for people", Write: WriteText},
	{Name: "json", Doc: "for programs; a stable document described in README.md", Write: WriteJSON},
}

// NewAnalysis builds the document for res.
func NewAnalysis(res *analysis.Result, opts Options) *Analysis {
	inv := res.Inv
	services := opts.Services
	if services == nil {
		services = inv.OfKind(model.Service)
	}
	a := &Analysis{Services: make([]Service, len(services)), MaxOrder: res.MaxOrder}
	par.ForEach(len(services), func(i int) { a.Services[i] = describe(res, services[i], opts) })
	order, weight, _ := ImpactRanking(res, ServiceTiers(inv))
	a.Entities = make([]Impact, len(order))
	for i, x := range order {
		a.Entities[i] = NewImpact(inv, x, weight[x], res.BlastRadius(x))
	}
	a.Providers = NewProviders(res, order, weight)
	a.Findings = Findings(res)
	a.Detection = NewDetection(res)
	addAvailability(a, opts)
	a.Incidents = Incidents(res)
	a.ObservedDowntime = NewObservedDowntime(inv, opts)
	return a
}

// NewService describes service s, with the whole path of each SPOF.
func NewService(res *analysis.Result, s int32, maxCutSets int) Service {
	out, _ := newService(res, s, maxCutSets, -1, PathsFull)
	return out
}

// NewServiceNoPaths is NewService without the SPOFs' paths, for a caller that shows a few of them:
// every path of a service at the top of a chain of n is n²/2 steps together.
func NewServiceNoPaths(res *analysis.Result, s int32, maxCutSets int) Service {
	out, _ := newService(res, s, maxCutSets, -1, PathsNone)
	return out
}

// newService is NewService that spells out only the first keep cut sets of two or more entities
// (all when keep < 0) and returns how many there are, and shows paths as paths (in JSON) says.
func newService(res *analysis.Result, s int32, maxCutSets, keep int, paths Paths) (out Service, larger int) {
	inv := res.Inv
	e := &inv.Entities[s]
	out = Service{ID: e.ID, Name: e.Name, Tier: e.Tier.String(), Owner: e.Owner, SPOFs: make([]SPOF, 0, len(res.SPOFs(s))), CutSets: [][]string{}}
	for _, x := range res.SPOFs(s) {
		sp := SPOF{ID: inv.ID(x), Kind: inv.Entities[x].Kind.String()}
		switch paths.json() {
		case PathsFull:
			sp.Path = inv.IDsOf(res.Path(s, x))
		case PathsNext:
			sp.Next = inv.ID(res.Path(s, x)[1])
		}
		out.SPOFs = append(out.SPOFs, sp)
	}
	if t, ok := res.Tolerance(s); ok {
		out.Tolerance = &t
	}
	out.CutSetsTruncated = res.EachCutSet(s, maxCutSets, func(c []int32) {
		if len(c) > 1 {
			if keep < 0 || larger < keep {
				out.CutSets = append(out.CutSets, inv.IDsOf(c))
			}
			larger++
		}
	})
	return out, larger
}

// NewImpact returns the Impact of x, whose blast radius is radius and tier-weighted impact weight.
func NewImpact(inv *model.Inventory, x int32, weight int, radius []int32) Impact {
	im := Impact{ID: inv.Entities[x].ID, Kind: inv.Entities[x].Kind.String(), Weight: weight, Down: NewByTier()}
	for _, d := range radius {
		if de := &inv.Entities[d]; de.Kind == model.Service {
			l := im.Down.Of(de.Tier)
			*l = append(*l, de.ID)
		}
	}
	return im
}

// NewByTier returns a ByTier with every list empty, not nil, so that JSON shows [].
func NewByTier() ByTier {
	return ByTier{Critical: []string{}, High: []string{}, Medium: []string{}, Low: []string{}}
}

// NewProviders returns every provider with the services it takes down alone, in the order of
// ImpactRanking, whose order and weight it takes.
func NewProviders(res *analysis.Result, order []int32, weight []int) []Provider {
	out := []Provider{}
	for _, x := range order {
		if e := &res.Inv.Entities[x]; e.Kind == model.Provider {
			out = append(out, Provider{ID: e.ID, Name: e.Name, Type: e.Type,
				Services: NewImpact(res.Inv, x, weight[x], res.BlastRadius(x)).Down})
		}
	}
	return out
}

// Findings converts the analysis findings.
func Findings(res *analysis.Result) []Finding {
	out := []Finding{}
	for _, f := range res.Findings() {
		x := Finding{Kind: f.Kind, Severity: f.Severity, Entity: res.Inv.ID(f.Entity),
			Message: f.Message, File: f.Pos.File, Line: f.Pos.Line, Column: f.Pos.Col}
		if f.Incident != nil {
			x.Incident = f.Incident.ID
		}
		out = append(out, x)
	}
	return out
}
