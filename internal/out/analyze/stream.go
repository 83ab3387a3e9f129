package analyze

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/par"
)

// WriteJSON writes the Analysis document for res to w: one JSON object whose lists hold one
// element per line, compact. A 100,000-entity platform gives hundreds of megabytes of indented JSON;
// this layout is several times smaller, still greps line by line, and jq pretty-prints it.
//
// The bytes are those of encoding/json on the document NewAnalysis builds (stream_test.go checks
// it, keep them so), but written by hand straight from res: at 100,000 entities the document is
// 300 MB, mostly IDs in paths and cut sets, and building Service structs of copied strings to
// encode by reflection took five times as long. Lists are encoded a round at a time on every
// core, then written in order, so the document is never held whole in memory. The keys are those
// of the structs' tags (fields.go), for the document below and the list elements (elements.go).
func WriteJSON(w io.Writer, res *analysis.Result, opts Options) error {
	services := opts.Services
	if services == nil {
		services = res.Inv.OfKind(model.Service)
	}
	d := &docWriter{res: res, opts: opts, q: newQuoted(res.Inv), tiers: ServiceTiers(res.Inv), bw: bufio.NewWriterSize(w, 1<<16),
		free: make(chan *scratch, runtime.GOMAXPROCS(0)), services: services}
	d.e = newLineEncoder(d.bw)
	// The lists after the services need the blast radii and the findings: computed meanwhile, they
	// fill the moments the workers wait for a round of services to be written out.
	later := make(chan tail, 1)
	go func() {
		order, weight, _ := ImpactRanking(res, d.tiers)
		var provs []int32
		for _, x := range order {
			if res.Inv.Entities[x].Kind == model.Provider {
				provs = append(provs, x)
			}
		}
		later <- tail{order, weight, provs, res.Findings()} // the findings hold the detection's review
	}()
	d.tail = sync.OnceValue(func() tail { return <-later })
	defer d.tail() // an error before the lists that wait for it must not leave it running
	if err := document.write(d.bw, d); err != nil {
		return err
	}
	d.bw.WriteByte('\n')
	if d.e.err != nil {
		return d.e.err
	}
	return d.bw.Flush()
}

// document writes the fields of Analysis: the four long lists by hand, on every core, the rest by
// encoding/json.
var document = bind[Analysis](perLine, map[string]streamer[*docWriter]{
	"Services": {write: func(d *docWriter) error {
		d.bw.WriteByte('[')
		paths := d.opts.Paths.json()
		return d.list(len(d.services), 4, func(i int) int { return d.serviceSize(d.services[i], paths) }, func(dst []byte, sc *scratch, i int) []byte {
			return d.service(dst, sc, d.services[i])
		})
	}},
	"Providers": {write: func(d *docWriter) error {
		provs := d.tail().providers
		d.bw.WriteByte('[')
		return d.list(len(provs), 128, func(i int) int { return d.radiusSize(provs[i]) }, func(dst []byte, _ *scratch, i int) []byte {
			return d.provider(dst, provs[i])
		})
	}},
	"Entities": {write: func(d *docWriter) error {
		t := d.tail()
		d.bw.WriteByte('[')
		return d.list(len(t.order), 128, func(i int) int { return d.radiusSize(t.order[i]) }, func(dst []byte, _ *scratch, i int) []byte {
			return d.impact(dst, t.order[i], t.weight[t.order[i]])
		})
	}},
	"Findings": {write: func(d *docWriter) error {
		fs := d.tail().findings
		d.bw.WriteByte('[')
		return d.list(len(fs), 128, nil, func(dst []byte, _ *scratch, i int) []byte {
			return d.finding(dst, &fs[i])
		})
	}},
	"Detection": {omit: func(d *docWriter) bool { return !hasRoles(d.res) }, write: func(d *docWriter) error {
		return writeDetection(d.e, d.res)
	}},
	"MaxOrder": {write: func(d *docWriter) error { d.e.value(d.res.MaxOrder); return nil }},
	// The fields of the embedded PlatformAvailability.
	"ImproveFirst": {omit: withoutAvail, write: func(d *docWriter) error { items(d.e, d.platform().ImproveFirst); return nil }},
	"Bounded":      {omit: withoutAvail, write: func(d *docWriter) error { d.e.value(d.platform().Bounded); return nil }},
	"TestedCutoff": {omit: func(d *docWriter) bool { return d.opts.Failover == nil || d.opts.Failover.Cutoff == "" }, write: func(d *docWriter) error {
		d.e.value(d.opts.Failover.Cutoff)
		return nil
	}},
	"Incidents": {omit: withoutIncidents, write: func(d *docWriter) error { items(d.e, Incidents(d.res)); return nil }},
	"ObservedDowntime": {omit: withoutIncidents, write: func(d *docWriter) error {
		d.e.value(NewObservedDowntime(d.res.Inv, d.opts))
		return nil
	}},
})

func withoutAvail(d *docWriter) bool { return d.opts.Avail == nil }

func withoutIncidents(d *docWriter) bool { return len(d.res.Inv.Incidents) == 0 }

// platform returns the platform-wide availability figures, computed on first use.
func (d *docWriter) platform() *PlatformAvailability {
	if d.pa == nil {
		d.pa = NewPlatformAvailability(d.opts.Avail)
	}
	return d.pa
}

// tail is what the lists after the services are written from, in ImpactRanking's order:
// every entity, its tier-weighted blast radius (by entity), the providers; and the findings.
type tail struct {
	order     []int32
	weight    []int
	providers []int32
	findings  []analysis.Finding
}

// docWriter writes one Analysis document.
type docWriter struct {
	res   *analysis.Result
	opts  Options
	q     *quoted
	tiers []int8 // by entity: a service's tier, -1 for other kinds
	bw    *bufio.Writer
	slots [roundSlots]slot
	// free holds the scratches of the workers between slots: one per worker, never more, as a
	// path walker holds two integers per entity.
	free chan *scratch
	// rankings are the most likely cut sets of each service, for the text.
	rankings map[int32]Ranking

	// For the JSON document: the services listed; the lists after them (see WriteJSON); the writer
	// of the fields left to encoding/json; the platform-wide availability figures, once computed.
	services []int32
	tail     func() tail
	e        *lineEncoder
	pa       *PlatformAvailability
}

// roundSlots is how many buffers a round of list elements is encoded into: enough to keep both
// cores busy whatever the elements cost, few enough that a round stays a few megabytes.
const roundSlots = 64

// slot is where one worker encodes a run of list elements, and the first error doing so.
type slot struct {
	buf []byte
	err error
}

// scratch is what a worker reuses from one element to the next.
type scratch struct {
	paths *analysis.PathWalker // made on first use
	// spill, set while an element is encoded alone (see rounds), writes out what the element
	// has encoded so far and returns the buffer emptied.
	spill func(dst []byte) []byte
	// enc writes the parts left to encoding/json (the availability figures) into encoded.
	encoded bytes.Buffer
	enc     *json.Encoder
	err     error
}

// slotBytes is about the most a slot encodes when sizes are estimated: the largest blast radius
// lists come first, and at 100,000 entities the first 128 of them alone make 11 MB.
const slotBytes = 64 << 10

// maxKeptBuffer is the largest slot buffer kept from one round to the next: a service with
// thousands of cut sets (--max-cut-sets 0) must not leave every slot holding megabytes.
const maxKeptBuffer = 1 << 20

// list writes n elements, the i-th encoded by item, as the rest of a JSON list that the caller
// opened: one element per line, then the closing bracket (see rounds).
func (d *docWriter) list(n, per int, size func(i int) int, item func(dst []byte, sc *scratch, i int) []byte) error {
	err := d.rounds(n, per, size, func(dst []byte, sc *scratch, i int) []byte {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = reserve(dst)
		dst = append(dst, '\n')
		return item(dst, sc, i)
	})
	if err != nil {
		return err
	}
	if n > 0 {
		d.bw.WriteByte('\n')
	}
	return d.bw.WriteByte(']')
}

// rounds writes n elements, the i-th encoded by item. Each slot of a round encodes up to per
// consecutive elements, fewer once size (nil: no estimate) says they make slotBytes, on every
// core; the slots are then written in order, so the output does not depend on scheduling. An
// element that size says is larger than bigElement is encoded alone, after the elements before it
// are written, and written out as it is encoded (see scratch.spill): the service at the top of a
// chain of 1,000 services has half a million path steps, and a round of such services held
// gigabytes.
func (d *docWriter) rounds(n, per int, size func(i int) int, item func(dst []byte, sc *scratch, i int) []byte) error {
	var bounds [roundSlots + 1]int // slot j of a round encodes elements bounds[j] to bounds[j+1]
	big := func(i int) bool { return size != nil && size(i) > bigElement }
	for start := 0; start < n; start = bounds[roundSlots] {
		if big(start) {
			if err := d.alone(start, item); err != nil {
				return err
			}
			bounds[roundSlots] = start + 1
			continue
		}
		used, i := 0, start
		for total := 0; used < roundSlots && i < n && !big(i) && total < roundBytes; used++ {
			bounds[used] = i
			est := 0
			for k := 0; i < n && k < per && est < slotBytes && !big(i); k++ {
				if size != nil {
					est += size(i)
				}
				i++
			}
			total += est
		}
		for j := used; j <= roundSlots; j++ {
			bounds[j] = i
		}
		par.ForEach(used, func(j int) {
			sc := d.scratch()
			s := &d.slots[j]
			b := s.buf[:0]
			for i := bounds[j]; i < bounds[j+1]; i++ {
				b = item(b, sc, i)
			}
			s.buf, s.err, sc.err = b, sc.err, nil
			d.release(sc)
		})
		for j := range used {
			s := &d.slots[j]
			if s.err != nil {
				return s.err
			}
			if _, err := d.bw.Write(s.buf); err != nil {
				return err
			}
			if cap(s.buf) > maxKeptBuffer {
				s.buf = nil
			}
		}
	}
	return nil
}

// bigElement is the estimated size beyond which rounds writes an element out as it encodes it, and
// roundBytes the estimated size of the elements a round stops at. Variables for the tests.
var (
	bigElement = 4 << 20
	roundBytes = 16 << 20
)

// alone encodes element i by itself, writing it out whenever its encoder spills.
func (d *docWriter) alone(i int, item func(dst []byte, sc *scratch, i int) []byte) error {
	sc := d.scratch()
	var werr error
	sc.spill = func(b []byte) []byte {
		if _, err := d.bw.Write(b); err != nil && werr == nil {
			werr = err
		}
		return b[:0]
	}
	b := item(d.slots[0].buf[:0], sc, i)
	sc.spill = nil
	err := sc.err
	sc.err = nil
	d.release(sc)
	if cap(b) <= maxKeptBuffer {
		d.slots[0].buf = b
	}
	if err != nil {
		return err
	}
	if _, err := d.bw.Write(b); err != nil {
		return err
	}
	return werr
}

// scratch returns a worker's scratch, one that a worker released if any.
func (d *docWriter) scratch() *scratch {
	select {
	case sc := <-d.free:
		return sc
	default:
		return &scratch{}
	}
}

// release keeps sc for the next worker, unless enough are kept.
func (d *docWriter) release(sc *scratch) {
	select {
	case d.free <- sc:
	default:
	}
}

// spillAt is how much an element encoded alone holds before it is written out (a variable for the
// tests).
var spillAt = 1 << 20

// maybeSpill writes dst out when it is an element encoded alone and has grown past spillAt, and
// returns what remains to fill.
func (sc *scratch) maybeSpill(dst []byte) []byte {
	if sc.spill != nil && len(dst) > spillAt {
		return sc.spill(dst)
	}
	return dst
}

// minRoom is the room reserve leaves for an element: more than most need.
const minRoom = 64 << 10

// reserve returns b with room for the next element, doubling its capacity when short. Left to
// append, a buffer of megabytes grows by a quarter at a time, allocating some five times what it
// ends up holding: at 100,000 entities that garbage made the collector mark the whole analysis
// once more per document.
func reserve(b []byte) []byte {
	if cap(b)-len(b) >= minRoom {
		return b
	}
	return slices.Grow(b, max(len(b), minRoom))
}

// serviceSize estimates the bytes of the description of service s: a dozen per entity on the paths
// it shows, and some for the rest of each SPOF and for the cut sets.
func (d *docWriter) serviceSize(s int32, paths Paths) int {
	n := d.res.NumSPOFs(s)
	size := 512 + 48*n
	switch paths {
	case PathsFull:
		size += 16 * d.res.PathSteps(s)
	case PathsShort:
		size += 16 * (shortPath + 1) * n
	case PathsNext:
		size += 16 * n
	}
	return size
}

// encode returns v as encoding/json writes it, without the final newline; the bytes are valid
// until the next call. It keeps the first error.
func (sc *scratch) encode(v any) []byte {
	if sc.enc == nil {
		sc.enc = json.NewEncoder(&sc.encoded)
		sc.enc.SetEscapeHTML(false)
	}
	sc.encoded.Reset()
	if err := sc.enc.Encode(v); err != nil {
		if sc.err == nil {
			sc.err = err
		}
		return []byte("null")
	}
	return bytes.TrimSuffix(sc.encoded.Bytes(), []byte("\n"))
}

// TierCounts holds, for every entity, how many services of each tier its failure puts down.
type TierCounts []int32

// Of returns how many services of tier t the failure of x puts down.
func (c TierCounts) Of(x int32, t model.Tier) int32 { return c[int(x)*len(model.Tiers)+int(t)] }

// ImpactRanking returns every entity in the order of the JSON's entities (largest tier-weighted blast
// radius first, then by index, which follows IDs), its tier-weighted blast radius and how many
// services of each tier its failure puts down, counted without building the blast radius lists: a
// chain of n services has n²/2 entries in them, and a ranking shows only its first few. tiers is
// ServiceTiers(res.Inv).
func ImpactRanking(res *analysis.Result, tiers []int8) (order []int32, weight []int, counts TierCounts) {
	n := res.Inv.Len()
	k := len(model.Tiers)
	counts = res.RadiusCounts(tiers, k)
	weight = make([]int, n)
	order = make([]int32, n)
	for i := range n {
		order[i] = int32(i)
		for _, t := range model.Tiers {
			weight[i] += int(counts.Of(int32(i), t)) * t.Weight()
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(weight[b], weight[a]) })
	return order, weight, counts
}

// ServiceTiers returns, by entity, the tier of each service and -1 for other entities: the blast
// radius lists read it for every entity they hold, and a byte each stays in cache where entities
// do not.
func ServiceTiers(inv *model.Inventory) []int8 {
	out := make([]int8, inv.Len())
	for i := range inv.Entities {
		out[i] = -1
		if e := &inv.Entities[i]; e.Kind == model.Service {
			out[i] = int8(e.Tier)
		}
	}
	return out
}

// radiusSize estimates the bytes of the ByTier of entity x: a dozen per entity of its blast radius.
func (d *docWriter) radiusSize(x int32) int { return 16 * len(d.res.BlastRadius(x)) }

// lineEncoder writes JSON lists one compact element per line, keeping the first error.
type lineEncoder struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

func newLineEncoder(w *bufio.Writer) *lineEncoder {
	e := &lineEncoder{w: w}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}

func (e *lineEncoder) value(v any) {
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil && e.err == nil {
		e.err = err
	}
	e.w.Write(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")))
}

func (e *lineEncoder) item(i int, v any) {
	if i > 0 {
		e.w.WriteByte(',')
	}
	e.w.WriteByte('\n')
	e.value(v)
}

func (e *lineEncoder) end(n int) {
	if n > 0 {
		e.w.WriteByte('\n')
	}
	e.w.WriteByte(']')
}

// items writes xs as a list of one element per line.
func items[T any](e *lineEncoder, xs []T) {
	e.w.WriteByte('[')
	for i := range xs {
		e.item(i, xs[i])
	}
	e.end(len(xs))
}
