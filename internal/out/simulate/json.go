package simulate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// jsonObject writes a JSON object byte for byte as out.WriteJSON writes it (two-space indentation,
// no HTML escaping), one field at a time, and a list field one element at a time: a simulation's
// chains may hold n²/2 steps (a chain of n services failing at its end), so the document is never
// held whole, only its largest element.
type jsonObject struct {
	w      *bufio.Writer
	indent string // of the object's fields
	fields int
	buf    bytes.Buffer
	err    error
}

// writeJSONObject writes the object that fill fills to w, followed by a line break as
// json.Encoder.Encode ends a document.
func writeJSONObject(w io.Writer, fill func(o *jsonObject)) error {
	o := &jsonObject{w: bufio.NewWriterSize(w, 64<<10), indent: "  "}
	o.w.WriteString("{")
	fill(o)
	o.w.WriteString("\n}\n")
	if o.err != nil {
		return o.err
	}
	return o.w.Flush()
}

// key starts a field.
func (o *jsonObject) key(name string) {
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
func (o *jsonObject) value(v any, indent string) {
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

// field writes a field whose value is written whole.
func (o *jsonObject) field(name string, v any) {
	o.key(name)
	o.value(v, o.indent)
}

// list writes a field whose value is a list of n elements, each made by elem only when it is written.
func (o *jsonObject) list(name string, n int, elem func(i int) any) {
	o.key(name)
	if n == 0 {
		o.w.WriteString("[]")
		return
	}
	inner := o.indent + "  "
	o.w.WriteString("[\n")
	for i := range n {
		o.w.WriteString(inner)
		o.value(elem(i), inner)
		if i < n-1 {
			o.w.WriteByte(',')
		}
		o.w.WriteByte('\n')
	}
	o.w.WriteString(o.indent)
	o.w.WriteByte(']')
}

// object writes a field whose value is an object, filled by fill as the document is.
func (o *jsonObject) object(name string, fill func(o *jsonObject)) {
	o.key(name)
	inner := &jsonObject{w: o.w, indent: o.indent + "  "}
	o.w.WriteByte('{')
	fill(inner)
	if inner.fields > 0 {
		o.w.WriteByte('\n')
		o.w.WriteString(o.indent)
	}
	o.w.WriteByte('}')
	if inner.err != nil && o.err == nil {
		o.err = inner.err
	}
}
