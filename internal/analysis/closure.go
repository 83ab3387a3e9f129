package analysis

// Closure marks roots and every entity they depend on, directly or transitively. Whether an entity is
// down depends only on the entities it depends on, so an inventory cut down to the closure of some
// services gives exactly the same SPOFs, cut sets, tolerance and availability for them.
func (r *Result) Closure(roots []int32) []bool {
	in := make([]bool, r.Inv.Len())
	r.Reach(roots, func(x int32) bool {
		if in[x] {
			return false
		}
		in[x] = true
		return true
	})
	return in
}

// Reach is the walk of Closure for a caller that keeps the marks itself (in a map, when the closure
// is small next to the inventory): it calls mark for roots and every entity they depend on, directly
// or transitively, and goes on from an entity only when mark reports it was not marked yet.
func (r *Result) Reach(roots []int32, mark func(x int32) bool) {
	var stack []int32
	for _, x := range roots {
		if mark(x) {
			stack = append(stack, x)
		}
	}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range r.Deps(e) {
			if mark(d) {
				stack = append(stack, d)
			}
		}
	}
}
