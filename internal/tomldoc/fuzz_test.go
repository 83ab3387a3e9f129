package tomldoc

import (
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// The fuzz targets hold the scanner to BurntSushi, the decoder every caller runs first. Acceptance:
// the scanner reads to the end of every document BurntSushi accepts (where BurntSushi rejects, the
// scanner may accept: TestDecodeFirst shows that the entry points then report BurntSushi's error).
// Values: every key and value BurntSushi decodes has a position, the text there decodes to the same
// key or value, and every entry of the tree holds value text that decodes to the decoded value. Seeds
// are the documents of the tests, the example inventories and testdata/fuzz.

func FuzzIndex(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		ix := buildIndex(src) // must not panic, whatever src is
		ix.nearest("a", "0", "b")
		checkEvents(t, src)
		checkIndex(t, src, false)
	})
}

func FuzzTree(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		tr, err := parseTree(src) // must not panic, whatever src is
		data, derr := decode(src)
		if derr != nil {
			return
		}
		if err != nil {
			t.Fatalf("BurntSushi accepts what the tree parser does not follow (%v):\n%q", err, src)
		}
		checkTree(t, src, tr, data)
	})
}

func addSeeds(f *testing.F) {
	for _, tc := range posCases {
		f.Add([]byte(tc.doc))
	}
	for _, doc := range propertyDocs {
		f.Add([]byte(doc))
	}
	for _, doc := range treeSeeds {
		f.Add([]byte(doc))
	}
	for _, name := range exampleFiles(f) {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
}

// treeSeeds exercise what the tree keeps: comments everywhere, blank lines, values over several lines.
var treeSeeds = []string{
	"#:schema x\n# file\n\n# banner\n\n[vms.a] # c\n# k\nhost = { any_of = [\"a\", 'b'] } # t\n\n# end\n\n[x]\n",
	"a = \"\"\"\nx\"\"\"\"\n[[b]]\nc = [\n 1, # x\n]\n# f\n\n[[b]]\n",
	"[x]\ny.z = 1979-05-27 07:32:00\n'q' . \"r\" = {}\n\"\\e\" = { \"\\u00e9\" = [[], [{}]] }\n",
	"top = 1 # t\n\n\n# lone\nnext = [ 'a' ,\n# in\n'b' ]\n",
}

// exampleFiles returns the TOML files of the example inventories.
func exampleFiles(tb testing.TB) []string {
	var files []string
	err := filepath.WalkDir("../../inventories", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".toml") {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) < 10 {
		tb.Fatalf("found %d example files (%v)", len(files), err)
	}
	return files
}

// TestAgreesWithDecoder runs the fuzz properties on the test documents, the example inventories and
// generated ones.
func TestAgreesWithDecoder(t *testing.T) {
	docs := map[string][]byte{"generated": generated(t, 2000), "mixed": mixedDoc(100_000)}
	for i, doc := range append(slices.Clone(propertyDocs), treeSeeds...) {
		docs[fmt.Sprint("doc", i)] = []byte(doc)
	}
	for _, name := range exampleFiles(t) {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = src
	}
	for name, src := range docs {
		t.Run(name, func(t *testing.T) {
			checkEvents(t, src)
			checkIndex(t, src, true)
			data, err := decode(src)
			if err != nil {
				t.Fatal(err)
			}
			tr, serr := parseTree(src)
			if serr != nil {
				t.Fatal(serr)
			}
			checkTree(t, src, tr, data)
		})
	}
}

func decode(src []byte) (map[string]any, error) {
	var data map[string]any
	_, err := toml.Decode(string(src), &data)
	return data, err
}

// checkIndex checks the index of src against what BurntSushi decodes: every key of a table has a key
// position showing that key, and every value written as such (not a table from a header or dotted
// keys) a value position showing text that decodes to that value.
func checkIndex(t *testing.T, src []byte, mustDecode bool) {
	t.Helper()
	data, err := decode(src)
	if err != nil {
		if mustDecode {
			t.Fatalf("decode: %v", err)
		}
		return
	}
	if ok, at := scan(src, nopBuilder{}); !ok {
		t.Fatalf("BurntSushi accepts what the scanner stops in, at %v:\n%q", at, src)
	}
	if redefines(src) {
		return
	}
	checkMetaData(t, src, true)
	ix := buildIndex(src)
	lines := lineStarts(src)
	failures := 0
	var walk func(path []string, v any)
	walk = func(path []string, v any) {
		if failures > 20 {
			return // enough to go on
		}
		fail := func(format string, args ...any) {
			failures++
			t.Errorf("%q: "+format, append([]any{path}, args...)...)
		}
		if p, ok := ix.value(path...); ok {
			text := valueAt(src, offset(src, lines, p))
			got, err := decode([]byte("x = " + text))
			if err != nil || !same(got["x"], v) {
				fail("value at %v is %q, which decodes to %v (%v), not %v", p, text, got["x"], err, v)
			}
		} else if !isTable(v) && len(path) > 0 {
			fail("no value position for %v", v)
		}
		switch x := v.(type) {
		case map[string]any:
			for k, el := range x {
				kpath := append(slices.Clip(path), k)
				p, ok := ix.key(kpath...)
				if !ok {
					fail("no key position for %q", k)
					continue
				}
				if got, text := keyAt(src, offset(src, lines, p)); got != k {
					fail("key %q at %v shows %q, which is key %q", k, p, text, got)
				}
				walk(kpath, el)
			}
		case []map[string]any:
			for i, el := range x {
				epath := append(slices.Clip(path), strconv.Itoa(i))
				if p, ok := ix.key(epath...); !ok {
					fail("no key position for entry %d", i)
				} else if got, text := keyAt(src, offset(src, lines, p)); got != path[len(path)-1] {
					fail("entry %d at %v shows %q, which is key %q", i, p, text, got)
				}
				walk(epath, el)
			}
		case []any:
			for i, el := range x {
				walk(append(slices.Clip(path), strconv.Itoa(i)), el)
			}
		}
	}
	walk(nil, data)
}

// isTable reports whether v is a table or an array of tables, which have no value position unless
// written inline (BurntSushi decodes an inline array of tables as []any).
func isTable(v any) bool {
	switch v.(type) {
	case map[string]any, []map[string]any:
		return true
	}
	return false
}

// checkTree checks a tree read from src against the values BurntSushi decodes: every entry's value
// text decodes to the value at its path, the printed tree holds the same data and the same comments,
// and printing it again changes nothing.
func checkTree(t *testing.T, src []byte, tr *Tree, data map[string]any) {
	t.Helper()
	failures := 0
	redefined := redefines(src)
	check := func(table []string, e *Entry) {
		if failures > 20 || redefined {
			return
		}
		want, ok := decodedAt(data, append(slices.Clip(table), e.Key...))
		got, err := decode([]byte("x = " + e.Value))
		if !ok || err != nil || !same(got["x"], want) {
			failures++
			t.Errorf("entry %q of [%q]: value %q decodes to %v (%v), want %v", e.Key, table, e.Value, got["x"], err, want)
		}
	}
	for _, e := range tr.Top {
		check(nil, e)
	}
	tables := resolveTables(tr)
	for i, tb := range tr.Tables {
		for _, e := range tb.Entries {
			check(tables[i], e)
		}
	}
	out := tr.Bytes()
	after, err := decode(out)
	if err != nil || !same(data, after) {
		t.Fatalf("printed tree holds other data (%v):\n--- source\n%q\n--- printed\n%s", err, src, out)
	}
	if got, want := comments(out), comments(src); !slices.Equal(got, want) {
		t.Errorf("comments changed:\n got %q\nwant %q", got, want)
	}
	again, serr := parseTree(out)
	if serr != nil || !bytes.Equal(again.Bytes(), out) {
		t.Errorf("printing again changes the text (%v):\n--- first\n%s\n--- second\n%s", serr, out, again.Bytes())
	}
}

// redefines reports whether src gives a value to a key that dotted keys or headers made a table
// (`y.a = 1` then `y = 2`), reaches into a value with dotted keys or a header (`a = { b = 1 }` then
// `a.c = 1`), or gives a key two values. TOML forbids all three, but BurntSushi v1.6 accepts some of
// them and keeps one definition or the other, while the index keeps the first position it meets; so
// for those documents the values are not compared, only the acceptance.
func redefines(src []byte) bool {
	r := &redefinitions{indexBuilder: indexBuilder{ix: &index{nodes: make([]node, 1)}}, parents: map[uint32]bool{}}
	scan(src, r)
	return r.found
}

// TestRedefines checks the fuzz targets' detector of redefinitions on documents BurntSushi accepts:
// it must find those TOML forbids, and nothing in valid ones, or the fuzz targets would compare less.
func TestRedefines(t *testing.T) {
	valid := append(slices.Clone(propertyDocs), treeSeeds...)
	valid = append(valid, "a = [{ b = 1 }, { b = 2 }]\n[[c]]\nd.e = 1\n[[c]]\nd.e = 2\n[c.f]\n",
		"[a.b.c]\n[a.b]\nd = 1\n[a]\ne = { f = [1] }\n", "x.y = 1\nx.z = { w = 1 }\n")
	for i, doc := range valid {
		if redefines([]byte(doc)) {
			t.Errorf("valid document %d is said to redefine a key:\n%s", i, doc)
		}
	}
	for _, f := range exampleFiles(t) {
		if src, _ := os.ReadFile(f); redefines(src) {
			t.Errorf("%s is said to redefine a key", f)
		}
	}
	for _, doc := range []string{
		"y.0 = \"\"\ny = \"\"\n",
		"y.a.b = 1\ny.a = 2\n",
		"y.a = 1\ny = [1]\n",
		"a = { b = 1 }\na.c = 1\n",
	} {
		if _, err := decode([]byte(doc)); err != nil {
			t.Errorf("BurntSushi now rejects %q (%v): drop it from this list", doc, err)
		}
		if !redefines([]byte(doc)) {
			t.Errorf("redefinition in %q not found", doc)
		}
	}
}

// redefinitions builds an index and watches for redefinitions as it goes.
type redefinitions struct {
	indexBuilder
	parents map[uint32]bool // nodes with children
	found   bool
}

// check marks the nodes from at up to, not including, stop as parents of what is below them, and
// finds any of them that holds a value.
func (r *redefinitions) check(at, stop uint32) {
	for at != stop && at != 0 {
		up := r.ix.nodes[at].parent
		r.parents[up] = true
		if up != stop && r.ix.nodes[up].val.line > 0 {
			r.found = true
		}
		at = up
	}
}

func (r *redefinitions) header(key []keySeg, array bool) {
	r.indexBuilder.header(key, array)
	if r.ix.nodes[r.table].val.line > 0 {
		r.found = true
	}
	r.check(r.table, 0)
}

func (r *redefinitions) key(key []keySeg) {
	base := r.table
	if n := len(r.stack); n > 0 {
		base = r.stack[n-1].node
	}
	r.indexBuilder.key(key)
	r.check(r.next, base)
}

func (r *redefinitions) value() {
	if r.ix.nodes[r.next].val.line > 0 || r.parents[r.next] {
		r.found = true
	}
}

func (r *redefinitions) atom(start, end int, p position) {
	r.value()
	r.indexBuilder.atom(start, end, p)
}

func (r *redefinitions) open(c byte, start int, p position) {
	r.value()
	r.indexBuilder.open(c, start, p)
}

// resolveTables returns the path in the decoded data of each table of tr, entries of arrays of tables
// addressed by index as a header through an array of tables means its latest entry.
func resolveTables(tr *Tree) [][]string {
	count := map[string]int{} // entries so far of each array of tables, by resolved path
	out := make([][]string, len(tr.Tables))
	for i, tb := range tr.Tables {
		var path []string
		for j, seg := range tb.Path {
			path = append(path, seg)
			id := strings.Join(path, "\x00")
			switch n, isArray := count[id]; {
			case j == len(tb.Path)-1 && tb.Array:
				count[id]++
				path = append(path, strconv.Itoa(n))
			case isArray:
				path = append(path, strconv.Itoa(n-1))
			}
		}
		out[i] = path
	}
	return out
}

// comments returns the comments reported at the top level of src (whole-line and trailing), sorted.
func comments(src []byte) []string {
	var c commentCollector
	c.src = src
	scan(src, &c)
	slices.Sort(c.texts)
	return c.texts
}

type commentCollector struct {
	nopBuilder
	src   []byte
	texts []string
}

func (c *commentCollector) comment(start, end int) {
	c.texts = append(c.texts, commentText(c.src[start:end]))
}
func (c *commentCollector) trailing(start, end int) { c.comment(start, end) }

// checkEvents checks what the scanner reports on any input: offsets within src, positions that exist,
// brackets that balance, elements only in arrays.
func checkEvents(t *testing.T, src []byte) {
	t.Helper()
	c := &eventChecker{t: t, src: src, last: position{1, 1}}
	ok, at := scan(src, c)
	c.pos(at)
	if ok && len(c.brackets) > 0 {
		t.Errorf("the scanner read to the end with %d brackets open", len(c.brackets))
	}
}

type eventChecker struct {
	t        *testing.T
	src      []byte
	brackets []byte
	last     position
}

func (c *eventChecker) span(start, end int) {
	if start < 0 || start > end || end > len(c.src) {
		c.t.Fatalf("span %d:%d outside the %d bytes of the document", start, end, len(c.src))
	}
}

// pos checks that p is a position and comes no earlier than the previous one.
func (c *eventChecker) pos(p position) {
	if p.line < 1 || p.col < 1 || p.line < c.last.line || p.line == c.last.line && p.col < c.last.col {
		c.t.Fatalf("position %v after %v", p, c.last)
	}
	c.last = p
}

func (c *eventChecker) keys(key []keySeg) {
	if len(key) == 0 {
		c.t.Fatal("empty key")
	}
	for _, g := range key {
		c.pos(g.pos)
	}
}

func (c *eventChecker) blank()                  {}
func (c *eventChecker) comment(start, end int)  { c.span(start, end) }
func (c *eventChecker) trailing(start, end int) { c.span(start, end) }
func (c *eventChecker) header(key []keySeg, _ bool) {
	if len(c.brackets) > 0 {
		c.t.Fatal("header inside a value")
	}
	c.keys(key)
}
func (c *eventChecker) key(key []keySeg) {
	if n := len(c.brackets); n > 0 && c.brackets[n-1] != '{' {
		c.t.Fatal("key inside an array")
	}
	c.keys(key)
}
func (c *eventChecker) element() {
	if n := len(c.brackets); n == 0 || c.brackets[n-1] != '[' {
		c.t.Fatal("element outside an array")
	}
}
func (c *eventChecker) atom(start, end int, p position) { c.span(start, end); c.pos(p) }
func (c *eventChecker) open(b byte, start int, p position) {
	c.span(start, start+1)
	if c.src[start] != b {
		c.t.Fatalf("open %q at %q", b, c.src[start])
	}
	c.pos(p)
	c.brackets = append(c.brackets, b)
}
func (c *eventChecker) close(end int, _ bool) {
	if len(c.brackets) == 0 {
		c.t.Fatal("close without open")
	}
	c.span(0, end)
	c.brackets = c.brackets[:len(c.brackets)-1]
}

// nopBuilder ignores what the scanner reads.
type nopBuilder struct{}

func (nopBuilder) blank()                         {}
func (nopBuilder) comment(_, _ int)               {}
func (nopBuilder) trailing(_, _ int)              {}
func (nopBuilder) header(_ []keySeg, _ bool)      {}
func (nopBuilder) key(_ []keySeg)                 {}
func (nopBuilder) element()                       {}
func (nopBuilder) atom(_, _ int, _ position)      {}
func (nopBuilder) open(_ byte, _ int, _ position) {}
func (nopBuilder) close(_ int, _ bool)            {}

// lineStarts returns the offset of each line of src, after a byte-order mark.
func lineStarts(src []byte) []int {
	starts := []int{len(src) - len(stripBOM(src))}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offset converts a position, counted in characters, to a byte offset in src.
func offset(src []byte, lines []int, p position) int {
	i := lines[p.line-1]
	for col := 1; col < p.col && i < len(src); col++ {
		_, size := utf8.DecodeRune(src[i:])
		i += size
	}
	return i
}

// valueAt returns the text of the value starting at src[i], as far as the scanner reads it.
func valueAt(src []byte, i int) string {
	s := &scanner{src: src, i: i, line: 1, lineStart: i, colOff: i, col: 1, b: nopBuilder{}}
	s.value()
	return string(src[i:s.i])
}

// keyAt returns the key segment written at src[i], decoded by BurntSushi, and its text. It finds the
// end of the segment on its own, without the scanner.
func keyAt(src []byte, i int) (key, text string) {
	j := i
	switch {
	case j >= len(src):
	case src[j] == '"':
		for j++; j < len(src) && src[j] != '"'; j++ {
			if src[j] == '\\' {
				j++
			}
		}
		j++
	case src[j] == '\'':
		j++
		for j < len(src) && src[j] != '\'' {
			j++
		}
		j++
	default:
		for j < len(src) && isBare(src[j]) {
			j++
		}
	}
	text = string(src[i:min(j, len(src))])
	data, err := decode([]byte(text + " = 0"))
	if err != nil || len(data) != 1 {
		return "<not a key>", text
	}
	for k := range data {
		key = k
	}
	return key, text
}

// same compares decoded values, NaN equal to NaN (reflect.DeepEqual says it is not).
func same(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !same(v, w) {
				return false
			}
		}
		return true
	case []map[string]any:
		y, ok := b.([]map[string]any)
		return ok && slices.EqualFunc(x, y, func(v, w map[string]any) bool { return same(v, w) })
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, same)
	case float64:
		y, ok := b.(float64)
		return ok && (x == y && math.Signbit(x) == math.Signbit(y) || math.IsNaN(x) && math.IsNaN(y))
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y) && x.Location().String() == y.Location().String()
	}
	return a == b
}
