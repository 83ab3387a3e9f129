package analyze

import (
	"bufio"
	"fmt"
	"reflect"
	"strings"
)

// The fields of the JSON document have one table: the structs of document.go, avail.go,
// incidents.go and detection.go, whose json tags give every field's name, in order, and whether it
// may be left out. encoding/json reads them for the parts of the document it writes; the
// hand-written writer takes every key it writes from the same tags, and the reference writer of
// stream_test.go walks them too. So renaming a field is an edit of its struct alone.
//
// The document and its detection part, written once each, are written from a table that bind
// makes of their struct: a function per field, in the struct's order, so that moving a field is an
// edit of its struct alone too. The elements of the long lists (elements.go) are written by
// straight-line code instead, which runs 2% more instructions than with the keys spelled out in
// it, where a function value or a switch per field ran 10% more: a document has millions of
// fields. Their keys come from keysOf, into a struct that mirrors the element's: keysOf panics,
// failing every test of the package, unless the mirror names the element's fields in their order,
// and the byte-equality test holds the code to that order. Adding a field thus needs its struct
// field, its value in the constructor, and its writer (a table entry, or a mirror field and a line
// of code): every test fails until all are there. TestFieldsDocumented (fields_test.go) checks
// that README.md or the docs it points to name every field.
//
// A second tag, layout, says how the document lays out what encoding/json would write on one
// line: `layout:"lines"` is a list with one element per line, `layout:"fields"` an object whose
// fields are written one by one, its lists tagged lines one element per line. Only the reference
// writer reads it; the byte-equality test holds the hand-written writer to it.

// streamer writes one field of an object that is written out as it goes (the document itself,
// its detection part) straight to the output, unless omit says to leave it out for src: it must for
// a field tagged omitempty, where encoding/json leaves out an empty value, and may for a field of
// an embedded pointer, which encoding/json leaves out when the pointer is nil.
type streamer[S any] struct {
	omit  func(src S) bool
	write func(src S) error
}

// member is one field as an object is written: its key, quoted, with the separator before it (the
// opening brace for the first field), and its writer.
type member[S any] struct {
	key string
	enc streamer[S]
}

// streamedObject is a JSON object whose fields are written straight to the output.
type streamedObject[S any] []member[S]

// write writes the object that src holds to w, stopping at the first error.
func (o streamedObject[S]) write(w *bufio.Writer, src S) error {
	for i := range o {
		m := &o[i]
		if m.enc.omit != nil && m.enc.omit(src) {
			continue
		}
		w.WriteString(m.key)
		if err := m.enc.write(src); err != nil {
			return err
		}
	}
	return w.WriteByte('}')
}

// keyStyle is how an object separates its fields: compact inside the elements of lists, the
// document's own fields one per line, the detection part's on one line.
type keyStyle struct {
	sep   string // before every key but the first, which the opening brace precedes
	colon string // between a key and its value
}

var (
	compact = keyStyle{sep: ",", colon: ":"}
	perLine = keyStyle{sep: ",\n", colon: ": "}
	spaced  = keyStyle{sep: ", ", colon: ": "}
)

// structField is a field of an object as its writer writes it: its Go name, its key (empty for an
// embedded struct written whole), whether it is tagged omitempty, and whether it belongs to an
// embedded pointer.
type structField struct {
	name      string
	key       string
	omitEmpty bool
	inPointer bool
}

// fieldsOf returns the fields of struct t in order, their keys in style. The fields of an embedded
// struct are t's own unless whole says the writer writes it whole, as one field without a key.
func fieldsOf(t reflect.Type, style keyStyle, whole func(name string) bool) []structField {
	var out []structField
	var walk func(t reflect.Type, inPointer bool)
	walk = func(t reflect.Type, inPointer bool) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous && !whole(f.Name) {
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				walk(ft, inPointer || f.Type.Kind() == reflect.Pointer)
				continue
			}
			sf := structField{name: f.Name, inPointer: inPointer}
			if !f.Anonymous {
				var name string
				name, sf.omitEmpty = jsonName(f)
				sep := style.sep
				if len(out) == 0 {
					sep = "{"
				}
				sf.key = string(appendString([]byte(sep), name)) + style.colon
			}
			out = append(out, sf)
		}
	}
	walk(t, false)
	if len(out) == 0 || out[0].key == "" || out[0].omitEmpty {
		panic(fmt.Sprintf("analyze: %v must begin with a named field that is always there: the opening brace comes with its key", t))
	}
	return out
}

// bind returns the members of struct T in the order of its fields, the writer of each taken from
// encs by Go field name; an embedded struct with an entry in encs is written whole by it. It
// panics when a field has no writer or a writer no field, and when a writer's omit disagrees with
// the field's omitempty (see streamer).
func bind[T, S any](style keyStyle, encs map[string]streamer[S]) streamedObject[S] {
	t := reflect.TypeFor[T]()
	var out streamedObject[S]
	for _, f := range fieldsOf(t, style, func(name string) bool { _, ok := encs[name]; return ok }) {
		enc, ok := encs[f.name]
		if !ok {
			panic(fmt.Sprintf("analyze: field %s of %v has no writer in the JSON writer", f.name, t))
		}
		if omits := enc.omit != nil; f.key != "" && omits != f.omitEmpty && !(omits && f.inPointer) {
			panic(fmt.Sprintf("analyze: field %s of %v: omitempty is %v, but its writer may omit it: %v", f.name, t, f.omitEmpty, omits))
		}
		out = append(out, member[S]{key: f.key, enc: enc})
	}
	if len(out) != len(encs) {
		panic(fmt.Sprintf("analyze: the JSON writer of %v writes fields it does not have", t))
	}
	return out
}

// keysOf returns the keys of struct T for a writer that writes its fields in code. K is a struct
// of jsonKey that mirrors T: a field of the same name for each field of T, in the same order, an
// embedded struct of T written whole being one field of K (its key is empty); keysOf sets each to
// its field's key. It panics unless K mirrors T, so that a field added to T, moved or removed
// stops the tests until the writer follows.
func keysOf[T, K any](style keyStyle) K {
	t, kt := reflect.TypeFor[T](), reflect.TypeFor[K]()
	mirrored := map[string]bool{}
	for i := range kt.NumField() {
		mirrored[kt.Field(i).Name] = true
	}
	fields := fieldsOf(t, style, func(name string) bool { return mirrored[name] })
	var keys K
	v := reflect.ValueOf(&keys).Elem()
	for i, f := range fields {
		if i >= kt.NumField() || kt.Field(i).Name != f.name {
			panic(fmt.Sprintf("analyze: the keys of the JSON writer of %v do not mirror its fields: field %d is %s", t, i, f.name))
		}
		if f.key != "" { // an embedded struct written whole: no key, and perhaps unexported
			v.Field(i).Set(reflect.ValueOf(newJSONKey(f.key)))
		}
	}
	if len(fields) != kt.NumField() {
		panic(fmt.Sprintf("analyze: the keys of the JSON writer of %v name fields it does not have", t))
	}
	return keys
}

// jsonKey is a key as the writers of the list elements append it: quoted, with the separator
// before it and the colon after it.
type jsonKey struct {
	s    string
	word [keyWord]byte // s, when it fits
}

// keyWord is the length of the keys that jsonKey.append copies as one fixed-size word: all the
// keys of the list elements but one.
const keyWord = 16

func newJSONKey(s string) jsonKey {
	k := jsonKey{s: s}
	copy(k.word[:], s)
	return k
}

// append appends the key. A short key, given room, is copied as one word of keyWord bytes (the
// bytes past its end are cut off again), as quoted.id copies IDs: append would call memmove for
// each of the millions of keys of a large document, where the compiler copies a key spelled out
// in the code without a call, and that made the writer 6% slower. Like append, it takes the spare
// capacity of dst as its own: up to keyWord bytes of it may be overwritten.
func (k *jsonKey) append(dst []byte) []byte {
	if n := len(dst); len(k.s) <= keyWord && cap(dst)-n >= keyWord {
		*(*[keyWord]byte)(dst[n : n+keyWord]) = k.word
		return dst[:n+len(k.s)]
	}
	return append(dst, k.s...)
}

// jsonName returns the name of field f in JSON and whether it is tagged omitempty.
func jsonName(f reflect.StructField) (name string, omitEmpty bool) {
	name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		panic(fmt.Sprintf("analyze: field %s has no JSON name", f.Name))
	}
	return name, opts == "omitempty"
}
