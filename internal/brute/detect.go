package brute

import (
	"math/rand/v2"
	"slices"

	"github.com/spofhq/spof/internal/model"
)

// This file is the reference for detection (docs/detection.md), written from the definitions alone.

// Closure returns s and every entity s depends on, directly or not, marked.
func Closure(inv *model.Inventory, s int32) []bool {
	in := make([]bool, inv.Len())
	var visit func(e int32)
	var walk func(r *model.Req)
	walk = func(r *model.Req) {
		if r.Op == model.Need {
			visit(r.Entity)
			return
		}
		for _, m := range r.Members {
			walk(m)
		}
	}
	visit = func(e int32) {
		if in[e] {
			return
		}
		in[e] = true
		for _, ref := range inv.Entities[e].Refs {
			walk(ref.Req)
		}
	}
	visit(s)
	return in
}

// Monitoring reports whether entity e is a monitoring service.
func Monitoring(inv *model.Inventory, e int32) bool {
	return inv.Entities[e].Kind == model.Service && inv.Entities[e].Role == model.Monitoring
}

// Seen reports whether, with the entities marked in down down, a monitoring service that is up
// watches s or an entity s depends on that is down.
func Seen(inv *model.Inventory, s int32, down []bool) bool {
	scope := Closure(inv, s)
	for m := range int32(inv.Len()) {
		if !Monitoring(inv, m) || down[m] {
			continue
		}
		for _, w := range inv.Entities[m].Watches {
			if scope[w] && down[w] {
				return true
			}
		}
	}
	return false
}

// Watched reports whether some monitoring service watches s or an entity s depends on.
func Watched(inv *model.Inventory, s int32) bool {
	scope := Closure(inv, s)
	for m := range int32(inv.Len()) {
		if Monitoring(inv, m) && slices.ContainsFunc(inv.Entities[m].Watches, func(w int32) bool { return scope[w] }) {
			return true
		}
	}
	return false
}

// AddDetection turns about half of inv's entities into services, with random tiers, customer-facing
// flags and roles, and gives each monitoring service one to three random entities to watch (never
// itself), so that the property tests meet every shape: watchers of services, of their
// dependencies, of other watchers, down with the failure or not.
func AddDetection(rng *rand.Rand, inv *model.Inventory) {
	n := inv.Len()
	for i := range inv.Entities {
		e := &inv.Entities[i]
		if rng.IntN(2) == 0 {
			e.Kind = model.Service
		}
		if e.Kind != model.Service {
			continue
		}
		e.Tier = model.Tiers[rng.IntN(len(model.Tiers))]
		e.CustomerFacing = rng.IntN(2) == 0
		switch rng.IntN(8) {
		case 0, 1, 2:
			e.Role = model.Monitoring
		case 3:
			e.Role = model.Alerting
		case 4, 5:
			e.Role = model.Status
		}
		if e.Role != model.Monitoring || n < 2 {
			continue
		}
		for range 1 + rng.IntN(3) {
			w := int32(rng.IntN(n - 1))
			if w >= int32(i) {
				w++
			}
			if !slices.Contains(e.Watches, w) {
				e.Watches = append(e.Watches, w)
			}
		}
	}
}
