package review

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
)

// svgElements are the SVG elements Graphviz draws with; anything else (script, foreignObject, style,
// image, use…) is dropped with its content.
var svgElements = map[string]bool{
	"svg": true, "g": true, "polygon": true, "polyline": true, "path": true, "ellipse": true, "circle": true,
	"rect": true, "line": true, "text": true, "tspan": true, "defs": true, "linearGradient": true,
	"radialGradient": true, "stop": true,
}

// svgAttrs are the presentation attributes kept; event handlers, links and style are dropped.
var svgAttrs = map[string]bool{
	"id": true, "class": true, "transform": true, "viewBox": true, "points": true, "d": true,
	"fill": true, "stroke": true, "stroke-width": true, "stroke-dasharray": true, "stroke-opacity": true,
	"fill-opacity": true, "opacity": true, "x": true, "y": true, "cx": true, "cy": true, "r": true,
	"rx": true, "ry": true, "x1": true, "y1": true, "x2": true, "y2": true, "text-anchor": true,
	"font-family": true, "font-size": true, "font-weight": true, "font-style": true,
	"text-decoration": true, "offset": true, "stop-color": true, "stop-opacity": true,
	"gradientUnits": true, "gradientTransform": true,
}

// sanitizeSVG re-serialises Graphviz's SVG with allow-listed elements and attributes only, so that the
// inline SVG cannot carry markup even if a label slipped through unescaped. IDs get the prefix so that
// several diagrams in one page keep unique IDs; width and height become pixels (Graphviz's points
// drawn as pixels) and the width is also given to the stylesheet as --w.
func sanitizeSVG(src []byte, prefix string) (template.HTML, error) {
	dec := xml.NewDecoder(bytes.NewReader(src))
	dec.Strict = true
	var b strings.Builder
	skip := 0 // depth inside a dropped element
	root := true
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("read svg: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip == 0 && !root && t.Name.Local == "a" {
				continue // a link: its content is kept, the link itself dropped
			}
			if skip > 0 || !svgElements[t.Name.Local] || (root && t.Name.Local != "svg") {
				skip++
				continue
			}
			b.WriteString("<" + t.Name.Local)
			if root {
				b.WriteString(` xmlns="http://www.w3.org/2000/svg" role="img" data-prefix="` + escapeXML(prefix) + `"`)
			}
			for _, a := range t.Attr {
				writeSVGAttr(&b, a, prefix, root)
			}
			b.WriteString(">")
			root = false
		case xml.EndElement:
			if skip == 0 && t.Name.Local == "a" {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			b.WriteString("</" + t.Name.Local + ">")
		case xml.CharData:
			if skip == 0 && !root {
				b.WriteString(escapeXML(string(t)))
			}
		}
	}
	if root {
		return "", errors.New("read svg: no svg element")
	}
	return template.HTML(b.String()), nil
}

func writeSVGAttr(b *strings.Builder, a xml.Attr, prefix string, root bool) {
	name, v := a.Name.Local, a.Value
	if a.Name.Space != "" {
		return // xmlns declarations, xlink:href
	}
	if root && (name == "width" || name == "height") {
		pt, err := strconv.ParseFloat(strings.TrimSuffix(v, "pt"), 64)
		if err != nil || pt <= 0 {
			return
		}
		fmt.Fprintf(b, ` %s="%s"`, name, strconv.FormatFloat(pt, 'f', 0, 64))
		if name == "width" {
			// The stylesheet sizes the drawing from its natural width: larger on screen, at a fixed
			// scale on paper, never wider than its column.
			fmt.Fprintf(b, ` style="--w:%spx"`, strconv.FormatFloat(pt, 'f', 0, 64))
		}
		return
	}
	if !svgAttrs[name] {
		return
	}
	switch {
	case name == "id":
		v = prefix + v
	case strings.Contains(strings.ToLower(v), "url("):
		// Only references to this diagram's own gradients.
		rest, ok := strings.CutPrefix(v, "url(#")
		if !ok || !strings.HasSuffix(rest, ")") || strings.ContainsAny(rest[:len(rest)-1], "()'\"") {
			return
		}
		v = "url(#" + prefix + rest
	}
	fmt.Fprintf(b, ` %s="%s"`, name, escapeXML(v))
}

// escapeXML escapes text for an XML attribute value or element content.
func escapeXML(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
