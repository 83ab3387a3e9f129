package analyze

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

// writeReference writes the Analysis document as WriteJSON wrote it before it was written by
// hand: NewAnalysis, encoded by encoding/json except where the layout tags say otherwise (see
// fields.go): a list tagged lines has one element per line, an object tagged fields, and the
// document itself, have their fields written one by one. It walks the structs by reflection, apart
// from the hand-written writer's table: WriteJSON must write the same bytes.
func writeReference(w io.Writer, res *analysis.Result, opts Options) error {
	r := &refWriter{bw: bufio.NewWriter(w)}
	r.enc = json.NewEncoder(&r.buf)
	r.enc.SetEscapeHTML(false)
	r.object(reflect.ValueOf(NewAnalysis(res, opts)).Elem(), ",\n")
	r.bw.WriteString("\n")
	if r.err != nil {
		return r.err
	}
	return r.bw.Flush()
}

// refWriter is the state of writeReference: where it writes, and the first error.
type refWriter struct {
	bw  *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

// value writes v as encoding/json does, on one line.
func (r *refWriter) value(v any) {
	r.buf.Reset()
	if err := r.enc.Encode(v); err != nil && r.err == nil {
		r.err = err
	}
	r.bw.Write(bytes.TrimSuffix(r.buf.Bytes(), []byte("\n")))
}

// object writes struct v field by field, sep between the fields.
func (r *refWriter) object(v reflect.Value, sep string) {
	r.bw.WriteByte('{')
	r.fields(v, sep, true)
	r.bw.WriteByte('}')
}

// fields writes the fields of struct v as encoding/json orders and omits them, those of its
// embedded structs in their place, and says whether it wrote none.
func (r *refWriter) fields(v reflect.Value, sep string, first bool) bool {
	for i := range v.NumField() {
		f, fv := v.Type().Field(i), v.Field(i)
		if f.Anonymous {
			if fv.Kind() != reflect.Pointer || !fv.IsNil() {
				first = r.fields(reflect.Indirect(fv), sep, first)
			}
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if opts == "omitempty" && fv.IsZero() || opts == "omitempty" && fv.Kind() == reflect.Slice && fv.Len() == 0 {
			continue
		}
		if !first {
			r.bw.WriteString(sep)
		}
		first = false
		r.bw.WriteString(`"` + name + `": `)
		switch f.Tag.Get("layout") {
		case "lines":
			r.bw.WriteByte('[')
			for i := range fv.Len() {
				if i > 0 {
					r.bw.WriteByte(',')
				}
				r.bw.WriteByte('\n')
				r.value(fv.Index(i).Interface())
			}
			if fv.Len() > 0 {
				r.bw.WriteByte('\n')
			}
			r.bw.WriteByte(']')
		case "fields":
			r.object(reflect.Indirect(fv), ", ")
		default:
			r.value(fv.Interface())
		}
	}
	return first
}

// checkSame fails t unless WriteJSON writes what writeReference writes for res and opts,
// and that is one JSON document equal to NewAnalysis's.
func checkSame(t *testing.T, res *analysis.Result, opts Options) {
	t.Helper()
	var want, got bytes.Buffer
	if err := writeReference(&want, res, opts); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&got, res, opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		g, w := got.Bytes(), want.Bytes()
		i := 0
		for i < min(len(g), len(w)) && g[i] == w[i] {
			i++
		}
		t.Fatalf("WriteJSON differs from encoding/json at byte %d of %d:\ngot  %q\nwant %q",
			i, len(w), g[max(i-80, 0):min(i+80, len(g))], w[max(i-80, 0):min(i+80, len(w))])
	}
	if !json.Valid(got.Bytes()) {
		t.Fatal("WriteJSON wrote invalid JSON")
	}
}

// variants are the options a test inventory is written with: cut set caps, a --service subset,
// availability and failover views. The subset takes every third service.
func variants(res *analysis.Result, withAvail bool) map[string]Options {
	var some []int32
	for i, s := range res.Inv.OfKind(model.Service) {
		if i%3 == 0 {
			some = append(some, s)
		}
	}
	out := map[string]Options{
		"all":        {},
		"cap5":       {MaxCutSets: 5},
		"cap100":     {MaxCutSets: 100},
		"subset":     {Services: some, MaxCutSets: 5},
		"no-service": {Services: []int32{}},
		"paths-full": {Paths: PathsFull},
		"paths-next": {MaxCutSets: 5, Paths: PathsNext},
		"paths-none": {Services: some, Paths: PathsNone},
	}
	if withAvail {
		out["avail"] = Options{MaxCutSets: 5, Avail: avail.Compute(res, avail.Options{}), Now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
		out["avail-subset"] = Options{Services: some, Avail: avail.Compute(res, avail.Options{Services: some})}
		f := avail.NewFailover(res, "2026-06-01")
		out["failover"] = Options{MaxCutSets: 5, Failover: f}
		out["avail-failover"] = Options{Avail: avail.Compute(res, avail.Options{}), Failover: f}
		out["failover-no-cutoff"] = Options{Failover: avail.NewFailover(res, "")}
	}
	return out
}

// checkInventory checks every variant of inv at max orders 1 and 3.
func checkInventory(t *testing.T, inv *model.Inventory, withAvail bool) {
	t.Helper()
	for _, order := range []int{1, 3} {
		for _, limit := range []int{0, 5} {
			res := analysis.Analyze(inv, analysis.Options{MaxOrder: order, MaxCutSets: limit})
			for name, opts := range variants(res, withAvail) {
				t.Run(fmt.Sprintf("order%d/limit%d/%s", order, limit, name), func(t *testing.T) {
					checkSame(t, res, opts)
				})
			}
		}
	}
}

func TestWriteJSONShipped(t *testing.T) {
	dirs, _ := filepath.Glob("../../../inventories/*")
	if len(dirs) == 0 {
		t.Fatal("no shipped inventories")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			checkInventory(t, testinv.Load(t, dir), true)
		})
	}
}

func TestWriteJSONGenerated(t *testing.T) {
	for _, n := range []int{100, 400, 3000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			checkInventory(t, testinv.Generated(t, n, uint64(n)), n <= 400)
		})
	}
}

// hostile are strings that encoding/json escapes in every way it can, and a few it leaves alone.
var hostile = []string{
	"",
	`quote " and backslash \ and slash /`,
	"controls \x00\x01\x07\b\t\n\v\f\r\x1b\x1f and DEL \x7f",
	"separators \u2028 and \u2029, almost: \u2027 \u202a",
	"invalid UTF-8 \xff\xfe, truncated \xe2\x80, overlong \xc0\xaf, surrogate \xed\xa0\x80",
	"html <script>alert('&amp;')</script>",
	"emoji 🔥👩‍💻, accents é ü, CJK 日本語",
	"plain name 42",
}

// withHostileStrings gives inv's entities hostile names, owners, types and files, and IDs with a
// hostile suffix (keeping their order, which is their identity), and random tiers.
func withHostileStrings(rng *rand.Rand, inv *model.Inventory) *model.Inventory {
	pick := func() string { return hostile[rng.IntN(len(hostile))] }
	for i := range inv.Entities {
		e := &inv.Entities[i]
		if rng.IntN(3) == 0 {
			e.ID += pick()
		}
		e.Name, e.Owner, e.Type = pick(), pick(), pick()
		if rng.IntN(4) == 0 {
			e.Owner = "" // a critical or high service without owner is a finding
		}
		e.Tier = model.Tiers[rng.IntN(len(model.Tiers))]
		if rng.IntN(2) == 0 {
			e.SLO = []float64{0.9, 0.99, 0.999}[rng.IntN(3)] // slo, slo_met and extra_nine in the figures
		}
		e.Pos = diag.Pos{File: pick(), Line: 1 + rng.IntN(100)}
		for j := range e.Refs { // false redundancies are found at their groups
			e.Refs[j].Pos = diag.Pos{File: pick(), Line: 1 + rng.IntN(100)}
			e.Refs[j].Req.Pos = e.Refs[j].Pos
		}
	}
	return model.New(inv.Entities, nil)
}

func TestWriteJSONRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 40 {
		inv := brute.Random(rng, 2+rng.IntN(30), brute.RandomOptions{Availability: i%2 == 0})
		if i%3 == 0 {
			brute.AddDetection(rng, inv) // roles, watches: the detection part of the document
		}
		if i%4 < 2 {
			inv = withHostileStrings(rng, inv)
		}
		if i%3 == 0 {
			inv.Incidents = randomIncidents(rng, inv)
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) { checkInventory(t, inv, true) })
	}
}

// chain returns an inventory of n services, each depending on the next.
func chain(n int) *model.Inventory {
	ents := make([]model.Entity, n)
	for i := range ents {
		ents[i] = model.Entity{ID: fmt.Sprintf("s%04d", i), Kind: model.Service}
		if i+1 < n {
			ents[i].Refs = []model.Ref{{Key: "depends_on", Req: &model.Req{Op: model.Need, Entity: int32(i + 1)}}}
		}
	}
	return model.New(ents, nil)
}

// TestWriteJSONStreamed checks the elements written out as they are encoded, and rounds cut short
// by their size: with thresholds of a few bytes, every service of a chain and of random inventories
// takes that path.
func TestWriteJSONStreamed(t *testing.T) {
	defer func(b, r, s int) { bigElement, roundBytes, spillAt = b, r, s }(bigElement, roundBytes, spillAt)
	bigElement, roundBytes, spillAt = 2000, 4000, 100
	checkInventory(t, chain(120), false)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 10 {
		checkInventory(t, brute.Random(rng, 2+rng.IntN(30), brute.RandomOptions{}), false)
	}
}

func TestAppendString(t *testing.T) {
	cases := append(hostile, strings.Repeat("long plain ", 100), "\u2028", "\xff", "é", `\`)
	for _, s := range cases {
		want := jsonString(t, s)
		if got := string(appendString([]byte("x"), s)); got != "x"+want {
			t.Errorf("appendString(%q) = %s, want x%s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendString(nil, s)), jsonString(t, s); got != want {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

// jsonString is s as encoding/json writes it with SetEscapeHTML(false): the reference.
func jsonString(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// failingWriter accepts n bytes, then fails.
type failingWriter struct{ n int }

var errWrite = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errWrite
	}
	w.n -= len(p)
	return len(p), nil
}

// TestWriteJSONError checks that a write error anywhere in the document is returned.
func TestWriteJSONError(t *testing.T) {
	res := analysis.Analyze(testinv.Generated(t, 3000, 1), analysis.Options{MaxOrder: 3, MaxCutSets: 5})
	var whole bytes.Buffer
	if err := WriteJSON(&whole, res, Options{MaxCutSets: 5}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1000, whole.Len() / 2, whole.Len() - 1} {
		if err := WriteJSON(&failingWriter{n: n}, res, Options{MaxCutSets: 5}); !errors.Is(err, errWrite) {
			t.Errorf("writer failing after %d of %d bytes: error %v, want %v", n, whole.Len(), err, errWrite)
		}
	}
}

// randomIncidents records one to three incidents with hostile titles, some overlapping in time, each
// with random failed entities and impacted services.
func randomIncidents(rng *rand.Rand, inv *model.Inventory) []model.Incident {
	services := inv.OfKind(model.Service)
	var out []model.Incident
	for k := range 1 + rng.IntN(3) {
		start := time.Date(2026, 6, 1+rng.IntN(3), rng.IntN(24), 0, 0, 0, time.FixedZone("", 3600*(rng.IntN(5)-2)))
		in := model.Incident{ID: fmt.Sprintf("inc-%d", k), Title: hostile[rng.IntN(len(hostile))], Started: start,
			Ended: start.Add(time.Duration(1+rng.IntN(600)) * time.Minute), Failed: []int32{int32(rng.IntN(inv.Len()))},
			Pos: diag.Pos{File: hostile[rng.IntN(len(hostile))], Line: 1 + k}}
		for _, s := range services {
			if rng.IntN(2) == 0 {
				in.Impacted = append(in.Impacted, s)
				in.ImpactedPos = append(in.ImpactedPos, diag.Pos{File: "i.toml", Line: 1 + k})
			}
		}
		out = append(out, in)
	}
	return out
}
