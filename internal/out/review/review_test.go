package review

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/gen"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

func parse(t testing.TB, src string) *model.Inventory {
	t.Helper()
	inv, diags := inventory.Parse([]inventory.Source{{Name: "inv.toml", Data: []byte(src)}}, testinv.Options())
	if diags.HasErrors() {
		t.Fatalf("parse: %v", diags)
	}
	return inv
}

func load(t testing.TB, path string) *model.Inventory {
	t.Helper()
	inv, diags := inventory.Load(path, testinv.Options())
	if diags.HasErrors() {
		t.Fatalf("load %s: %v", path, diags)
	}
	return inv
}

func generated(t testing.TB, n int, seed uint64) *model.Inventory {
	t.Helper()
	return parse(t, string(genText(t, n, seed)))
}

func genText(t testing.TB, n int, seed uint64) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := gen.Generate(&b, gen.Options{Entities: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var examples = []string{"telephony-before", "telephony-after", "platform"}

func example(t testing.TB, name string) *model.Inventory {
	return load(t, "../../../inventories/"+name)
}

func idSets(inv *model.Inventory, sets [][]int32) []string {
	out := make([]string, len(sets))
	for i, s := range sets {
		ids := make([]string, len(s))
		for j, x := range s {
			ids[j] = inv.ID(x)
		}
		out[i] = strings.Join(ids, ",")
	}
	return out
}

// The report computes cut sets on the dependency closure of the services it shows: that must give
// exactly what the analysis of the whole inventory gives.
func TestClosureAnalysisIsExact(t *testing.T) {
	for seed := range uint64(3) {
		inv := generated(t, 400, seed)
		full := analysis.Analyze(inv, analysis.Options{MaxOrder: 3})
		svcs := inv.OfKind(model.Service)
		for start := 0; start < len(svcs); start += 17 {
			shown := svcs[start:min(start+5, len(svcs))]
			sub := inv.Restrict(closure(full, shown))
			subRes := analysis.Analyze(sub, analysis.Options{MaxOrder: 3})
			for i, s := range subIndexes(inv, sub, shown) {
				fullSets, _ := full.CutSets(shown[i], 0)
				subSets, _ := subRes.CutSets(s, 0)
				want, got := idSets(inv, fullSets), idSets(sub, subSets)
				if !slices.Equal(got, want) {
					t.Fatalf("seed %d: cut sets of %s on its closure = %v, want %v", seed, inv.ID(shown[i]), got, want)
				}
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, name := range examples {
		var first [2][]byte
		for run := range 2 {
			doc := Build(example(t, name), Options{Source: name})
			RenderDiagrams(doc, fakeSVG)
			var md, html bytes.Buffer
			if err := WriteMarkdown(&md, doc); err != nil {
				t.Fatal(err)
			}
			if err := WriteHTML(&html, doc); err != nil {
				t.Fatal(err)
			}
			if run == 0 {
				first = [2][]byte{md.Bytes(), html.Bytes()}
				continue
			}
			if !bytes.Equal(first[0], md.Bytes()) || !bytes.Equal(first[1], html.Bytes()) {
				t.Errorf("%s: two runs differ", name)
			}
		}
	}
}

// fakeSVG stands in for spof-render: an SVG that shows every label of the DOT text, the way Graphviz
// does, so that escaping along the DOT → SVG path is tested too.
func fakeSVG(dot []byte) ([]byte, error) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n")
	b.WriteString(`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">` + "\n")
	b.WriteString(`<svg width="300pt" height="200pt" viewBox="0 0 300 200" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">`)
	b.WriteString(`<g id="graph0" class="graph"><title>spof</title>`)
	// Labels are Graphviz HTML-like labels: markup around entity-escaped text.
	tags := regexp.MustCompile(`<[^>]*>`)
	for i, m := range regexp.MustCompile(`label=<(.*?)>, (?:shape|id|labelloc)`).FindAllSubmatch(dot, -1) {
		label := html.UnescapeString(tags.ReplaceAllString(string(m[1]), " "))
		var esc bytes.Buffer
		_ = xml.EscapeText(&esc, []byte(label))
		fmt.Fprintf(&b, `<g id="node%d" class="node"><polygon fill="#dbe9f6" stroke="#c00000" points="0,0 10,0 10,10"/><text x="5" y="%d">%s</text></g>`, i, 12*i, esc.String())
	}
	b.WriteString(`</g></svg>`)
	return []byte(b.String()), nil
}

// wellFormed parses page as XML (the HTML is written XHTML-compatible) and returns the section IDs.
func wellFormed(t *testing.T, page []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(page))
	dec.Strict = true
	var ids []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("HTML is not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "section" {
			for _, a := range se.Attr {
				if a.Name.Local == "id" {
					ids = append(ids, a.Value)
				}
			}
		}
	}
	return ids
}

var externalResource = regexp.MustCompile(`(?i)\bsrc=|@import|<link[^>]+href="(?:https?:)?//|\bfetch\(|XMLHttpRequest|\bimport\(|url\((?:[^#)]|#[^)]*[/:])`)

// scripts are the page's own two script elements: the what-if data and the inline script.
var scripts = regexp.MustCompile(`(?s)<script type="application/json" id="spof-data">([^<]*)</script>|<script>/\*<!\[CDATA\[\*/\n.*?/\*\]\]>\*/\n</script>`)

// withoutScripts checks that the page has its two scripts and no other, that the data cannot carry
// markup, and returns the page without them.
func withoutScripts(t *testing.T, page string) string {
	t.Helper()
	found := scripts.FindAllStringSubmatch(page, -1)
	rest := scripts.ReplaceAllString(page, "")
	if len(found) != 2 || strings.Contains(rest, "<script") {
		t.Errorf("the page has %d known scripts and others: %v", len(found), strings.Contains(rest, "<script"))
	}
	for _, f := range found {
		if f[1] != "" && strings.ContainsAny(f[1], "<>&") {
			t.Errorf("the what-if data holds markup characters")
		}
		if f[1] == "" && regexp.MustCompile(`\bfetch\(|XMLHttpRequest|\bimport\(|src\s*=|https?:|WebSocket|sendBeacon`).MatchString(f[0]) {
			t.Errorf("the page's script reaches outside")
		}
	}
	return rest
}

func TestHTMLWellFormedWithSections(t *testing.T) {
	for _, name := range examples {
		inv := example(t, name)
		doc := Build(inv, Options{Source: "inventories/" + name})
		if errs := RenderDiagrams(doc, fakeSVG); errs != nil {
			t.Fatal(errs)
		}
		var b bytes.Buffer
		if err := WriteHTML(&b, doc); err != nil {
			t.Fatal(err)
		}
		ids := wellFormed(t, b.Bytes())
		for _, want := range []string{"summary", "providers", "services", "couplings", "dependencies", "findings",
			"false-redundancy", "cycles", "owners", "unused", "numbers", "recommendations",
			"availability", "availability-contributors", "improve-first", "extra-nine"} {
			if !slices.Contains(ids, want) {
				t.Errorf("%s: no section %q in %v", name, want, ids)
			}
		}
		for _, s := range inv.OfKind(model.Service) {
			if e := &inv.Entities[s]; e.Tier <= model.High && !slices.Contains(ids, "s-"+e.ID) {
				t.Errorf("%s: no section for %s", name, e.ID)
			}
		}
		if m := externalResource.FindString(withoutScripts(t, b.String())); m != "" {
			t.Errorf("%s: the page loads something from outside: %q", name, m)
		}
		if n := strings.Count(b.String(), "<svg "); n == 0 {
			t.Errorf("%s: no diagram", name)
		}
	}
}

func TestWithoutRenderer(t *testing.T) {
	doc := Build(example(t, "telephony-before"), Options{})
	if errs := RenderDiagrams(doc, nil); errs != nil {
		t.Fatalf("errors without renderer: %v", errs)
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, doc); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	if strings.Contains(b.String(), "<svg") || strings.Count(b.String(), "Diagram not drawn: spof-render was not found") != 13 {
		t.Errorf("want a note in place of each of the 13 diagrams (10 services, 3 shared dependencies)")
	}

	failing := func([]byte) ([]byte, error) { return nil, errors.New("exit status 1") }
	doc = Build(example(t, "telephony-before"), Options{})
	errs := RenderDiagrams(doc, failing)
	if len(errs) != 1 || errs[0].Error() != "13 of 13 report diagrams not drawn: exit status 1" {
		t.Errorf("errors = %v, want one for all diagrams", errs)
	}
}

const hostile = `
[providers.evil]
name = "<script>alert('provider')</script> & Co"
type = "carrier"
contact = "\"quoted\" <b>bold</b>"

[numbers.num-x]
name = "Numéro « spécial » | pipe"
number = "+33 1 23 45 67 89"
carrier = "evil"
routes_to = "svc-x"
published = true

[vms.vm-a]
name = "</style><img src=x onerror=alert(1)>"
provider = "evil"
[vms.vm-b]
name = "` + "``` `code` ```" + `"
provider = "evil"

[services.svc-x]
name = "<script>alert(\"x\")</script> Sévérité & \"quotes\" 'single' # [link](http://evil) *bold* _u_ ~s~ \\ $x$"
description = "<!-- comment --> ]]> <![CDATA[ x ]]>"
owner = "Équipe <i>ops</i> & co"
tier = "critical"
runs_on = { any_of = ["vm-a", "vm-b"] }

[services.svc-y]
name = "--> ' \" < > &amp; &lt;"
tier = "high"
depends_on = "svc-x"
`

func TestHostileNamesEscaped(t *testing.T) {
	inv := parse(t, hostile)
	doc := Build(inv, Options{Source: "inv<script>.toml", Title: "Review <script>alert(1)</script> & \"co\"", Date: "<b>today</b>"})
	var md bytes.Buffer
	if err := WriteMarkdown(&md, doc); err != nil {
		t.Fatal(err)
	}
	// Outside code spans and diagrams, no character can start markup: every < [ ] is escaped. Mermaid
	// labels use entity codes, and a code span shows its text as is.
	text := regexp.MustCompile("(?s)```+mermaid.*?```+").ReplaceAllString(md.String(), "")
	for _, d := range regexp.MustCompile("(?s)```+mermaid.*?```+").FindAllString(md.String(), -1) {
		if strings.Contains(d, "<script") || strings.Contains(d, "<img") || strings.Contains(d, "``` `code`") {
			t.Errorf("diagram with unescaped label: %s", d)
		}
	}
	text = regexp.MustCompile("``[^`].*?``|`[^`]+`").ReplaceAllString(text, "")
	if m := regexp.MustCompile(`(^|[^\\])(<[a-zA-Z!/]|\]\(http|&[a-z]+;)`).FindString(text); m != "" {
		t.Errorf("Markdown has unescaped markup %q", m)
	}
	// Every table row keeps its number of columns: no name adds a cell with an unescaped bar.
	cols := 0
	for _, line := range strings.Split(md.String(), "\n") {
		if !strings.HasPrefix(line, "|") {
			cols = 0
			continue
		}
		n := len(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(line, -1))
		if cols == 0 {
			cols = n
		} else if n != cols {
			t.Errorf("table row with %d bars instead of %d: %s", n, cols, line)
		}
	}
	if !strings.Contains(md.String(), `Sévérité \& "quotes"`) {
		t.Errorf("accents or escaped characters lost")
	}

	if errs := RenderDiagrams(doc, fakeSVG); errs != nil {
		t.Fatal(errs)
	}
	var h bytes.Buffer
	if err := WriteHTML(&h, doc); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, h.Bytes())
	page := withoutScripts(t, h.String())
	for _, bad := range []string{"<script", "<img", "<b>", "<i>", "</style><", "<!-- comment", "<![CDATA["} {
		if strings.Contains(page, bad) {
			t.Errorf("HTML contains %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(", "Équipe &lt;i&gt;ops&lt;/i&gt; &amp; co", "Sévérité"} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	// The labels went through DOT and SVG and are still text.
	if !strings.Contains(page, `<text x="5"`) || !strings.Contains(page, "&lt;/style&gt;&lt;img src=x") {
		t.Errorf("diagram labels missing or unescaped")
	}
}

func TestSanitizeSVG(t *testing.T) {
	src := `<?xml version="1.0"?><!DOCTYPE svg><!-- c --><svg width="10pt" height="20pt" viewBox="0 0 10 20" onload="alert(1)" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">` +
		`<script>alert(2)</script><style>*{}</style><title>e1</title>` +
		`<g id="node1" class="node" style="x" onclick="alert(3)"><a xlink:href="javascript:alert(4)"><text fill="url(#grad)">a &lt;b&gt; &amp;</text></a></g>` +
		`<polygon fill="url(javascript:alert(5))" points="0,0"/><foreignObject><div>x</div></foreignObject><image href="http://x/y.png"/></svg>`
	got, err := sanitizeSVG([]byte(src), "d1-")
	if err != nil {
		t.Fatal(err)
	}
	want := `<svg xmlns="http://www.w3.org/2000/svg" role="img" data-prefix="d1-" width="10" style="--w:10px" height="20" viewBox="0 0 10 20">` +
		`<g id="d1-node1" class="node"><text fill="url(#d1-grad)">a &lt;b&gt; &amp;</text></g><polygon points="0,0"></polygon></svg>`
	if string(got) != want {
		t.Errorf("sanitizeSVG =\n%s\nwant\n%s", got, want)
	}
	if _, err := sanitizeSVG([]byte("<svg><g></svg>"), ""); err == nil {
		t.Error("malformed SVG accepted")
	}
	if _, err := sanitizeSVG([]byte("<html></html>"), ""); err == nil {
		t.Error("SVG without svg element accepted")
	}
}

func TestMarkdownText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"IP-PBX (Asterisk)", "IP-PBX (Asterisk)"},
		{"<script>", `\<script\>`},
		{"a|b", `a\|b`},
		{"*x* _y_ `z` [l](u) #h ~s~ !i & $m$", "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\#h \\~s\\~ \\!i \\& \\$m\\$"},
		{"two\nlines", "two lines"},
		{`back\slash`, `back\\slash`},
	} {
		if got := mdEscape(tc.in); got != tc.want {
			t.Errorf("mdEscape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"pbx-01", "`pbx-01`"},
		{"a`b", "``a`b``"},
		{"`x`", "`` `x` ``"},
	} {
		if got := mdCode(tc.in); got != tc.want {
			t.Errorf("mdCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	m := &mdWriter{used: map[string]int{}}
	for _, tc := range []struct{ in, want string }{
		{"Critical and high services", "critical-and-high-services"},
		{"svc.a_b-c", "svca_b-c"},
		{"Summary", "summary"},
		{"summary", "summary-1"},
		{"Équipe", "équipe"},
	} {
		if got := m.slug(tc.in); got != tc.want {
			t.Errorf("slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNum(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := num(n); got != want {
			t.Errorf("num(%d) = %q, want %q", n, got, want)
		}
	}
}

// A large inventory gives a report of bounded length: top-N lists, diagrams for the services shown.
func TestLargeInventoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 5,000-entity inventory")
	}
	inv := generated(t, 5000, 1)
	doc := Build(inv, Options{MaxServices: 6, Top: 5})
	var md bytes.Buffer
	if err := WriteMarkdown(&md, doc); err != nil {
		t.Fatal(err)
	}
	s := md.String()
	if n, hubs := strings.Count(s, "```mermaid"), len(doc.Sections[2].Subs); n != 6+hubs {
		t.Errorf("%d diagrams, want one per service shown (6) and per shared dependency (%d)", n, hubs)
	}
	if !regexp.MustCompile(`\d+ more critical or high services are not detailed`).MatchString(s) {
		t.Error("no count of the services left out")
	}
	if len(s) > 400_000 {
		t.Errorf("report of %d bytes for 5,000 entities", len(s))
	}
	for _, sec := range doc.Sections {
		for _, b := range sec.Blocks {
			if b.Table != nil && !b.Table.Matrix && len(b.Table.Rows) > 2*5 {
				t.Errorf("section %s: table of %d rows", sec.ID, len(b.Table.Rows))
			}
		}
	}
}
