package avail

import (
	"cmp"
	"slices"

	"github.com/spofhq/spof/internal/model"
)

// extraNineSlack absorbs the rounding of decimal availabilities: 1 − 0.9999 is not exactly a tenth of
// 1 − 0.999 in binary, and a dependency exactly one nine better must pass.
const extraNineSlack = 1e-9

// AllowedDependencyUnavailability returns, for a service with objective slo, the largest
// unavailability the rule of the extra nine allows each of its critical dependencies: a tenth of the
// unavailability the objective allows the service. It returns 0 without an SLO.
func AllowedDependencyUnavailability(slo float64) float64 {
	if slo == 0 {
		return 0
	}
	return (1 - slo) / 10
}

// ExtraNine returns the SPOFs of s that break the rule of the extra nine: a dependency whose single
// failure takes the service down must be at least ten times less unavailable than the service's SLO
// allows. The dependency's unavailability is end-to-end (its own failures and those of its own
// dependencies, as s sees them). Nil without an SLO; ascending by entity.
func (s *Service) ExtraNine() []Dependency {
	allowed := AllowedDependencyUnavailability(s.SLO)
	if allowed == 0 || s.r == nil {
		return nil
	}
	var out []Dependency
	for _, x := range s.r.Res.SPOFs(s.Entity) {
		if q := 1 - s.r.Own[x]; q > allowed*(1+extraNineSlack) {
			out = append(out, Dependency{Entity: x, Unavailability: q})
		}
	}
	return out
}

// Improvement is an entity whose improvement removes expected downtime from the critical services.
type Improvement struct {
	Entity int32
	// SavedMinutes is the expected downtime per year removed from the critical services, summed, if
	// the entity's unavailability were ten times smaller (one more nine).
	SavedMinutes float64
	// Services are the critical services it would improve, ascending.
	Services []int32
}

// ImproveFirst ranks the entities by the expected downtime one more nine on each would remove from the
// critical services computed exactly, most first, then by index; entities that would remove nothing
// are left out. Bounded services have no importance figures and are not counted: see Bounded.
func (r *Result) ImproveFirst() []Improvement {
	r.Wait()
	saved := map[int32]*Improvement{}
	for i := range r.Services {
		s := &r.Services[i]
		if r.Res.Inv.Entities[s.Entity].Tier != model.Critical {
			continue
		}
		for _, im := range s.Importance {
			if im.SavedMinutes <= 0 {
				continue
			}
			x := saved[im.Entity]
			if x == nil {
				x = &Improvement{Entity: im.Entity}
				saved[im.Entity] = x
			}
			x.SavedMinutes += im.SavedMinutes
			x.Services = append(x.Services, s.Entity)
		}
	}
	out := make([]Improvement, 0, len(saved))
	for _, x := range saved {
		slices.Sort(x.Services)
		out = append(out, *x)
	}
	slices.SortFunc(out, func(a, b Improvement) int {
		if c := cmp.Compare(b.SavedMinutes, a.SavedMinutes); c != 0 {
			return c
		}
		return cmp.Compare(a.Entity, b.Entity)
	})
	return out
}

// Bounded returns the computed services whose availability is bounded rather than exact, ascending.
func (r *Result) Bounded() []int32 {
	r.Wait()
	var out []int32
	for i := range r.Services {
		if r.Services[i].Method == Bounds {
			out = append(out, r.Services[i].Entity)
		}
	}
	slices.Sort(out)
	return out
}

// BoundedBy returns how many of the computed services are bounded for the given cause.
func (r *Result) BoundedBy(c Cause) int {
	r.Wait()
	n := 0
	for i := range r.Services {
		if r.Services[i].BoundedBy == c {
			n++
		}
	}
	return n
}
