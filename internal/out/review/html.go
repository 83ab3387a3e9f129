package review

import (
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/out/diagram"
	"github.com/spofhq/spof/internal/par"
)

//go:embed templates/report.html.tmpl templates/report.css templates/report.js
var templateFS embed.FS

// WriteHTML writes doc as one self-contained HTML page: inline CSS, SVG, what-if data and a small
// hand-written script (the large view of a diagram, the what-if panel), no external resource, a table
// of contents, and a print style. html/template escapes every string of the document; the diagrams'
// SVG was sanitised by RenderDiagrams; the data is JSON with <, > and & escaped. Run RenderDiagrams
// first to get diagrams; figures without SVG show their Missing note.
func WriteHTML(w io.Writer, doc *Document) error {
	css, err := templateFS.ReadFile("templates/report.css")
	if err != nil {
		return err
	}
	tmpl, err := template.New("report.html.tmpl").ParseFS(templateFS, "templates/report.html.tmpl")
	if err != nil {
		return fmt.Errorf("parse report template: %w", err)
	}
	js, err := templateFS.ReadFile("templates/report.js")
	if err != nil {
		return err
	}
	// The script is wrapped in a CDATA section hidden in comments, so that the page still parses as
	// XML; the data is JSON with <, > and & escaped.
	var data, script template.JS
	if doc.WhatIf != nil {
		data = doc.WhatIf.JSON(doc)
	}
	script = template.JS("/*<![CDATA[*/\n" + string(js) + "/*]]>*/\n")
	var b bytes.Buffer
	err = tmpl.Execute(&b, struct {
		*Document
		CSS    template.CSS
		Data   template.JS
		Script template.JS
	}{doc, template.CSS(css), data, script})
	if err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// Align returns the CSS class of column i: "num" for numbers.
func (t *Table) Align(i int) string {
	if i < len(t.Numeric) && t.Numeric[i] {
		return "num"
	}
	return ""
}

// CellClass returns the CSS classes of cell c in column i: its alignment and its shade.
func (t *Table) CellClass(i int, c Cell) string {
	var cls []string
	if a := t.Align(i); a != "" {
		cls = append(cls, a)
	}
	if c.Heat > 0 {
		cls = append(cls, "heat-"+strconv.Itoa(min(c.Heat, 4)))
	}
	return strings.Join(cls, " ")
}

// The page a drawing must fit, in SVG units (Graphviz points, drawn as CSS pixels): the print
// stylesheet prints a drawing at printScale pixels a unit, at which its smallest labels (9 units) are
// at least 7 pt, and fitWidth units at that scale fill the printable width of an A4 or Letter page.
// On screen, the same drawing is shown larger, up to the column's width.
const (
	fitWidth  = 640
	fitHeight = 860
)

// RenderDiagrams draws every figure of doc as SVG with svg, in parallel, and returns the failures,
// one per distinct cause with the number of diagrams it affected. Of a figure's variants it keeps the
// first whose drawing fits fitWidth × fitHeight, or else the one that needs the least shrinking. A
// figure that could not be drawn — svg is nil when spof-render is missing — gets a note saying why, so
// the report is complete either way.
func RenderDiagrams(doc *Document, svg diagram.Renderer) []error {
	figs := figures(doc)
	if svg == nil {
		for _, f := range figs {
			f.Missing = "Diagram not drawn: " + diagram.RendererName + " was not found. Install it next to spof " +
				"(go install github.com/spofhq/spof/cmd/...@latest) and write the report again."
		}
		return nil
	}
	errs := make([]error, len(figs))
	par.ForEach(len(figs), func(i int) {
		f := figs[i]
		variants := f.Variants
		if len(variants) == 0 {
			variants = []Variant{{Scene: f.Scene, Caption: f.Caption}}
		}
		var best []byte
		bestScale := -1.0
		var err error
		seen := map[string]bool{}
		for n, vi := range fitOrder(variants) {
			if n == maxRenders && best != nil {
				break
			}
			v := variants[vi]
			var dot bytes.Buffer
			if err = diagram.WriteDOT(&dot, v.Scene); err != nil {
				break
			}
			if seen[dot.String()] { // collapsing changed nothing
				continue
			}
			seen[dot.String()] = true
			var out []byte
			if out, err = svg(dot.Bytes()); err != nil {
				break
			}
			w, h := svgSize(out)
			scale := min(1, fitWidth/max(w, 1), fitHeight/max(h, 1))
			if scale > bestScale {
				best, bestScale = out, scale
				f.Scene, f.Caption, f.Width, f.Height = v.Scene, v.Caption, w, h
			}
			if scale == 1 {
				break
			}
		}
		if err == nil {
			f.Prefix = fmt.Sprintf("d%d-", i+1)
			f.SVG, err = sanitizeSVG(best, f.Prefix)
		}
		if err != nil {
			f.Missing = "Diagram not drawn: " + err.Error()
			errs[i] = err
		}
	})
	// One warning per cause: a missing renderer fails every diagram the same way.
	var causes []string
	counts := map[string]int{}
	for _, err := range errs {
		if err == nil {
			continue
		}
		if counts[err.Error()] == 0 {
			causes = append(causes, err.Error())
		}
		counts[err.Error()]++
	}
	var out []error
	for _, c := range causes {
		out = append(out, fmt.Errorf("%d of %d report %s not drawn: %s", counts[c], len(figs), human.Plural(len(figs), "diagram", "diagrams"), c))
	}
	return out
}

// svgSize reads the width and height of an SVG document's root, in points.
func svgSize(src []byte) (w, h float64) {
	dec := xml.NewDecoder(bytes.NewReader(src))
	for {
		tok, err := dec.Token()
		if err != nil {
			return 0, 0
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				v, _ := strconv.ParseFloat(strings.TrimSuffix(a.Value, "pt"), 64)
				switch a.Name.Local {
				case "width":
					w = v
				case "height":
					h = v
				}
			}
			return w, h
		}
	}
}
