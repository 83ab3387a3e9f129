package review

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/sorted"
)

// matrixSize caps the services of the coupling matrix, which must fit a page.
const matrixSize = 12

// coupling is a group of critical and high services that one entity's failure takes down together.
type coupling struct {
	services []int32 // ascending
	entities []int32 // the entities whose failure alone takes all of them down, ascending
	weight   int
}

// couplings groups the entities by the set of critical and high services their failure takes down
// (the entity itself included when it is one), keeping sets of two services or more: heaviest first,
// then largest, then by first entity.
func couplings(res *analysis.Result) []coupling {
	inv := res.Inv
	index := map[uint64][]int{} // by setHash: the couplings of that hash
	var out []coupling
	// Only an entity that takes down two critical or high services (itself included) is listed: the
	// counts say which without building every blast radius, n²/2 entries on a chain of n.
	class := make([]int8, inv.Len())
	for i := range class {
		class[i] = -1
		if critHigh(inv, int32(i)) {
			class[i] = 0
		}
	}
	counts := res.RadiusCounts(class, 1)
	for i := range inv.Entities {
		x := int32(i)
		if counts[i]+int32(class[i]+1) < 2 {
			continue
		}
		var set []int32
		for _, s := range res.BlastRadius(x) {
			if critHigh(inv, s) {
				set = append(set, s)
			}
		}
		if critHigh(inv, x) {
			set = append(set, x)
			slices.Sort(set)
		}
		if len(set) < 2 {
			continue
		}
		h := setHash(set)
		k := slices.IndexFunc(index[h], func(k int) bool { return slices.Equal(out[k].services, set) })
		if k >= 0 {
			k = index[h][k]
		} else {
			k = len(out)
			index[h] = append(index[h], k)
			w := 0
			for _, s := range set {
				w += inv.Entities[s].Tier.Weight()
			}
			out = append(out, coupling{services: set, weight: w})
		}
		out[k].entities = append(out[k].entities, x)
	}
	slices.SortStableFunc(out, func(a, b coupling) int {
		return cmp.Or(cmp.Compare(b.weight, a.weight), cmp.Compare(len(b.services), len(a.services)),
			cmp.Compare(a.entities[0], b.entities[0]))
	})
	return out
}

// setHash is FNV-1a over a set's members: a ring of n services has n sets of n members, which as
// decimal keys cost more than the rest of the report.
func setHash(set []int32) uint64 {
	h := uint64(14695981039346656037)
	for _, s := range set {
		h ^= uint64(uint32(s))
		h *= 1099511628211
	}
	return h
}

func critHigh(inv *model.Inventory, x int32) bool {
	e := &inv.Entities[x]
	return e.Kind == model.Service && e.Tier <= model.High
}

// couplingSection shows which critical and high services fall together, and through what: the review
// of couplings between critical services that incident reports ask for.
func couplingSection(in *Input) []Section {
	sec := Section{ID: "couplings", Title: "Couplings between critical services"}
	cs := couplings(in.Res)
	if len(cs) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("No single failure takes down two critical or high services together.")))
		return []Section{sec}
	}
	sec.Blocks = append(sec.Blocks, para(txt("Critical and high services that a single failure takes down together, "+
		"with the entities whose failure does it. Services that fall together cannot back each other up.")))
	t := &Table{Head: []string{"services taken down together", "by the failure of any one of"}}
	limit := in.Options.Top
	limitedTable(&sec, t, cs, limit, "groups", func(c coupling) []Cell {
		return []Cell{cell(in.usersSpans(c.services)...), cell(in.idSpans(c.entities, 6)...)}
	})
	sec.Blocks = append(sec.Blocks, in.couplingMatrix(cs)...)
	return []Section{sec}
}

// couplingMatrix counts, for two critical or high services, the entities whose single failure takes
// both down: the SPOFs they share, plus either service when it is a SPOF of the other.
func (in *Input) couplingMatrix(cs []coupling) []Block {
	inv, res := in.Inv, in.Res
	coupled := map[int32]int{}
	for _, c := range cs {
		for _, s := range c.services {
			coupled[s] += len(c.entities)
		}
	}
	var ms []int32
	for s := range coupled {
		ms = append(ms, s)
	}
	slices.SortFunc(ms, func(a, b int32) int {
		return cmp.Or(cmp.Compare(inv.Entities[a].Tier, inv.Entities[b].Tier), cmp.Compare(coupled[b], coupled[a]), cmp.Compare(a, b))
	})
	omitted := max(len(ms)-matrixSize, 0)
	ms = ms[:min(len(ms), matrixSize)]
	if len(ms) < 2 {
		return nil
	}
	downs := make([][]int32, len(ms))
	for i, s := range ms {
		downs[i] = append(slices.Clone(res.SPOFs(s)), s)
		slices.Sort(downs[i])
	}
	counts := make([][]int, len(ms))
	top := 1
	for i := range ms {
		counts[i] = make([]int, len(ms))
		for j := range ms {
			if i != j {
				counts[i][j] = sorted.IntersectLen(downs[i], downs[j])
				top = max(top, counts[i][j])
			}
		}
	}
	t := &Table{Head: []string{""}, Matrix: true}
	for _, s := range ms {
		t.Head = append(t.Head, inv.ID(s))
		t.Numeric = append(t.Numeric, true)
	}
	t.Numeric = append([]bool{false}, t.Numeric...)
	for i, s := range ms {
		row := []Cell{cell(in.ref(s))}
		for j := range ms {
			switch {
			case i == j:
				row = append(row, cell(muted("·")))
			case counts[i][j] == 0:
				row = append(row, cell(muted("–")))
			default:
				c := cell(txt(strconv.Itoa(counts[i][j])))
				c.Heat = 1 + 3*(counts[i][j]-1)/max(top-1, 1)
				row = append(row, c)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	blocks := []Block{heading("Shared single points of failure"),
		para(txt("Each cell counts the entities whose failure alone takes down both the row's and the column's service.")),
		{Table: t}}
	if omitted > 0 {
		blocks = append(blocks, note(txt(fmt.Sprintf("%d more coupled services are not in the matrix.", omitted))))
	}
	return blocks
}
