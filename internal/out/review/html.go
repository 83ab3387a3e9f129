package review

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/out/diagram"
	"github.com/spofhq/spof/internal/par"
)

//go:embed templates/report.html.tmpl templates/report.css
var templateFS embed.FS

// WriteHTML writes doc as one self-contained HTML page: inline CSS and SVG, no script, no external
// resource, a table of contents, and a print style. html/template escapes every string of the
// document; the diagrams' SVG was sanitised by RenderDiagrams. Run RenderDiagrams first to get
// diagrams; figures without SVG show their Missing note.
func WriteHTML(w io.Writer, doc *Document) error {
	css, err := templateFS.ReadFile("templates/report.css")
	if err != nil {
		return err
	}
	tmpl, err := template.New("report.html.tmpl").ParseFS(templateFS, "templates/report.html.tmpl")
	if err != nil {
		return fmt.Errorf("parse report template: %w", err)
	}
	var b bytes.Buffer
	err = tmpl.Execute(&b, struct {
		*Document
		CSS template.CSS
	}{doc, template.CSS(css)})
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

// RenderDiagrams draws every figure of doc as SVG with svg, in parallel, and returns the failures,
// one per distinct cause with the number of diagrams it affected. A figure that could not be drawn —
// svg is nil when spof-render is missing — gets a note saying why, so the report is complete either
// way.
func RenderDiagrams(doc *Document, svg diagram.Renderer) []error {
	var figs []*Figure
	var walk func(ss []Section)
	walk = func(ss []Section) {
		for i := range ss {
			for _, b := range ss[i].Blocks {
				if b.Figure != nil {
					figs = append(figs, b.Figure)
				}
			}
			walk(ss[i].Subs)
		}
	}
	walk(doc.Sections)
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
		var dot bytes.Buffer
		err := diagram.WriteDOT(&dot, f.Scene)
		var out []byte
		if err == nil {
			out, err = svg(dot.Bytes())
		}
		if err == nil {
			f.SVG, err = sanitizeSVG(out, fmt.Sprintf("d%d-", i+1))
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
		out = append(out, fmt.Errorf("%d of %d report %s not drawn: %s", counts[c], len(figs), plural(len(figs), "diagram", "diagrams"), c))
	}
	return out
}
