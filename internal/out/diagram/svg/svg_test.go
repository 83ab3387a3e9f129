package svg

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/diagram"
	"github.com/spofhq/spof/internal/testinv"
)

func load(t testing.TB, path string) *analysis.Result {
	return analysis.Analyze(testinv.Load(t, path), analysis.Options{MaxOrder: 1})
}

func lookup(t testing.TB, inv *model.Inventory, id string) int32 {
	t.Helper()
	i, ok := inv.Lookup(id)
	if !ok {
		t.Fatalf("no entity %q", id)
	}
	return i
}

// draw renders the scene of o to SVG.
func draw(t testing.TB, res *analysis.Result, o diagram.Options) []byte {
	t.Helper()
	sc, err := diagram.NewScene(res, o)
	if err != nil {
		t.Fatal(err)
	}
	var dot, out bytes.Buffer
	if err := diagram.WriteDOT(&dot, sc); err != nil {
		t.Fatal(err)
	}
	if err := Render(context.Background(), dot.Bytes(), &out); err != nil {
		t.Fatalf("render: %v\n%s", err, dot.String())
	}
	return out.Bytes()
}

// texts parses an SVG document strictly (a malformed one fails the test) and returns, for every element
// with an id, the text of the <text> elements inside it, in document order.
func texts(t *testing.T, svg []byte) map[string][]string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = true
	out := map[string][]string{}
	var stack []string // the id of each open element, "" when it has none
	var inText bool
	var text strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			id := ""
			for _, a := range tok.Attr {
				if a.Name.Local == "id" {
					id = a.Value
				}
			}
			stack = append(stack, id)
			if tok.Name.Local == "text" {
				inText = true
				text.Reset()
			}
		case xml.CharData:
			if inText {
				text.Write(tok)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if tok.Name.Local == "text" {
				inText = false
				for i := len(stack) - 1; i >= 0; i-- {
					if stack[i] != "" {
						out[stack[i]] = append(out[stack[i]], text.String())
						break
					}
				}
			}
		}
	}
	if len(stack) != 0 {
		t.Fatal("SVG ends with unclosed elements")
	}
	return out
}

func TestRenderExample(t *testing.T) {
	res := load(t, "../../../../inventories/telephony-before")
	inv := res.Inv
	svg := draw(t, res, diagram.Options{Services: []int32{lookup(t, inv, "support-line")}, Failed: []int32{lookup(t, inv, "hostco")}})
	got := texts(t, svg)
	for _, id := range []string{"entity-support-line", "entity-num-support", "entity-pbx-01", "entity-hostco", "group-0"} {
		if _, ok := got[id]; !ok {
			t.Errorf("no element with id %q in the SVG", id)
		}
	}
	if want := []string{"Ligne support client", "support-line · critical"}; strings.Join(got["entity-support-line"], "|") != strings.Join(want, "|") {
		t.Errorf("support-line reads %q, want %q", got["entity-support-line"], want)
	}
	if !bytes.Contains(svg, []byte(`fill="#c00000"`)) {
		t.Error("no node drawn failed")
	}
}

// TestRenderHostileNames checks that every hostile name of ../testdata/hostile.toml is drawn exactly as
// written (control characters as spaces, line breaks where a long name wraps) and that the SVG stays
// well-formed.
func TestRenderHostileNames(t *testing.T) {
	res := load(t, "../testdata/hostile.toml")
	svg := draw(t, res, diagram.Options{Title: `Title "x" <y> & \N &amp;`})
	got := texts(t, svg)
	// Graphviz writes runs of spaces as space + no-break space, to keep them; long names are wrapped,
	// and the lines of a name are compared joined by spaces.
	norm := strings.NewReplacer("\u00a0", " ", "\n", " ").Replace
	for i := range res.Inv.Entities {
		e := &res.Inv.Entities[i]
		want := strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\n' || r >= 0x7f && r < 0xa0 {
				return ' '
			}
			return r
		}, strings.ReplaceAll(e.Label(), "\r", ""))
		lines := got["entity-"+e.ID]
		if len(lines) < 2 {
			t.Errorf("%s: texts %q", e.ID, lines)
			continue
		}
		if name := strings.Join(lines[:len(lines)-1], "\n"); norm(name) != norm(want) {
			t.Errorf("%s is drawn %q, want %q", e.ID, name, want)
		}
	}
	if title := got["graph0"]; len(title) == 0 || title[0] != `Title "x" <y> & \N &amp;` {
		t.Errorf("title drawn %q", title)
	}
}

// BenchmarkRender200 renders the largest service neighbourhood of a generated 2,000-entity inventory:
// 192 nodes (entities and groups) and about 420 edges, the size the issue asks to render well under a
// second. Edges are not labelled at that size (diagram.MaxLabelledNodes).
func BenchmarkRender200(b *testing.B) {
	inv := testinv.Generated(b, 2000, 1)
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
	sc, err := diagram.NewScene(res, diagram.Options{Services: []int32{lookup(b, inv, "svc-000130")}})
	if err != nil {
		b.Fatal(err)
	}
	var dot bytes.Buffer
	if err := diagram.WriteDOT(&dot, sc); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := Render(context.Background(), dot.Bytes(), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(sc.Nodes)), "nodes")
	b.ReportMetric(float64(len(sc.Edges)), "edges")
}
