package out

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// JSONObject writes a JSON object byte for byte as WriteJSON writes it (two-space indentation, no
// HTML escaping), one field at a time, and a list field one element at a time: a simulation's chains
// may hold n²/2 steps (a chain of n services failing at its end), and so may the paths of spof check's
// violations, so a document is never held whole, only its largest element.
type JSONObject struct {
	w      *bufio.Writer
	indent string // of the object's fields
	fields int
	buf    bytes.Buffer
	err    error
}

// WriteJSONObject writes the object that fill fills to w, followed by a line break as
// json.Encoder.Encode ends a document.
func WriteJSONObject(w io.Writer, fill func(o *JSONObject)) error {
	o := &JSONObject{w: bufio.NewWriterSize(w, 64<<10), indent: "  "}
	o.w.WriteString("{")
	fill(o)
	o.w.WriteString("\n}\n")
	if o.err != nil {
		return o.err
	}
	return o.w.Flush()
}

// key starts a field.
func (o *JSONObject) key(name string) {
	if o.fields > 0 {
		o.w.WriteByte(',')
	}
	o.fields++
	o.w.WriteByte('\n')
	o.w.WriteString(o.indent)
	o.value(name, "")
	o.w.WriteString(": ")
}

// value writes v as encoding/json does at the given indentation of its inner lines.
func (o *JSONObject) value(v any, indent string) {
	o.buf.Reset()
	enc := json.NewEncoder(&o.buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent(indent, "  ")
	}
	if err := enc.Encode(v); err != nil && o.err == nil {
		o.err = err
	}
	o.w.Write(bytes.TrimSuffix(o.buf.Bytes(), []byte{'\n'}))
	if o.buf.Cap() > 1<<20 {
		o.buf = bytes.Buffer{} // let an element of several megabytes go
	}
}

// Field writes a field whose value is written whole.
func (o *JSONObject) Field(name string, v any) {
	o.key(name)
	o.value(v, o.indent)
}

// List writes a field whose value is a list of n elements, each made by elem only when it is written.
func (o *JSONObject) List(name string, n int, elem func(i int) any) {
	o.list(name, n, func(i int, inner string) { o.value(elem(i), inner) })
}

// ObjectList writes a field whose value is a list of n objects, each filled by fill as the document
// is, for lists of few elements that each hold a long list (SARIF's runs and their results).
func (o *JSONObject) ObjectList(name string, n int, fill func(i int, o *JSONObject)) {
	o.list(name, n, func(i int, inner string) { o.object(inner, func(o *JSONObject) { fill(i, o) }) })
}

// list writes a field whose value is a list of n elements, each written by elem at the indentation
// inner.
func (o *JSONObject) list(name string, n int, elem func(i int, inner string)) {
	o.key(name)
	if n == 0 {
		o.w.WriteString("[]")
		return
	}
	inner := o.indent + "  "
	o.w.WriteString("[\n")
	for i := range n {
		o.w.WriteString(inner)
		elem(i, inner)
		if i < n-1 {
			o.w.WriteByte(',')
		}
		o.w.WriteByte('\n')
	}
	o.w.WriteString(o.indent)
	o.w.WriteByte(']')
}

// Object writes a field whose value is an object, filled by fill as the document is.
func (o *JSONObject) Object(name string, fill func(o *JSONObject)) {
	o.key(name)
	o.object(o.indent, fill)
}

// object writes an object whose closing brace is at the indentation indent, filled by fill.
func (o *JSONObject) object(indent string, fill func(o *JSONObject)) {
	inner := &JSONObject{w: o.w, indent: indent + "  "}
	o.w.WriteByte('{')
	fill(inner)
	if inner.fields > 0 {
		o.w.WriteByte('\n')
		o.w.WriteString(indent)
	}
	o.w.WriteByte('}')
	if inner.err != nil && o.err == nil {
		o.err = inner.err
	}
}
