package avail

import "github.com/spofhq/spof/internal/model"

// Source says where an entity's own availability comes from.
type Source uint8

// Sources of an entity's own availability. Defaults and BuiltIn are assumptions, which outputs flag.
const (
	// Given is the entity's availability key.
	Given Source = iota
	// FromMTTF is mttf_hours/(mttf_hours+mttr_hours).
	FromMTTF
	// Defaults is the inventory's [defaults] table for the entity's kind.
	Defaults
	// BuiltIn is spof's built-in default for the entity's kind (see BuiltInDefault).
	BuiltIn
)

var sourceNames = [...]string{"given", "mttf", "defaults", "built-in"}

// String names the source as JSON shows it: given, mttf, defaults, built-in.
func (s Source) String() string { return sourceNames[s] }

// Assumed reports whether the figure is a default rather than a statement about the entity.
func (s Source) Assumed() bool { return s >= Defaults }

// builtIn holds the built-in defaults, indexed by kind. They are typical figures, chosen to be
// neither flattering nor alarming, and are documented in docs/availability.md (keep in sync):
// providers 99.95% (a common hosting, cloud or carrier SLA), services 99.9% (the software of a service
// on its own: releases, bugs, expired certificates), numbers 99.999% (a number's own configuration at
// its carrier rarely fails apart from the carrier), VMs 99.9%, components 99.95%.
var builtIn = [model.NumKinds]float64{
	model.Provider:  0.9995,
	model.Service:   0.999,
	model.Number:    0.99999,
	model.VM:        0.999,
	model.Component: 0.9995,
}

// BuiltInDefault returns spof's default availability for entities of kind k that state none and that
// the inventory's [defaults] table does not cover.
func BuiltInDefault(k model.Kind) float64 { return builtIn[k] }

// Own returns the availability each entity has on its own, by index, and where it comes from: the
// entity's availability (or MTTF and MTTR), else the [defaults] table, else the built-in default.
func Own(inv *model.Inventory) ([]float64, []Source) {
	a := make([]float64, inv.Len())
	src := make([]Source, inv.Len())
	for i := range inv.Entities {
		e := &inv.Entities[i]
		switch {
		case e.Availability > 0 && e.MTTFHours > 0:
			a[i], src[i] = e.Availability, FromMTTF
		case e.Availability > 0:
			a[i], src[i] = e.Availability, Given
		case inv.Defaults[e.Kind] > 0:
			a[i], src[i] = inv.Defaults[e.Kind], Defaults
		default:
			a[i], src[i] = builtIn[e.Kind], BuiltIn
		}
	}
	return a, src
}
