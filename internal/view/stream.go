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

// WriteAnalysisJSON writes the Analysis document for res to w, byte for byte what encoding the whole
// Analysis would give, but building and encoding the services a chunk at a time: on large platforms
// the service list is most of the output, and holding it whole would multiply the memory needed.
func WriteAnalysisJSON(w io.Writer, res *analysis.Result, opts Options) error {
	services := opts.Services
	if services == nil {
		for i := range res.Inv.Entities {
			if res.Inv.Entities[i].Kind == model.Service {
				services = append(services, int32(i))
			}
		}
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("{\n  \"services\": [")
	buf := make([]Service, chunk)
	for start := 0; start < len(services); start += chunk {
		part := services[start:min(start+chunk, len(services))]
		analysis.ForEach(len(part), func(i int) { buf[i] = NewService(res, part[i], opts.MaxCutSets) })
		for i := range part {
			if start+i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n    ")
			if err := encodeIndented(bw, buf[i], "    "); err != nil {
				return err
			}
		}
	}
	if len(services) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n")
	impacts := Impacts(res)
	rest := []struct {
		name string
		v    any
	}{
		{"providers", providers(res, impacts)},
		{"entities", impacts},
		{"findings", Findings(res)},
		{"max_order", res.MaxOrder},
	}
	for i, f := range rest {
		bw.WriteString("  \"" + f.name + "\": ")
		if err := encodeIndented(bw, f.v, "  "); err != nil {
			return err
		}
		if i < len(rest)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// encodeIndented writes v as JSON indented by two spaces under prefix, without HTML escaping and
// without the encoder's trailing newline.
func encodeIndented(w *bufio.Writer, v any, prefix string) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return err
}
