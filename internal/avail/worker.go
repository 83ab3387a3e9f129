package avail

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/bdd"
	"github.com/spofhq/spof/internal/model"
)

// shared is what every worker reads: the inventory's circuit, built once, and the memoised module
// probabilities, which every worker adds to.
type shared struct {
	res  *analysis.Result
	inv  *model.Inventory
	own  []float64
	src  []Source
	opts Options
	b    *base
	// mu guards the memo: module probabilities by gate, and by the arguments of a group of a
	// gate's arguments (see module.go).
	mu     sync.RWMutex
	mods   map[int32]*module
	groups map[string]*module
}

func newShared(res *analysis.Result, own []float64, src []Source, opts Options) *shared {
	if opts.limits == nil {
		opts.limits = &defaultLimits
	}
	return &shared{res: res, inv: res.Inv, own: own, src: src, opts: opts, b: newBase(res, opts.limits.unroll),
		mods: map[int32]*module{}, groups: map[string]*module{}}
}

// worker computes services one at a time, reusing its BDD manager and buffers.
type worker struct {
	*shared
	m *bdd.Manager
	// seen marks the closure of the current service: seen[e] == seenGen.
	seen    []uint32
	seenGen uint32
	closure []int32
	dr      dates
	// level numbers the closure for the sampler, by entity.
	level []int32
	loc   locals
	probs [2]bdd.Prob
	// Conditioning (glue.go), reused from one module to the next.
	fac        factored
	sides      [2]side
	sideList   []*side
	ratio      [2][]float64
	glueP      []float64
	failed     []int32
	localPairs []int64
	ownPairs   []ownPair
	argCount   []int32
	// Importance: per entity, its Birnbaum importance being summed, valid where impGen == impCur.
	birnbaum []float64
	impBuf   []Importance
	candBuf  []shownEntry
	top      []int32
	impGen   []uint32
	impCur   uint32
	touched  []int32
}

func (sh *shared) newWorker() *worker {
	return &worker{shared: sh, m: bdd.New(sh.opts.NodeLimit), seen: make([]uint32, sh.inv.Len())}
}

// service computes service s.
func (w *worker) service(s int32) Service {
	out := Service{Entity: s, SLO: w.inv.Entities[s].SLO}
	w.walkClosure(s)
	out.Closure = len(w.closure)
	for _, e := range w.closure {
		if w.src[e].Assumed() {
			if out.nAssumed < assumedKept {
				out.assumed = append(out.assumed, e)
			}
			out.nAssumed++
		}
	}
	if out.nAssumed > assumedKept {
		out.assumed = nil // Assumed walks the closure again
	}
	slices.Sort(out.assumed)
	spofs := w.res.SPOFs(s)
	top := append(append(w.top[:0], s), spofs...) // T: the service and its SPOFs
	w.top = top
	// P(T fails) and P(T up), each computed without cancellation.
	pt, up := 0.0, 1.0
	for _, t := range top {
		q := 1 - w.own[t]
		pt = q + (1-q)*pt
		up *= 1 - q
	}
	rest := w.b.rest[s]
	var r *module
	switch {
	case rest == opaque:
		r = w.quick(s, LargeCycle)
	case !w.opts.Deadline.IsZero() && time.Now().After(w.opts.Deadline):
		r = w.quick(s, TimeBudget)
	case rest == cFalse:
		r = &module{exact: true}
	default:
		w.mu.RLock()
		r = w.mods[rest] // services often share their whole rest: no need to date it then
		w.mu.RUnlock()
		if r == nil {
			w.dr.date(w.b.c, rest)
			r = w.prob(rest)
		}
	}
	if r.exact {
		out.Method = Exact
		out.Unavailability = pt + (1-pt)*r.lo
		out.Availability = up * (1 - r.lo)
		out.Low, out.High = out.Availability, out.Availability
		w.importance(&out, top, up, r)
		return out
	}
	out.Method, out.BoundedBy = Bounds, r.cause
	uLo, uHi := pt+(1-pt)*r.lo, pt+(1-pt)*r.hi
	out.Low, out.High = max(0, up*(1-r.hi)), min(1, up*(1-r.lo))
	out.Unavailability = (uLo + uHi) / 2
	out.Availability = (out.Low + out.High) / 2
	if w.opts.Samples > 0 && r.cause != TimeBudget {
		w.sample(&out, s, top, pt, up, r)
	}
	return out
}

// walkClosure lists the entities s depends on, s included, in w.closure.
func (w *worker) walkClosure(s int32) {
	w.seenGen++
	w.closure = append(w.closure[:0], s)
	w.seen[s] = w.seenGen
	for i := 0; i < len(w.closure); i++ {
		for _, d := range w.res.Deps(w.closure[i]) {
			if w.seen[d] != w.seenGen {
				w.seen[d] = w.seenGen
				w.closure = append(w.closure, d)
			}
		}
	}
}

// quick bounds the rest of service s without its circuit: the rest has no cut set of one entity
// (those are the SPOFs, fixed to up), so it is down only if at least two entities of the closure
// outside T fail.
func (w *worker) quick(s int32, cause Cause) *module {
	var ps []float64
	spofs := w.top[1:] // T, set by service
	for _, e := range w.closure {
		if e == s {
			continue
		}
		if _, spof := slices.BinarySearch(spofs, e); !spof {
			ps = append(ps, 1-w.own[e])
		}
	}
	return &module{lo: 0, hi: tail(ps, 1), cause: cause}
}

// importance fills the importance of every entity of an exact service: the derivative of its
// unavailability with respect to each entity's, by the chain rule through the modules.
func (w *worker) importance(out *Service, top []int32, up float64, r *module) {
	if w.birnbaum == nil {
		w.birnbaum = make([]float64, w.inv.Len())
		w.impGen = make([]uint32, w.inv.Len())
	}
	w.impCur++
	w.touched = w.touched[:0]
	// ∂U/∂q(t) = (1 − P(rest))·∏ over the rest of T of (1 − q): prefix and suffix products.
	suffix := 1.0
	for i := len(top) - 1; i >= 0; i-- {
		w.add(top[i], suffix) // the prefix is multiplied in below
		suffix *= w.own[top[i]]
	}
	prefix := 1 - r.lo
	for _, t := range top {
		w.birnbaum[t] *= prefix
		prefix *= w.own[t]
	}
	r.derivatives(w, up)
	all := w.impBuf[:0]
	for _, e := range w.touched {
		b := w.birnbaum[e]
		if b <= 0 {
			continue
		}
		q := 1 - w.own[e]
		im := Importance{Entity: e, Birnbaum: b, SavedMinutes: 0.9 * q * b * MinutesPerYear}
		if out.Unavailability > 0 {
			im.FussellVesely = min(1, q*b/out.Unavailability)
		}
		all = append(all, im)
	}
	w.impBuf = all
	// A critical service keeps every entry (ImproveFirst sums them). Another keeps the
	// ImportanceKept first, and the ImportanceKept first of the order an output shows, whose
	// rounding may tie and reorder many entries: on a chain of services every entity ties, and
	// keeping them all held the square of the chain's length.
	if w.inv.Entities[out.Entity].Tier == model.Critical || len(all) <= ImportanceKept {
		slices.SortFunc(all, byImportance)
		out.Importance = slices.Clone(all)
		return
	}
	first := firstK(all, ImportanceKept, byImportance)
	// Rounding keeps the order, so the first ImportanceKept shown are among the entries whose
	// rounded share is at least the ImportanceKept-th's.
	last := ShownShare(first[len(first)-1].FussellVesely)
	cand := w.candBuf[:0]
	for _, im := range all {
		if fv := ShownShare(im.FussellVesely); fv >= last {
			cand = append(cand, shownEntry{fv: fv, b: ShownBirnbaum(im.Birnbaum), id: w.inv.Entities[im.Entity].ID, im: im})
		}
	}
	w.candBuf = cand
	shown := cand
	if len(cand) > ImportanceKept {
		shown = firstK(cand, ImportanceKept, byShown)
	}
	kept := slices.Clone(first)
	for _, x := range shown {
		if !slices.ContainsFunc(first, func(y Importance) bool { return y.Entity == x.im.Entity }) {
			kept = append(kept, x.im)
		}
	}
	slices.SortFunc(kept, byImportance)
	out.Importance = kept
}

// byImportance is the order of Service.Importance: by Fussell-Vesely, then Birnbaum, descending,
// then index.
func byImportance(a, b Importance) int {
	if c := cmp.Compare(b.FussellVesely, a.FussellVesely); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Birnbaum, a.Birnbaum); c != 0 {
		return c
	}
	return cmp.Compare(a.Entity, b.Entity)
}

// shownEntry is an importance entry with the figures outputs show (package analyze): the
// Fussell-Vesely share rounded to a millionth, Birnbaum to 1e-12, and the entity's ID.
type shownEntry struct {
	fv, b float64
	id    string
	im    Importance
}

// byShown is the order in which outputs show importance: by the rounded share, then the rounded
// Birnbaum, descending, then ID.
func byShown(a, b shownEntry) int {
	if c := cmp.Compare(b.fv, a.fv); c != 0 {
		return c
	}
	if c := cmp.Compare(b.b, a.b); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// ShownShare rounds a Fussell-Vesely share to a millionth: the figure outputs show and order by.
// A service keeps the importance entries that order can bring to the front (see importance), so
// outputs must round with it.
func ShownShare(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// ShownBirnbaum rounds a Birnbaum importance to 1e-12, the figure outputs show and order by after
// the share.
func ShownBirnbaum(x float64) float64 { return math.Round(x*1e12) / 1e12 }

// firstK reorders xs so that its k first in the order of compare, a total order, come first,
// sorted, and returns them: a quickselect (expected linear time whatever the order of xs), then a
// sort of the k.
func firstK[T any](xs []T, k int, compare func(a, b T) int) []T {
	lo, hi := 0, len(xs) // xs[:lo] are among the k first, xs[hi:] are not
	for hi-lo > 16 {
		a, m, b := lo, lo+(hi-lo)/2, hi-1 // the median of three is the pivot
		if compare(xs[m], xs[a]) < 0 {
			a, m = m, a
		}
		if compare(xs[b], xs[m]) < 0 {
			m = b
			if compare(xs[m], xs[a]) < 0 {
				m = a
			}
		}
		p := xs[m]
		lt, i, gt := lo, lo, hi // xs[lo:lt] < p, xs[lt:i] == p, xs[gt:hi] > p
		for i < gt {
			switch c := compare(xs[i], p); {
			case c < 0:
				xs[lt], xs[i] = xs[i], xs[lt]
				lt++
				i++
			case c > 0:
				gt--
				xs[i], xs[gt] = xs[gt], xs[i]
			default:
				i++
			}
		}
		switch {
		case k <= lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			lo, hi = k, k
		}
	}
	slices.SortFunc(xs[lo:hi], compare)
	slices.SortFunc(xs[:k], compare)
	return xs[:k]
}

// ImportanceKept is how many importance entries a service other than a critical one keeps (see
// Service.Importance): more than any output shows.
const ImportanceKept = 32

// add adds d to entity e's Birnbaum importance being summed.
func (w *worker) add(e int32, d float64) {
	if w.impGen[e] != w.impCur {
		w.impGen[e] = w.impCur
		w.birnbaum[e] = 0
		w.touched = append(w.touched, e)
	}
	w.birnbaum[e] += d
}

// tail returns P(more than k of independent events with probabilities ps happen), exactly: the
// Poisson-binomial distribution by dynamic programming over the events, the tail summed from the
// mass that crosses k (positive terms only, so a tiny tail keeps its precision).
func tail(ps []float64, k int) float64 {
	if k < 0 {
		return 1
	}
	var buf [16]float64
	var dist []float64 // dist[j]: P(exactly j of the events so far)
	if k < len(buf) {
		dist = buf[:k+1]
	} else {
		dist = make([]float64, k+1)
	}
	dist[0] = 1
	t := 0.0
	for _, p := range ps {
		t += p * dist[k]
		for j := k; j >= 1; j-- {
			dist[j] = dist[j]*(1-p) + dist[j-1]*p
		}
		dist[0] *= 1 - p
	}
	return min(1, t)
}
