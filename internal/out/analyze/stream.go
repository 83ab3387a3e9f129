package analyze

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"runtime"
	"slices"
	"strconv"

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
// core, then written in order, so the document is never held whole in memory.
func WriteJSON(w io.Writer, res *analysis.Result, opts Options) error {
	services := opts.Services
	if services == nil {
		services = res.Inv.OfKind(model.Service)
	}
	d := &docWriter{res: res, opts: opts, q: newQuoted(res.Inv), tiers: serviceTiers(res.Inv), bw: bufio.NewWriterSize(w, 1<<16),
		free: make(chan *scratch, runtime.GOMAXPROCS(0))}
	// The lists after the services need the blast radii and the findings: computed meanwhile, they
	// fill the moments the workers wait for a round of services to be written out.
	type rest struct {
		order    []int32
		weight   []int
		findings []analysis.Finding
	}
	later := make(chan rest, 1)
	go func() {
		order, weight := impactOrder(res, d.tiers)
		later <- rest{order, weight, res.Findings()} // the findings hold the detection's review
	}()
	d.bw.WriteString("{\"services\": [")
	if err := d.list(len(services), 4, func(i int) int { return d.serviceSize(services[i], opts.Paths.json()) }, func(dst []byte, sc *scratch, i int) []byte {
		return d.service(dst, sc, services[i])
	}); err != nil {
		<-later
		return err
	}
	tail := <-later
	order, weight, findings := tail.order, tail.weight, tail.findings
	var provs []int32
	for _, x := range order {
		if res.Inv.Entities[x].Kind == model.Provider {
			provs = append(provs, x)
		}
	}
	d.bw.WriteString(",\n\"providers\": [")
	if err := d.list(len(provs), 128, func(i int) int { return d.radiusSize(provs[i]) }, func(dst []byte, _ *scratch, i int) []byte {
		return d.provider(dst, provs[i])
	}); err != nil {
		return err
	}
	d.bw.WriteString(",\n\"entities\": [")
	if err := d.list(len(order), 128, func(i int) int { return d.radiusSize(order[i]) }, func(dst []byte, _ *scratch, i int) []byte {
		return d.impact(dst, order[i], weight[order[i]])
	}); err != nil {
		return err
	}
	d.bw.WriteString(",\n\"findings\": [")
	if err := d.list(len(findings), 128, nil, func(dst []byte, _ *scratch, i int) []byte {
		return d.finding(dst, &findings[i])
	}); err != nil {
		return err
	}
	return d.trailer()
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

// service appends the Service that describe(res, s, opts) returns.
func (d *docWriter) service(dst []byte, sc *scratch, s int32) []byte {
	res, inv, q := d.res, d.res.Inv, d.q
	e := &inv.Entities[s]
	dst = append(dst, `{"id":`...)
	dst = q.id(dst, s)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, e.Name)
	dst = append(dst, `,"tier":`...)
	dst = appendString(dst, e.Tier.String())
	dst = append(dst, `,"owner":`...)
	dst = appendString(dst, e.Owner)
	dst = append(dst, `,"spofs":[`...)
	if sc.paths == nil {
		sc.paths = res.NewPathWalker()
	}
	first := true
	spof := func(x int32, path []int32) {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = d.spof(dst, x, path)
		dst = sc.maybeSpill(dst)
	}
	switch d.opts.Paths.json() {
	case PathsFull:
		sc.paths.Walk(s, spof)
	case PathsNext:
		sc.paths.WalkHead(s, 2, func(x int32, head []int32, _ int) { spof(x, head) })
	default:
		for _, x := range res.SPOFs(s) {
			spof(x, nil)
		}
	}
	dst = append(dst, `],"tolerance":`...)
	if t, ok := res.Tolerance(s); ok {
		dst = strconv.AppendInt(dst, int64(t), 10)
	} else {
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"cut_sets":[`...)
	first = true
	truncated := res.EachCutSet(s, d.opts.MaxCutSets, func(c []int32) {
		if len(c) > 1 { // SPOFs are the sets of one
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = q.idList(dst, c)
		}
	})
	dst = append(dst, `],"cut_sets_truncated":`...)
	dst = strconv.AppendBool(dst, truncated)
	// The availability and failover parts hold floats, rounded in document.go: encoding/json writes
	// them, the fields of the embedded ServiceAvailability spliced in without their braces.
	if d.opts.Avail != nil {
		if as, ok := d.opts.Avail.Service(s); ok {
			if v := sc.encode(NewServiceAvailability(d.opts.Avail, as)); len(v) > 2 {
				dst = append(dst, ',')
				dst = append(dst, v[1:len(v)-1]...)
			}
		}
	}
	if d.opts.Failover != nil {
		dst = append(dst, `,"failover":`...)
		dst = append(dst, sc.encode(NewServiceFailover(d.opts.Failover, s))...)
	}
	return append(dst, '}')
}

// spof appends a SPOF: entity x and its path (the first two entities of it with PathsNext, nil
// with PathsNone).
func (d *docWriter) spof(dst []byte, x int32, path []int32) []byte {
	dst = append(dst, `{"id":`...)
	dst = d.q.id(dst, x)
	dst = append(dst, `,"kind":`...)
	dst = d.q.kind(dst, d.res.Inv, x)
	switch d.opts.Paths.json() {
	case PathsFull:
		dst = append(dst, `,"path":`...)
		dst = d.q.idList(dst, path)
	case PathsNext:
		dst = append(dst, `,"next":`...)
		dst = d.q.id(dst, path[1])
	}
	return append(dst, '}')
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

// impactOrder returns the entities in the order Impacts lists them (largest tier-weighted blast
// radius first, then by ID) and, by entity, that weight.
func impactOrder(res *analysis.Result, tiers []int8) (order []int32, weight []int) {
	n := res.Inv.Len()
	weight = make([]int, n)
	order = make([]int32, n)
	for i := range n {
		order[i] = int32(i)
		for _, x := range res.BlastRadius(int32(i)) {
			if t := tiers[x]; t >= 0 {
				weight[i] += model.Tier(t).Weight()
			}
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(weight[b], weight[a]) })
	return order, weight
}

// impact appends entity x's Impact.
func (d *docWriter) impact(dst []byte, x int32, weight int) []byte {
	dst = append(dst, `{"id":`...)
	dst = d.q.id(dst, x)
	dst = append(dst, `,"kind":`...)
	dst = d.q.kind(dst, d.res.Inv, x)
	dst = append(dst, `,"weight":`...)
	dst = strconv.AppendInt(dst, int64(weight), 10)
	dst = append(dst, `,"down":`...)
	dst = d.byTier(dst, x)
	return append(dst, '}')
}

// provider appends provider x's Provider.
func (d *docWriter) provider(dst []byte, x int32) []byte {
	e := &d.res.Inv.Entities[x]
	dst = append(dst, `{"id":`...)
	dst = d.q.id(dst, x)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, e.Name)
	dst = append(dst, `,"type":`...)
	dst = appendString(dst, e.Type)
	dst = append(dst, `,"services":`...)
	dst = d.byTier(dst, x)
	return append(dst, '}')
}

// serviceTiers returns, by entity, the tier of each service and -1 for other entities: the blast
// radius lists read it for every entity they hold, and a byte each stays in cache where entities
// do not.
func serviceTiers(inv *model.Inventory) []int8 {
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

// tierKeys are the keys of ByTier, by tier.
var tierKeys = [...]string{model.Critical: `{"critical":[`, model.High: `],"high":[`, model.Medium: `],"medium":[`, model.Low: `],"low":[`}

// byTier appends the ByTier of the services x's failure puts down.
func (d *docWriter) byTier(dst []byte, x int32) []byte {
	radius := d.res.BlastRadius(x)
	for _, t := range model.Tiers {
		dst = append(dst, tierKeys[t]...)
		first := true
		for _, s := range radius {
			if d.tiers[s] == int8(t) {
				if !first {
					dst = append(dst, ',')
				}
				first = false
				dst = d.q.id(dst, s)
			}
		}
	}
	return append(dst, "]}"...)
}

// finding appends f as a Finding.
func (d *docWriter) finding(dst []byte, f *analysis.Finding) []byte {
	dst = append(dst, `{"kind":`...)
	dst = appendString(dst, f.Kind)
	dst = append(dst, `,"severity":`...)
	dst = appendString(dst, f.Severity)
	dst = append(dst, `,"entity":`...)
	dst = d.q.id(dst, f.Entity)
	dst = append(dst, `,"message":`...)
	dst = appendString(dst, f.Message)
	dst = append(dst, `,"file":`...)
	dst = appendString(dst, f.Pos.File)
	dst = append(dst, `,"line":`...)
	dst = strconv.AppendInt(dst, int64(f.Pos.Line), 10)
	if f.Incident != nil {
		dst = append(dst, `,"incident":`...)
		dst = appendString(dst, f.Incident.ID)
	}
	return append(dst, '}')
}

// trailer writes the fields after the lists, small enough for encoding/json, and flushes.
func (d *docWriter) trailer() error {
	e := newLineEncoder(d.bw)
	writeDetection(e, d.res)
	d.bw.WriteString(",\n\"max_order\": ")
	e.value(d.res.MaxOrder)
	if d.opts.Avail != nil { // the fields of the embedded PlatformAvailability, in its order
		pa := NewPlatformAvailability(d.opts.Avail)
		list(e, "improve_first", pa.ImproveFirst)
		d.bw.WriteString(",\n\"bounded\": ")
		e.value(pa.Bounded)
	}
	if d.opts.Failover != nil && d.opts.Failover.Cutoff != "" {
		d.bw.WriteString(",\n\"tested_cutoff\": ")
		e.value(d.opts.Failover.Cutoff)
	}
	if incs := Incidents(d.res); incs != nil {
		list(e, "incidents", incs)
		d.bw.WriteString(",\n\"observed_downtime\": ")
		e.value(NewObservedDowntime(d.res.Inv, d.opts))
	}
	d.bw.WriteString("}\n")
	if e.err != nil {
		return e.err
	}
	return d.bw.Flush()
}

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

func list[T any](e *lineEncoder, name string, items []T) {
	e.w.WriteString(",\n\"" + name + "\": [")
	for i := range items {
		e.item(i, items[i])
	}
	e.end(len(items))
}
