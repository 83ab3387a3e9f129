package analyze

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// contractDocs are where the JSON contract is documented: the README's section on it, and the pages
// it sends the reader to for the availability, incident and detection fields.
var contractDocs = []struct {
	file    string
	section string // the heading the contract starts at, up to the next of its level; "" for all
}{
	{"../../../README.md", "## JSON output of `spof analyze`"},
	{"../../../docs/availability.md", ""},
	{"../../../docs/incidents.md", ""},
	{"../../../docs/detection.md", ""},
}

// TestFieldsDocumented checks that every field of the document, at any depth, is named in its
// documentation, as "name" (the README's annotated example) or `name`: a field added to a struct
// without a word in the docs fails here.
func TestFieldsDocumented(t *testing.T) {
	var docs strings.Builder
	for _, d := range contractDocs {
		data, err := os.ReadFile(d.file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if d.section != "" {
			start := strings.Index(text, "\n"+d.section)
			if start < 0 {
				t.Fatalf("%s: no section %q", d.file, d.section)
			}
			text = text[start+1:]
			level := d.section[:strings.IndexByte(d.section, ' ')+1]
			if end := strings.Index(text[1:], "\n"+level); end >= 0 {
				text = text[:end+1]
			}
		}
		docs.WriteString(text)
	}
	for _, f := range documentFields(reflect.TypeFor[Analysis]()) {
		if !strings.Contains(docs.String(), `"`+f.name+`"`) && !strings.Contains(docs.String(), "`"+f.name+"`") {
			t.Errorf("field %s (%s) of the JSON document is not documented in README.md or the docs it points to", f.name, f.path)
		}
	}
}

// docField is a field of the document: its JSON name, and the Go path to it.
type docField struct{ name, path string }

// documentFields returns every field of struct t and of the structs of this package it holds, at
// any depth, each once.
func documentFields(t reflect.Type) []docField {
	var out []docField
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeFor[Analysis]().PkgPath() || seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.Anonymous {
				name, _ := jsonName(f)
				out = append(out, docField{name, t.Name() + "." + f.Name})
			}
			walk(f.Type)
		}
	}
	walk(t)
	return out
}

// The structs of TestBind and TestKeysOf: an embedded pointer, an omitempty field.
type (
	testInner struct {
		B int `json:"b"`
	}
	testOuter struct {
		A string `json:"a"`
		*testInner
		C []int `json:"c,omitempty"`
	}
)

// TestBind checks that bind takes names and order from the struct, the fields of an embedded
// struct in its place or as one field, and refuses a table that does not match the struct.
func TestBind(t *testing.T) {
	w := func(n int) func(*[]int) error { return func(got *[]int) error { *got = append(*got, n); return nil } }
	never := func(*[]int) bool { return false }
	var keys []string
	for _, m := range bind[testOuter](compact, map[string]streamer[*[]int]{"A": {write: w(1)}, "B": {write: w(2)}, "C": {omit: never, write: w(3)}}) {
		keys = append(keys, m.key)
	}
	if got, want := strings.Join(keys, " "), `{"a": ,"b": ,"c":`; got != want {
		t.Errorf("bind = %s, want %s", got, want)
	}
	whole := bind[testOuter](spaced, map[string]streamer[*[]int]{"A": {write: w(1)}, "testInner": {write: w(2)}, "C": {omit: never, write: w(3)}})
	if len(whole) != 3 || whole[1].key != "" || whole[2].key != `, "c": ` {
		t.Errorf("bind with the embedded struct written whole = %+v", whole)
	}
	for name, encs := range map[string]map[string]streamer[*[]int]{
		"a field without a writer": {"A": {write: w(1)}, "B": {write: w(2)}},
		"a writer without a field": {"A": {write: w(1)}, "B": {write: w(2)}, "C": {omit: never, write: w(3)}, "D": {write: w(4)}},
		"omitempty, never omitted": {"A": {write: w(1)}, "B": {write: w(2)}, "C": {write: w(3)}},
		"omitted, not omitempty":   {"A": {omit: never, write: w(1)}, "B": {write: w(2)}, "C": {omit: never, write: w(3)}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("bind accepted it")
				}
			}()
			bind[testOuter](compact, encs)
		})
	}
}

// TestKeysOf checks that keysOf fills a mirror of the struct with its keys, and refuses one that
// does not mirror it.
func TestKeysOf(t *testing.T) {
	k := keysOf[testOuter, struct{ A, B, C jsonKey }](compact)
	if got, want := []string{k.A.s, k.B.s, k.C.s}, []string{`{"a":`, `,"b":`, `,"c":`}; !slices.Equal(got, want) {
		t.Errorf("keysOf = %q, want %q", got, want)
	}
	whole := keysOf[testOuter, struct{ A, testInner, C jsonKey }](compact)
	if got, want := []string{whole.A.s, whole.testInner.s, whole.C.s}, []string{`{"a":`, "", `,"c":`}; !slices.Equal(got, want) {
		t.Errorf("keysOf with the embedded struct written whole = %q, want %q", got, want)
	}
	for name, mirror := range map[string]func(){
		"a field missing": func() { keysOf[testOuter, struct{ A, B jsonKey }](compact) },
		"a field more":    func() { keysOf[testOuter, struct{ A, B, C, D jsonKey }](compact) },
		"moved":           func() { keysOf[testOuter, struct{ A, C, B jsonKey }](compact) },
		"renamed":         func() { keysOf[testOuter, struct{ A, B, X jsonKey }](compact) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("keysOf accepted it")
				}
			}()
			mirror()
		})
	}
}

// TestJSONKeyAppend checks that a key is appended whole whatever the room after it, short or long.
func TestJSONKeyAppend(t *testing.T) {
	for _, s := range []string{`{"a":`, `,"sixteen_bytes":`, `,"cut_sets_truncated":`} {
		k := newJSONKey(s)
		for room := range 2 * keyWord {
			dst := append(make([]byte, 0, 3+room), "abc"...)
			if got := string(k.append(dst)); got != "abc"+s {
				t.Errorf("key %s with %d bytes of room: %q", s, room, got)
			}
		}
	}
}
