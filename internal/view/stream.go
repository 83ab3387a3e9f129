package view

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// chunk is how many services are described at a time when streaming: enough to keep both cores busy,
// few enough that a 100,000-entity analysis never holds every description in memory at once.
const chunk = 512

// WriteAnalysisJSON writes the Analysis document for res to w: one JSON object whose lists hold one
// element per line, compact. A 100,000-entity platform gives hundreds of megabytes of indented JSON;
// this layout is several times smaller, still greps line by line, and jq pretty-prints it. Services
// are built and written a chunk at a time, so the document is never held whole in memory.
func WriteAnalysisJSON(w io.Writer, res *analysis.Result, opts Options) error {
	services := opts.Services
	if services == nil {
		services = allServices(res.Inv)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	e := newLineEncoder(bw)
	bw.WriteString("{\"services\": [")
	buf := make([]Service, chunk)
	for start := 0; start < len(services); start += chunk {
		part := services[start:min(start+chunk, len(services))]
		analysis.ForEach(len(part), func(i int) { buf[i] = describe(res, part[i], opts) })
		for i := range part {
			e.item(start+i, buf[i])
		}
	}
	e.end(len(services))
	impacts := Impacts(res)
	list(e, "providers", providers(res, impacts))
	list(e, "entities", impacts)
	list(e, "findings", Findings(res))
	bw.WriteString(",\n\"max_order\": ")
	e.value(res.MaxOrder)
	if opts.Avail != nil { // the fields of the embedded PlatformAvailability, in its order
		pa := NewPlatformAvailability(opts.Avail)
		list(e, "improve_first", pa.ImproveFirst)
		bw.WriteString(",\n\"sampled\": ")
		e.value(pa.Sampled)
	}
	if opts.Failover != nil && opts.Failover.Cutoff != "" {
		bw.WriteString(",\n\"tested_cutoff\": ")
		e.value(opts.Failover.Cutoff)
	}
	bw.WriteString("}\n")
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
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

// allServices returns every service, in ID order.
func allServices(inv *model.Inventory) []int32 {
	var out []int32
	for i := range inv.Entities {
		if inv.Entities[i].Kind == model.Service {
			out = append(out, int32(i))
		}
	}
	return out
}
