package tomldoc

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// TestParseTree checks what the tree holds: comments attached to what they describe, keys decoded,
// values canonical when written on one line and kept as written otherwise.
func TestParseTree(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		want *Tree
	}{
		{"empty", "", &Tree{}},
		{"comments only", "\n# a\n\n\n# b\n\n", &Tree{Preamble: []string{"# a", "", "# b"}}},
		{
			name: "preamble, top-level keys and footer",
			doc:  "#:schema ./s.json\n# about the file\n\n# about x\nx = 1 # one\n\n\n# y\ny=2\n# the end\n",
			want: &Tree{
				Preamble: []string{"#:schema ./s.json", "# about the file"},
				Top: []*Entry{
					{Comments: []string{"# about x"}, Key: []string{"x"}, Value: "1", Trailing: "# one"},
					{Blank: true, Comments: []string{"# y"}, Key: []string{"y"}, Value: "2"},
				},
				Footer: []string{"# the end"},
			},
		},
		{
			name: "a banner after the description goes with the first table",
			doc:  "# file\n\n# banner\n\n# about a\n[a] # header\nk = 'v'   \n",
			want: &Tree{
				Preamble: []string{"# file"},
				Tables: []*Table{{
					Comments: []string{"# banner", "", "# about a"}, Path: []string{"a"}, Trailing: "# header",
					Entries: []*Entry{{Key: []string{"k"}, Value: "'v'"}},
				}},
			},
		},
		{
			name: "a block under the last key and a blank line stays with its table",
			doc:  "[a]\nk = 1\n# end of a\n\n# about b\n[[b]]\n[[b]]\n# no blank line: about c\n[c]\n",
			want: &Tree{Tables: []*Table{
				{Path: []string{"a"}, Entries: []*Entry{{Key: []string{"k"}, Value: "1"}}, Footer: []string{"# end of a"}},
				{Comments: []string{"# about b"}, Path: []string{"b"}, Array: true},
				{Path: []string{"b"}, Array: true},
				{Comments: []string{"# no blank line: about c"}, Path: []string{"c"}},
			}},
		},
		{
			name: "keys decoded",
			doc:  "[\"vms\" . 'a b'.\"\\u00e9\\e\"]\n\"q\\\"\".'lit\\n' . bare-1 = true\n",
			want: &Tree{Tables: []*Table{{
				Path:    []string{"vms", "a b", "é\x1b"},
				Entries: []*Entry{{Key: []string{`q"`, `lit\n`, "bare-1"}, Value: "true"}},
			}}},
		},
		{
			name: "one-line values made canonical",
			doc: "a=[1,2 ,3,]\nb = {x=1,'y z'.w=[ ],}\nc = [ { all_of = [\"a\",'b'] } , [] ]\nd = { }\n" +
				"e = [\"\"\"multi\nline\"\"\",'''x''']\n",
			want: &Tree{Top: []*Entry{
				{Key: []string{"a"}, Value: "[1, 2, 3]"},
				{Key: []string{"b"}, Value: `{ x = 1, "y z".w = [] }`},
				{Key: []string{"c"}, Value: `[{ all_of = ["a", 'b'] }, []]`},
				{Key: []string{"d"}, Value: "{}"},
				{Key: []string{"e"}, Value: "[\"\"\"multi\nline\"\"\", '''x''']"},
			}},
		},
		{
			name: "scalars and strings kept as written",
			doc: "a = 1_000\nb = +inf\nc = 0x1F\nd = 1979-05-27 07:32:00Z\ne = 07:32\n" +
				"f = \"\\u00e9 # not a comment\"\ng = '''\n[not.a.table]\n'''\nh = \"\"\"a\"\"\"\"\"\n",
			want: &Tree{Top: []*Entry{
				{Key: []string{"a"}, Value: "1_000"},
				{Key: []string{"b"}, Value: "+inf"},
				{Key: []string{"c"}, Value: "0x1F"},
				{Key: []string{"d"}, Value: "1979-05-27 07:32:00Z"},
				{Key: []string{"e"}, Value: "07:32"},
				{Key: []string{"f"}, Value: `"\u00e9 # not a comment"`},
				{Key: []string{"g"}, Value: "'''\n[not.a.table]\n'''"},
				{Key: []string{"h"}, Value: `"""a"""""`},
			}},
		},
		{
			name: "values on several lines kept as written, with their comments",
			doc:  "a = [\n  \"x\", # why\n  \"y\",\n] # after\nb = { k = 1,\n  l = [2] }\n",
			want: &Tree{Top: []*Entry{
				{Key: []string{"a"}, Value: "[\n  \"x\", # why\n  \"y\",\n]", Trailing: "# after"},
				{Key: []string{"b"}, Value: "{ k = 1,\n  l = [2] }"},
			}},
		},
		{
			name: "CRLF and a byte-order mark",
			doc:  "\ufeff# c\r\n\r\n[a] # t\r\nk = [\r\n 1\r\n]\r\n",
			want: &Tree{
				Preamble: []string{"# c"},
				Tables: []*Table{{Path: []string{"a"}, Trailing: "# t", Entries: []*Entry{
					{Key: []string{"k"}, Value: "[\r\n 1\r\n]"},
				}}},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mustDecode(t, c.doc)
			got, err := parseTree([]byte(c.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got\n%s\nwant\n%s", dump(got), dump(c.want))
			}
		})
	}
}

func mustDecode(t *testing.T, doc string) map[string]any {
	t.Helper()
	var m map[string]any
	if _, err := toml.Decode(doc, &m); err != nil {
		t.Fatalf("not TOML: %v", err)
	}
	return m
}

// dump prints a tree's fields for a failure message.
func dump(tr *Tree) string {
	var b strings.Builder
	entries := func(es []*Entry) {
		for _, e := range es {
			fmt.Fprintf(&b, "  blank=%v comments=%q key=%q value=%q trailing=%q\n", e.Blank, e.Comments, e.Key, e.Value, e.Trailing)
		}
	}
	fmt.Fprintf(&b, "preamble=%q footer=%q\n", tr.Preamble, tr.Footer)
	entries(tr.Top)
	for _, t := range tr.Tables {
		fmt.Fprintf(&b, "table path=%q array=%v comments=%q trailing=%q footer=%q\n", t.Path, t.Array, t.Comments, t.Trailing, t.Footer)
		entries(t.Entries)
	}
	return b.String()
}

// TestBytes checks the canonical layout Bytes prints, and that printing a parsed tree again changes
// nothing.
func TestBytes(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"spacing", "a=1\n[ t . \"u v\" ]   # x\nk  =  'v'#y\n", "a = 1\n\n[t.\"u v\"] # x\nk = 'v' #y\n"},
		{"blank lines inside a table dropped, but kept above a commented key",
			"[t]\na = 1\n\nb = 2\n\n# about c\nc = 3\n\n\n[u]\n", "[t]\na = 1\nb = 2\n\n# about c\nc = 3\n\n[u]\n"},
		{"preamble then top-level keys", "# doc\n\nx = 1\n", "# doc\n\nx = 1\n"},
		{"footer of a document without tables", "x = 1\n# end\n", "x = 1\n# end\n"},
		{"arrays of tables", "[[a]]\nx=1\n[[a]]\n", "[[a]]\nx = 1\n\n[[a]]\n"},
		{"keys quoted only when needed", "\"bare\" = 1\n'a.b' = 2\n\"\" = 3\n", "bare = 1\n\"a.b\" = 2\n\"\" = 3\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := mustDecode(t, c.in)
			tr, err := parseTree([]byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			got := tr.Bytes()
			if string(got) != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
			if after := mustDecode(t, string(got)); !reflect.DeepEqual(before, after) {
				t.Errorf("data changed: %v, then %v", before, after)
			}
			again, err := parseTree(got)
			if err != nil || string(again.Bytes()) != string(got) {
				t.Errorf("not stable: %v\n%s", err, again.Bytes())
			}
		})
	}
}

func TestSort(t *testing.T) {
	tr, err := parseTree([]byte("[b.1]\nz = 1\ny = 2\n[a.1]\nz = 1\nx.p = 1\ny = 2\nx.q = 2\n[b.2]\n[c]\n"))
	if err != nil {
		t.Fatal(err)
	}
	tr.SortTables(func(t *Table) int { return int(t.Path[0][0]) })
	tr.SortEntries(func(t *Table, e *Entry) int {
		if t.Path[0] == "c" {
			return 0
		}
		return int(e.Name()[0])
	})
	const want = "[a.1]\nx.p = 1\nx.q = 2\ny = 2\nz = 1\n\n[b.1]\ny = 2\nz = 1\n\n[b.2]\n\n[c]\n"
	if got := string(tr.Bytes()); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestEdit(t *testing.T) {
	tr, err := parseTree([]byte("[vms.a]\n# the name\nname = \"A\" # keep\nhost.any_of = [\"h\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := tr.Tables[0]
	cases := []struct {
		name string
		got  any
		want any
	}{
		{"Get a plain key", a.Get("name") == a.Entries[0], true},
		{"Get does not see dotted keys", a.Get("host"), (*Entry)(nil)},
		{"Has sees dotted keys", a.Has("host"), true},
		{"Has a missing key", a.Has("site"), false},
	}
	for _, c := range cases {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	a.Set("name", Quote("B"))
	a.Set("site", Quote("s"))
	tr.AddTable("vms", "new id").Set("tags", QuoteAll([]string{"x", "y"}))
	const want = "[vms.a]\n# the name\nname = \"B\" # keep\nhost.any_of = [\"h\"]\nsite = \"s\"\n\n" +
		"[vms.\"new id\"]\ntags = [\"x\", \"y\"]\n"
	if got := string(tr.Bytes()); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestQuote(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", `""`},
		{"plain é 日本", `"plain é 日本"`},
		{"q\"b\\", `"q\"b\\"`},
		{"\n\t\r", `"\n\t\r"`},
		{"\x00\x1b\x7f", `"\u0000\u001B\u007F"`},
	}
	for _, c := range cases {
		got := Quote(c.in)
		if got != c.want {
			t.Errorf("Quote(%q) = %s, want %s", c.in, got, c.want)
		}
		var v struct{ X string }
		if _, err := toml.Decode("x = "+got, &v); err != nil || v.X != c.in {
			t.Errorf("Quote(%q) = %s decodes to %q, %v", c.in, got, v.X, err)
		}
	}
	if got := QuoteAll([]string{"a", "b\"c"}); got != `["a", "b\"c"]` {
		t.Errorf("QuoteAll = %s", got)
	}
	if got := QuoteAll(nil); got != "[]" {
		t.Errorf("QuoteAll(nil) = %s", got)
	}
	if got := FormatKey([]string{"services", "web shop", "a-1_B", "", "é"}); got != `services."web shop".a-1_B.""."é"` {
		t.Errorf("FormatKey = %s", got)
	}
}

// TestParseTreeDecodes checks that ParseTree hands back the decoded values with the tree, and
// reports a syntax error as Decode does.
func TestParseTreeDecodes(t *testing.T) {
	tr, data, diags := ParseTree(Source{Name: "f.toml", Data: []byte("[a]\nb = [1, 2]\n")})
	if diags != nil || len(tr.Tables) != 1 || !reflect.DeepEqual(data, map[string]any{"a": map[string]any{"b": []any{int64(1), int64(2)}}}) {
		t.Errorf("got %v, %v, %v", tr, data, diags)
	}
	_, _, diags = ParseTree(Source{Name: "f.toml", Data: []byte("[a]\nb = \"é\" x\n")})
	if got := diags.Error(); !strings.HasPrefix(got, "f.toml:2:9: error: invalid TOML: ") {
		t.Errorf("got %q, want the syntax error at 2:9 (the x)", got)
	}
}
