package tomldoc

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/spofhq/spof/internal/gen"
)

// want is one expected lookup: what (key, value or nearest) at path gives a position, or nothing if line
// is 0.
type want struct {
	what      string
	path      []string
	line, col int
}

func k(line, col int, path ...string) want { return want{"key", path, line, col} }
func v(line, col int, path ...string) want { return want{"value", path, line, col} }
func n(line, col int, path ...string) want { return want{"nearest", path, line, col} }

// Columns below were counted by hand (in code points) against the documents; comments give the anchor.
var posCases = []struct {
	name  string
	doc   string
	wants []want
}{
	{
		name: "bare quoted and dotted keys, comments",
		doc: "# comment = 1\n" +
			"title = \"x\" # trailing\n" +
			"a.b = 1\n" +
			"\"a.c\" = 2\n" +
			"site.\"x.y\".z = true\n",
		wants: []want{
			k(2, 1, "title"), v(2, 9, "title"),
			k(3, 1, "a"), k(3, 3, "a", "b"), v(3, 7, "a", "b"),
			v(0, 0, "a"), // a dotted-key table has no value
			n(3, 1, "a"), n(3, 7, "a", "b", "nope"),
			k(4, 1, "a.c"), v(4, 9, "a.c"), k(0, 0, "a", "c"),
			k(5, 1, "site"), k(5, 6, "site", "x.y"), k(5, 12, "site", "x.y", "z"), v(5, 16, "site", "x.y", "z"),
			k(0, 0, "comment"), n(0, 0, "nothing", "here"),
		},
	},
	{
		name: "tables and arrays of tables",
		doc: "[services.app]\n" + // 1
			"name = \"App\"\n" + // 2
			"\n" +
			"[services.db]\n" + // 4
			"name = \"DB\"\n" +
			"\n" +
			"[[waiver]]\n" + // 7
			"rule = \"r1\"\n" +
			"\n" +
			"[[waiver]]\n" + // 10
			"  rule = 'r2'\n" + // 11
			"[[waiver.note]]\n" + // 12
			"text = \"n\"\n" + // 13
			"[waiver.meta]\n" + // 14
			"k = 1\n", // 15
		wants: []want{
			k(1, 2, "services"), k(1, 11, "services", "app"), v(0, 0, "services", "app"),
			k(2, 1, "services", "app", "name"), v(2, 8, "services", "app", "name"),
			k(4, 11, "services", "db"), k(5, 1, "services", "db", "name"),
			k(7, 3, "waiver"), k(7, 3, "waiver", "0"), v(0, 0, "waiver"),
			k(8, 1, "waiver", "0", "rule"), v(8, 8, "waiver", "0", "rule"),
			k(10, 3, "waiver", "1"), k(11, 3, "waiver", "1", "rule"), v(11, 10, "waiver", "1", "rule"),
			k(0, 0, "waiver", "2"), k(0, 0, "waiver", "rule"),
			k(12, 10, "waiver", "1", "note"), k(12, 10, "waiver", "1", "note", "0"),
			k(13, 1, "waiver", "1", "note", "0", "text"), v(13, 8, "waiver", "1", "note", "0", "text"),
			k(14, 9, "waiver", "1", "meta"), k(15, 1, "waiver", "1", "meta", "k"),
			n(11, 10, "waiver", "1", "rule", "deeper"),
			n(1, 11, "services", "app", "missing"),
			n(10, 3, "waiver", "1", "missing"),
			n(7, 3, "waiver", "9"),
		},
	},
	{
		name: "package documentation example",
		doc: "[[waiver]]\n" +
			"rule = \"x\"\n" +
			"[[waiver]]\n" +
			"rule = \"y\"\n" +
			"targets = [\"a\", { any_of = [\"b\", \"c\"] }]\n",
		wants: []want{
			k(4, 1, "waiver", "1", "rule"), v(5, 34, "waiver", "1", "targets", "1", "any_of", "1"),
			v(0, 0, "waiver", "1", "targets", "01"),
		},
	},
	{
		name: "nested arrays of tables",
		doc: "[[a]]\n" + // 1
			"x = 1\n" +
			"[[a.b]]\n" + // 3
			"y = 1\n" +
			"[[a.b]]\n" + // 5
			"y = 2\n" +
			"[[a]]\n" + // 7
			"[[ a . b ]]\n" + // 8
			"y = 3\n" + // 9
			"[a.c]\n" + // 10
			"z = 4\n",
		wants: []want{
			k(2, 1, "a", "0", "x"), k(3, 5, "a", "0", "b"), k(3, 5, "a", "0", "b", "0"),
			k(4, 1, "a", "0", "b", "0", "y"), k(5, 5, "a", "0", "b", "1"), k(6, 1, "a", "0", "b", "1", "y"),
			k(7, 3, "a", "1"), k(8, 8, "a", "1", "b"), k(8, 8, "a", "1", "b", "0"),
			k(9, 1, "a", "1", "b", "0", "y"), v(9, 5, "a", "1", "b", "0", "y"),
			k(0, 0, "a", "1", "b", "1"),
			k(10, 4, "a", "1", "c"), k(11, 1, "a", "1", "c", "z"),
		},
	},
	{
		name: "inline tables in arrays in inline tables",
		doc: "[services.app]\n" +
			"depends_on = [\"x\", { at_least = 2, of = [\"a\", { any_of = [\"b\",\"c\"] }] }]\n" +
			"runs_on = { any_of = [\"dc-01\", \"dc-02\"] }\n" +
			"pt = {x=1,y={z=[{}]}}\n",
		wants: []want{
			k(2, 1, "services", "app", "depends_on"), v(2, 14, "services", "app", "depends_on"),
			v(2, 15, "services", "app", "depends_on", "0"), v(2, 20, "services", "app", "depends_on", "1"),
			k(0, 0, "services", "app", "depends_on", "1"),
			k(2, 22, "services", "app", "depends_on", "1", "at_least"),
			v(2, 33, "services", "app", "depends_on", "1", "at_least"),
			k(2, 36, "services", "app", "depends_on", "1", "of"),
			v(2, 41, "services", "app", "depends_on", "1", "of"),
			v(2, 42, "services", "app", "depends_on", "1", "of", "0"),
			v(2, 47, "services", "app", "depends_on", "1", "of", "1"),
			k(2, 49, "services", "app", "depends_on", "1", "of", "1", "any_of"),
			v(2, 58, "services", "app", "depends_on", "1", "of", "1", "any_of"),
			v(2, 59, "services", "app", "depends_on", "1", "of", "1", "any_of", "0"),
			v(2, 63, "services", "app", "depends_on", "1", "of", "1", "any_of", "1"),
			v(0, 0, "services", "app", "depends_on", "1", "of", "1", "any_of", "2"),
			v(0, 0, "services", "app", "depends_on", "2"),
			n(2, 63, "services", "app", "depends_on", "1", "of", "1", "any_of", "1", "x"),
			n(2, 14, "services", "app", "depends_on", "7"),
			k(3, 13, "services", "app", "runs_on", "any_of"), v(3, 32, "services", "app", "runs_on", "any_of", "1"),
			k(4, 14, "services", "app", "pt", "y", "z"), v(4, 17, "services", "app", "pt", "y", "z", "0"),
			v(4, 13, "services", "app", "pt", "y"),
		},
	},
	{
		name: "strings",
		doc: "a = \"\"\"\n" + // 1
			"line \"one\" \"\"quoted\"\"\n" +
			"\\\"\"\"still\"\"\"\n" + // 3: \""" does not close
			"b = '''x\n" + // 4
			"y'''\n" +
			"c = \"\"\"q\"\"\"\"\"\n" + // 6: closes with five quotes
			"d = \"esc \\\" \\\\\" # \"\n" + // 7
			"e = 'C:\\'\n" + // 8: no escapes in literal strings
			"f = \"\"\"\\\n" + // 9: line-ending backslash
			"   g = 1 \\\n" +
			"  \"\"\"\n" +
			"h = ''''x'''' # quotes inside\n" + // 12
			"i = \"\"\n" + // 13
			"j = ''\n",
		wants: []want{
			k(1, 1, "a"), v(1, 5, "a"), k(0, 0, "still"),
			k(4, 1, "b"), v(4, 5, "b"), k(6, 1, "c"), v(6, 5, "c"),
			k(7, 1, "d"), v(7, 5, "d"), k(8, 1, "e"), v(8, 5, "e"),
			k(9, 1, "f"), k(0, 0, "g"), k(12, 1, "h"), k(13, 1, "i"), v(13, 5, "i"), k(14, 1, "j"),
		},
	},
	{
		name: "multi-line arrays with trailing commas and comments",
		doc: "runs_on = [\n" +
			"  \"a\", # first ]\n" +
			"  # comment ] with bracket, and \"quote\n" +
			"  \"b\",\n" +
			"]\n" +
			"x = [ [1, 2], [3, [4]] , ]\n" + // 6
			"empty = [ ]\n" +
			"ml = [\"\"\"\n" + // 8
			"]\"\"\", '''\n" +
			"''', 5]\n" + // 10
			"after = 1\n",
		wants: []want{
			v(1, 11, "runs_on"), v(2, 3, "runs_on", "0"), v(4, 3, "runs_on", "1"), v(0, 0, "runs_on", "2"),
			k(6, 1, "x"), v(6, 5, "x"), v(6, 7, "x", "0"), v(6, 11, "x", "0", "1"),
			v(6, 15, "x", "1"), v(6, 16, "x", "1", "0"), v(6, 19, "x", "1", "1"), v(6, 20, "x", "1", "1", "0"),
			v(7, 9, "empty"), v(0, 0, "empty", "0"),
			v(8, 7, "ml", "0"), v(9, 7, "ml", "1"), v(10, 6, "ml", "2"), k(11, 1, "after"),
		},
	},
	{
		name: "numbers bools and dates",
		doc: "i = +1_000\n" +
			"f = -3.14e+10\n" +
			"h = 0xDEAD_beef\n" +
			"n = nan\n" +
			"inf = -inf\n" +
			"t = true\n" +
			"odt = 1979-05-27 07:32:00Z # space-separated\n" + // 7
			"ld = 1979-05-27\n" +
			"lt = 07:32:00.999\n" +
			"arr = [1979-05-27 07:32:00-07:00, 1979-05-27T00:32:00.999999,false, 07:32]\n" + // 10
			"z = 0\n",
		wants: []want{
			v(1, 5, "i"), v(2, 5, "f"), v(3, 5, "h"), v(4, 5, "n"), v(5, 7, "inf"), v(6, 5, "t"),
			v(7, 7, "odt"), v(8, 6, "ld"), v(9, 6, "lt"),
			v(10, 8, "arr", "0"), v(10, 35, "arr", "1"), v(10, 62, "arr", "2"), v(10, 69, "arr", "3"),
			k(11, 1, "z"), v(11, 5, "z"),
		},
	},
	{
		name: "CRLF line endings",
		doc:  "a = 1\r\nb = \"x\"\r\n[t]\r\nc = [\r\n 1,\r\n 2\r\n]\r\nd = \"\"\"\r\n\r\n\"\"\"\r\ne = 1\r\n",
		wants: []want{
			k(2, 1, "b"), v(2, 5, "b"), k(3, 2, "t"), v(4, 5, "t", "c"), v(6, 2, "t", "c", "1"),
			k(8, 1, "t", "d"), k(11, 1, "t", "e"),
		},
	},
	{
		name: "BOM and non-ASCII",
		doc: "\ufeffnom = \"été\" # ç\n" +
			"\"clé ü\".sub = \"ñ\"\n" +
			"x = { \"日本\" = \"語\", y = 1 }\n" +
			"[\"Équipe\".\"ü\"]\n" +
			"w = \"😀😀\"; # not TOML after the string, but the value is indexed\n",
		wants: []want{
			k(1, 1, "nom"), v(1, 7, "nom"),
			k(2, 1, "clé ü"), k(2, 9, "clé ü", "sub"), v(2, 15, "clé ü", "sub"),
			k(3, 7, "x", "日本"), v(3, 14, "x", "日本"), k(3, 19, "x", "y"), v(3, 23, "x", "y"),
			k(4, 2, "Équipe"), k(4, 11, "Équipe", "ü"),
			v(5, 5, "Équipe", "ü", "w"),
		},
	},
	{
		name: "escapes in quoted keys",
		doc: "\"a\\tb\" = 1\n" +
			"\"\\u00e9\\U0001F600\" = 2\n" +
			"\"\\x41\\e\" = 3\n" +
			"'lit\\n' = 4\n" +
			"\"q\\\"\\\\\" = 5\n" +
			"\"\" = 6\n" +
			"t = { '' = 7 }\n",
		wants: []want{
			k(1, 1, "a\tb"), v(1, 10, "a\tb"), k(2, 1, "é😀"), k(3, 1, "A\x1b"), k(4, 1, `lit\n`),
			k(5, 1, `q"\`), k(6, 1, ""), v(6, 6, ""), k(7, 7, "t", ""), v(7, 12, "t", ""),
		},
	},
	{
		name: "TOML 1.1 multi-line inline tables",
		doc: "a = {\n" +
			"  b = 1, # c\n" +
			"  c.d = [ { e = 1 }, ],\n" +
			"  # done\n" +
			"}\n" +
			"f = 2\n",
		wants: []want{
			v(1, 5, "a"), k(2, 3, "a", "b"), k(3, 3, "a", "c"), k(3, 5, "a", "c", "d"),
			v(3, 11, "a", "c", "d", "0"), k(3, 13, "a", "c", "d", "0", "e"), k(6, 1, "f"),
		},
	},
	{
		name: "whitespace and tabs",
		doc: "\tk\t=\t1\n" +
			"[ a . \"b\" ]\n" +
			"  x . y  =  1\n" +
			"[\ta\t]\n",
		wants: []want{
			k(1, 2, "k"), v(1, 6, "k"), k(2, 3, "a"), k(2, 7, "a", "b"), k(3, 3, "a", "b", "x"),
			k(3, 7, "a", "b", "x", "y"), v(3, 13, "a", "b", "x", "y"),
		},
	},
	{
		name: "first header wins",
		doc:  "[a.b]\nc=1\n[a]\nd=2\n",
		wants: []want{
			k(1, 2, "a"), k(1, 4, "a", "b"), k(4, 1, "a", "d"), v(4, 3, "a", "d"),
		},
	},
	{
		name:  "empty and comment-only",
		doc:   "\n# only a comment\n\n",
		wants: []want{k(0, 0, "only"), n(0, 0, "only")},
	},
	{
		name: "stops at an unterminated array",
		doc:  "a = 1\nb = [1, 2\nc = 3\n",
		wants: []want{
			k(1, 1, "a"), v(2, 9, "b", "1"), k(0, 0, "c"),
		},
	},
	{
		name:  "stops at an unterminated string",
		doc:   "a = 1\nx = \"open\ny = 2\n",
		wants: []want{k(1, 1, "a"), v(2, 5, "x"), k(0, 0, "y")},
	},
	{
		name:  "stops at two key-values on one line",
		doc:   "a = 1 b = 2\nc = 3\n",
		wants: []want{k(1, 1, "a"), k(0, 0, "b"), k(0, 0, "c")},
	},
}

func TestPositions(t *testing.T) {
	for _, tc := range posCases {
		t.Run(tc.name, func(t *testing.T) {
			ix := buildIndex([]byte(tc.doc))
			for _, w := range tc.wants {
				var got position
				var ok bool
				switch w.what {
				case "key":
					got, ok = ix.key(w.path...)
				case "value":
					got, ok = ix.value(w.path...)
				case "nearest":
					got, ok = ix.nearest(w.path...)
				}
				if w.line == 0 {
					if ok {
						t.Errorf("%s(%q) = %v, want nothing", w.what, w.path, got)
					}
					continue
				}
				if wantPos := (position{w.line, w.col}); !ok || got != wantPos {
					t.Errorf("%s(%q) = %v, %v; want %v", w.what, w.path, got, ok, wantPos)
				}
			}
		})
	}
}

func TestNil(t *testing.T) {
	var ix *index
	if _, ok := ix.key("a"); ok {
		t.Error("nil index found a key")
	}
	if _, ok := ix.nearest("a"); ok {
		t.Error("nil index found a prefix")
	}
	if _, ok := buildIndex(nil).value(); ok {
		t.Error("empty path found")
	}
}

// TestDepthLimit checks that hostile nesting is cut off rather than overflowing the stack, which Go
// cannot recover from.
func TestDepthLimit(t *testing.T) {
	doc := "a = " + strings.Repeat("[", 1_000_000)
	ix := buildIndex([]byte(doc))
	if _, ok := ix.value("a"); !ok {
		t.Error("outermost value not indexed")
	}
	doc = "ok = 1\na = " + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + "\nb = 2\n"
	ix = buildIndex([]byte(doc))
	if _, ok := ix.key("b"); !ok {
		t.Error("nesting at the limit stopped the scan")
	}
}

// TestLongLines checks columns far into long lines and lines far into long documents, where a
// scanner that recounted from the start of the line or of the document would be quadratic.
func TestLongLines(t *testing.T) {
	const n = 1 << 16
	ix := buildIndex([]byte("a = [" + strings.Repeat("1,", n) + "]\n"))
	for _, k := range []int{0, 1, n / 2, n - 1} {
		if p, ok := ix.value("a", strconv.Itoa(k)); !ok || p != (position{1, 6 + 2*k}) {
			t.Errorf("Value(a, %d) = %v, %v; want {1 %d}", k, p, ok, 6+2*k)
		}
	}
	if _, ok := ix.value("a", strconv.Itoa(n)); ok {
		t.Errorf("Value(a, %d) found past the end", n)
	}
	for _, bad := range []string{"01", "-1", "+1", "1e3", "", "99999999999"} {
		if _, ok := ix.value("a", bad); ok {
			t.Errorf("Value(a, %q) found: only canonical indexes address elements", bad)
		}
	}

	ix = buildIndex([]byte("a = {" + strings.Repeat("\"é\".", n) + "z = \"é\"}\n"))
	path := append([]string{"a"}, slices.Repeat([]string{"é"}, n)...)
	if p, ok := ix.key(append(path, "z")...); !ok || p != (position{1, 6 + 4*n}) {
		t.Errorf("deep dotted key at %v, %v; want {1 %d}", p, ok, 6+4*n)
	}

	ix = buildIndex([]byte(strings.Repeat("[[w]]\nk = 1 # é\n", n)))
	if p, ok := ix.value("w", strconv.Itoa(n-1), "k"); !ok || p != (position{2 * n, 5}) {
		t.Errorf("last entry's value at %v, %v; want {%d 5}", p, ok, 2*n)
	}
}

// propertyDocs are varied valid documents for the MetaData property.
var propertyDocs = []string{
	`
# inventory-like
[providers.ovh]
name = "OVH"
sla = 0.999

[sites.hq]
name = "Siège"
provider = "ovh"

[components.dc-01]
type = "server"
site = "hq"
tags = ["ad", "dns",]

[services.app]
runs_on = { any_of = ["dc-01", "dc-02"] }
depends_on = ["x", { at_least = 2, of = ["a", { any_of = ["b","c"] }] }]

[[waiver]]
rule = "spof"
target = "app"
[[waiver]]
rule = "cycle"
[[waiver.scope]]
in = ["a"]
`,
	"a.b.c = 1\nx.\"y.z\".'w' = 2\n[t]\np.q = { r.s = 3, u = [ {v = 1}, [ {w = 2} ] ] }\n",
	"[[a]]\n[[a.b]]\nc = 1\n[a.b.d]\ne = 2\n[[a]]\n[[a.b]]\n[a.b.d]\ne = 3\n[[a.f]]\n",
	"s = '''\n[not.a.table]\nk = 1\n'''\nt = \"\"\"\n[[nor]]\n\"\"\"\n[real]\nk = 1\n",
	"\ufeff\"é\" = 1\r\n[\"ü\".\"日本\"]\r\nk = \"v\" # c\r\n",
	"x = {\n  a = 1,\n  # comment\n  b = { c = [\n    1, # one\n    2,\n  ] },\n}\n",
	"dt = 1979-05-27 07:32:00Z\narr = [1979-05-27 07:32:00, 1979-05-27]\nt = 07:32\nn = [inf, -nan, 0o17, 0b1]\n",
	"\"\" = 1\n'x' . \"\" = 2\n[\"y\".\"\"]\na = 3\n",
	"[a]\n[a.b.c]\n[a.b]\nd = 1\n[[x.y]]\n[x]\nz = 1\n",
}

// TestMetaDataKeys checks that every key BurntSushi reports has a position whose text is that key,
// on hand-written documents, the checked-in inventories and a generated inventory.
func TestMetaDataKeys(t *testing.T) {
	for i, doc := range propertyDocs {
		t.Run(strconv.Itoa(i), func(t *testing.T) { checkMetaData(t, []byte(doc), true) })
	}
	var files []string
	filepath.WalkDir("../../inventories", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".toml") {
			files = append(files, path)
		}
		return nil
	})
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			checkMetaData(t, src, true)
		})
	}
	t.Run("generated", func(t *testing.T) {
		checkMetaData(t, generated(t, 3000), true)
	})
}

func generated(tb testing.TB, entities int) []byte {
	var b bytes.Buffer
	if _, err := gen.Generate(&b, gen.Options{Entities: entities, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// checkMetaData decodes src and, if BurntSushi accepts it (or must, when mustDecode), checks every
// MetaData key against the index: it must have a key position showing that key, and a leaf (or
// array) value a value position showing the start of a value.
func checkMetaData(t testing.TB, src []byte, mustDecode bool) {
	var v any
	md, err := toml.Decode(string(src), &v)
	if err != nil {
		if mustDecode {
			t.Fatalf("decode: %v", err)
		}
		return
	}
	ix := buildIndex(src)
	lines := splitLines(src)
	seen := map[string]bool{}
	for _, key := range md.Keys() {
		if t.Failed() && len(seen) > 50 {
			return // enough to go on; a systematic failure would print thousands
		}
		// Keys repeats a key once per array-of-tables entry, and resolve already finds them all.
		id := fmt.Sprintf("%q", []string(key))
		if seen[id] {
			continue
		}
		seen[id] = true
		paths := resolve(ix, key)
		if len(paths) == 0 {
			t.Errorf("MetaData key %q has no Key position", []string(key))
			continue
		}
		for _, p := range paths {
			kp, _ := ix.key(p...)
			seg := key[len(key)-1]
			if at := textAt(lines, kp); !strings.HasPrefix(at, seg) || seg == "" {
				if !strings.HasPrefix(at, `"`) && !strings.HasPrefix(at, `'`) {
					t.Errorf("Key(%q) = %v shows %q, not %q", p, kp, at, seg)
				}
			}
			// Tables have no value position unless inline; which they are is not in MetaData, so check
			// only the rest. (MetaData.Type can't be used: it mixes up a table and its "" key.)
			switch val, _ := decodedAt(v, p); val.(type) {
			case map[string]any, []map[string]any:
				continue
			}
			vp, ok := ix.value(p...)
			if !ok {
				t.Errorf("%q has no Value position", p)
				continue
			}
			if at := textAt(lines, vp); at == "" || !strings.ContainsRune(`"'[{+-0123456789tfin`, rune(at[0])) {
				t.Errorf("Value(%q) = %v shows %q, not a value", p, vp, at)
			}
		}
	}
}

// decodedAt walks a value decoded by BurntSushi along an indexed path.
func decodedAt(v any, path []string) (any, bool) {
	for _, seg := range path {
		switch c := v.(type) {
		case map[string]any:
			v = c[seg]
		case []map[string]any:
			k, err := strconv.Atoi(seg)
			if err != nil || k < 0 || k >= len(c) {
				return nil, false
			}
			v = c[k]
		case []any:
			k, err := strconv.Atoi(seg)
			if err != nil || k < 0 || k >= len(c) {
				return nil, false
			}
			v = c[k]
		default:
			return nil, false
		}
	}
	return v, true
}

// resolve finds the indexed paths that a MetaData key (which leaves array indexes out) stands for,
// trying every array index that is indexed between its segments. It looks inside the index to tell
// an array index from a key spelt like one: in `[[a]]` then `[[a.0]]`, the table "0" is a/0/0.
func resolve(ix *index, key toml.Key) [][]string {
	// element reports whether node i is an element of an array or an entry of an array of tables.
	element := func(i uint32) bool {
		return ix.nodes[ix.nodes[i].parent].kind != plain
	}
	frontier := [][]string{nil}
	for _, seg := range key {
		// Close the frontier under "followed by an array index".
		for i := 0; i < len(frontier); i++ {
			for n := 0; ; n++ {
				p := append(append([]string(nil), frontier[i]...), strconv.Itoa(n))
				if nd := ix.find(p); nd == 0 || !element(nd) {
					break
				}
				frontier = append(frontier, p)
			}
		}
		var next [][]string
		for _, f := range frontier {
			p := append(append([]string(nil), f...), seg)
			if nd := ix.find(p); nd != 0 && !element(nd) {
				next = append(next, p)
			}
		}
		frontier = next
		if len(frontier) == 0 {
			return nil
		}
	}
	return frontier
}

func splitLines(src []byte) []string {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	return strings.Split(string(src), "\n")
}

// textAt returns the rest of the line from p, counting columns in code points as position does.
func textAt(lines []string, p position) string {
	if p.line < 1 || p.line > len(lines) {
		return ""
	}
	line := lines[p.line-1]
	for col := 1; col < p.col && line != ""; col++ {
		_, size := utf8.DecodeRuneInString(line)
		line = line[size:]
	}
	return line
}

// mixedDoc is an inventory-shaped document of at least size bytes that mixes what internal/gen does
// not write: arrays of tables, multi-line strings, comments, trailing commas, non-ASCII.
func mixedDoc(size int) []byte {
	var b bytes.Buffer
	for n := 0; b.Len() < size; n += 2 {
		fmt.Fprintf(&b, "# component %d\n[components.srv-%06d]\ntype = \"server\"\nsite = \"site-%d\"\n"+
			"name = \"Serveur n°%d — équipe réseau\"\ntags = [\"prod\", \"linux\", ]\navailability = 0.9995\n\n",
			n, n, n%50, n)
		fmt.Fprintf(&b, "[services.svc-%06d]\nruns_on = { any_of = [\"srv-%06d\", \"srv-%06d\"] }\n"+
			"depends_on = [\"svc-%06d\", { at_least = 2, of = [\"a\", \"b\", \"c\"] }]\nowner = \"ops\"\n\n",
			n, n, n+1, n/2)
		if n%10 == 0 {
			fmt.Fprintf(&b, "[[waiver]]\nrule = \"spof\"\ntarget = \"svc-%06d\"\nreason = \"\"\"\naccepted\n\"\"\"\n\n", n)
		}
	}
	return b.Bytes()
}

func TestMixedDoc(t *testing.T) {
	checkMetaData(t, mixedDoc(300_000), true)
}

// BenchmarkScan indexes a generated inventory of about 5 MB (38,000 entities).
func BenchmarkScan(b *testing.B) {
	benchmarkIndex(b, generated(b, 38_000))
}

// BenchmarkScan100k indexes a generated 100k-entity inventory (about 14 MB), the size spof is built for.
func BenchmarkScan100k(b *testing.B) {
	benchmarkIndex(b, generated(b, 100_000))
}

// BenchmarkScanMixed indexes a 5 MB document with arrays of tables, multi-line strings and non-ASCII.
func BenchmarkScanMixed(b *testing.B) {
	benchmarkIndex(b, mixedDoc(5<<20))
}

func benchmarkIndex(b *testing.B, doc []byte) {
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		buildIndex(doc)
	}
}
