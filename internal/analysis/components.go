package analysis

// Components returns the strongly connected components of the dependency graph, dependencies before
// their dependents, each ascending; an entity outside every cycle is a component of its own. Callers
// must not modify the result.
func (r *Result) Components() [][]int32 { return r.sccs }
