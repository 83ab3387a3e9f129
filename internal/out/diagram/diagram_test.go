package diagram

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

func load(t testing.TB, path string) *analysis.Result {
	return analysis.Analyze(testinv.Load(t, path), analysis.Options{MaxOrder: 1})
}

func generated(t testing.TB, n int) *analysis.Result {
	return analysis.Analyze(testinv.Generated(t, n, 1), analysis.Options{MaxOrder: 1})
}

func ids(t testing.TB, inv *model.Inventory, names ...string) []int32 {
	t.Helper()
	var out []int32
	for _, n := range names {
		i, ok := inv.Lookup(n)
		if !ok {
			t.Fatalf("no entity %q", n)
		}
		out = append(out, i)
	}
	return out
}

func nodeByID(t *testing.T, sc *Scene, id string) *Node {
	t.Helper()
	for i := range sc.Nodes {
		if sc.Nodes[i].Type == EntityNode && sc.Nodes[i].ID == id {
			return &sc.Nodes[i]
		}
	}
	t.Fatalf("no node for %s", id)
	return nil
}

// expected is what a writer must show for a name: control characters as spaces, no carriage return.
func expected(name string) string {
	name = strings.ReplaceAll(name, "\r", "")
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		return printable(r)
	}, name)
}

// TestDOTEscapesHostileNames decodes every node label of the DOT text back and compares it with the
// entity's name: markup, entities, quotes and backslashes must arrive at Graphviz as written.
func TestDOTEscapesHostileNames(t *testing.T) {
	res := load(t, "testdata/hostile.toml")
	sc, err := NewScene(res, Options{Title: `Title "x" <y> & \N`})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteDOT(&b, sc); err != nil {
		t.Fatal(err)
	}
	dot := b.String()
	if !strings.Contains(dot, `label="Title \"x\" <y> &amp; \\N"`) {
		t.Errorf("title not escaped as a DOT string:\n%s", dot)
	}
	line := regexp.MustCompile(`(?m)^    "([a-z0-9._-]+)" \[id="entity-([a-z0-9._-]+)", label=<(.*)<BR/><FONT [^>]*>([^<]*)</FONT>>, shape=`)
	found := 0
	for _, m := range line.FindAllStringSubmatch(dot, -1) {
		found++
		if m[1] != m[2] {
			t.Errorf("node %s has id entity-%s", m[1], m[2])
		}
		x, _ := res.Inv.Lookup(m[1])
		want := expected(res.Inv.Entities[x].Label())
		label := strings.ReplaceAll(m[3], "<BR/>", "\n")
		if strings.ContainsAny(label, "<>\"'") {
			t.Errorf("%s: unescaped markup in label %q", m[1], m[3])
		}
		// Long names are wrapped at single spaces: compare with line breaks read as spaces.
		got := html.UnescapeString(strings.ReplaceAll(label, `\\`, `\`))
		if strings.ReplaceAll(got, "\n", " ") != strings.ReplaceAll(want, "\n", " ") {
			t.Errorf("%s: label decodes to %q, want %q", m[1], got, want)
		}
	}
	if found != res.Inv.Len() {
		t.Errorf("found %d entity nodes, want %d:\n%s", found, res.Inv.Len(), dot)
	}
}

// mermaidCodes decodes Mermaid's entity codes (#quot; #35;) the way Mermaid does before showing a label.
var mermaidCodes = regexp.MustCompile(`#([a-z]+|[0-9]+);`)

func decodeMermaid(s string) string {
	return mermaidCodes.ReplaceAllStringFunc(s, func(c string) string {
		if c[1] >= '0' && c[1] <= '9' {
			return html.UnescapeString("&#" + c[1:])
		}
		return html.UnescapeString("&" + c[1:])
	})
}

// TestMermaidEscapesHostileNames checks that no label of the chart holds a character Mermaid would
// interpret, that decoding the entity codes gives the name back, and that no %%{directive}%% can appear.
func TestMermaidEscapesHostileNames(t *testing.T) {
	res := load(t, "testdata/hostile.toml")
	sc, err := NewScene(res, Options{Title: `Title "x" <y> & %%{init: {"theme":"dark"}}%%`})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteMermaid(&b, sc); err != nil {
		t.Fatal(err)
	}
	chart := b.String()
	if strings.Contains(chart, "%") {
		t.Errorf("a %% in the chart could open a directive:\n%s", chart)
	}
	if !strings.HasPrefix(chart, "---\ntitle: \"Title \\\"x\\\" ＜y＞ ＆ \\x25\\x25{init: {\\\"theme\\\":\\\"dark\\\"}}\\x25\\x25\"\n---\n") {
		t.Errorf("title front matter:\n%s", chart)
	}
	node := regexp.MustCompile(`(?m)^  (e[0-9]+)(?:\[\(|\(|>|\[\[|\[)"(.*)<br/><small>(.*)</small>"(?:\)\]|\)|\]|\]\])?:::[a-z]+$`)
	found := 0
	for _, m := range node.FindAllStringSubmatch(chart, -1) {
		found++
		label := m[2]
		if strings.ContainsAny(label, "\"<>&|%`\n") {
			t.Errorf("%s: label %q holds a character Mermaid interprets", m[1], label)
		}
		i, err := strconv.Atoi(m[1][1:])
		if err != nil {
			t.Fatal(err)
		}
		want := strings.ReplaceAll(expected(res.Inv.Entities[i].Label()), "\n", " ")
		if got := decodeMermaid(label); got != want {
			t.Errorf("%s: label decodes to %q, want %q", m[1], got, want)
		}
	}
	if found != res.Inv.Len() {
		t.Errorf("found %d entity nodes, want %d:\n%s", found, res.Inv.Len(), chart)
	}
}

// TestSceneFailureStates replays the incident after the post-incident actions: hostco failed, the
// support number down, the any_of of support-line held, support-line up, and the edges the failure
// travelled marked.
func TestSceneFailureStates(t *testing.T) {
	res := load(t, "../../../inventories/telephony-after")
	inv := res.Inv
	sc, err := NewScene(res, Options{Services: ids(t, inv, "support-line"), Failed: ids(t, inv, "hostco")})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]State{"hostco": Failed, "num-support": Down, "pbx": Down, "support-line": Normal, "num-support-backup": Normal} {
		if got := nodeByID(t, sc, id).State; got != want {
			t.Errorf("state of %s = %d, want %d", id, got, want)
		}
	}
	if !slices.Equal(sc.Failed, []string{"hostco"}) {
		t.Errorf("Failed = %v", sc.Failed)
	}
	var held, down int
	for i := range sc.Nodes {
		if n := &sc.Nodes[i]; n.Type == GroupNode {
			switch n.State {
			case Held:
				held++
			case Down:
				down++
			}
		}
	}
	if held != 1 || down != 1 { // support-line's any_of held, pbx's any_of of its two VMs did not
		t.Errorf("groups held %d, down %d; want 1 and 1", held, down)
	}
	for _, e := range sc.Edges {
		to := &sc.Nodes[e.To]
		if want := to.State == Failed || to.State == Down; e.Down != want {
			t.Errorf("edge %s -> %s: Down = %v, want %v", sc.Nodes[e.From].Key, to.Key, e.Down, want)
		}
	}
}

func TestSceneSPOFsAndDepth(t *testing.T) {
	res := load(t, "../../../inventories/telephony-before")
	inv := res.Inv
	support := ids(t, inv, "support-line")[0]
	sc, err := NewScene(res, Options{Services: []int32{support}})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for i := range sc.Nodes {
		if sc.Nodes[i].SPOF {
			got = append(got, sc.Nodes[i].ID)
		}
	}
	for _, x := range res.SPOFs(support) {
		want = append(want, inv.ID(x))
	}
	if !slices.Equal(got, want) {
		t.Errorf("SPOFs drawn %v, want those of support-line %v", got, want)
	}
	shallow, err := NewScene(res, Options{Services: []int32{support}, Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(shallow.Nodes) != 2 {
		t.Fatalf("depth 1 draws %d nodes, want support-line and num-support", len(shallow.Nodes))
	}
	num := ids(t, inv, "num-support")[0]
	if n := nodeByID(t, shallow, "num-support"); !strings.HasSuffix(n.Sub, fmt.Sprintf("+%d not drawn", len(inv.Deps(num)))) {
		t.Errorf("num-support sub = %q, want the count of its dependencies left out", n.Sub)
	}
}

// TestCollapse checks that collapsing keeps every dependency: each edge of the full drawing has an
// edge between the nodes its ends were merged into.
func TestCollapse(t *testing.T) {
	res := generated(t, 400)
	full, err := NewScene(res, Options{})
	if err != nil {
		t.Fatal(err)
	}
	col, err := NewScene(res, Options{Collapse: true})
	if err != nil {
		t.Fatal(err)
	}
	owner := map[string]string{} // entity ID -> node key in the collapsed scene
	collapsedVMs := 0
	for i := range col.Nodes {
		n := &col.Nodes[i]
		if n.Type == CollapsedNode {
			collapsedVMs += n.Members
			if n.Members < 2 || !strings.Contains(n.Label, " VMs") {
				t.Errorf("collapsed node %q of %d VMs", n.Label, n.Members)
			}
		}
	}
	if collapsedVMs == 0 || len(col.Nodes) >= len(full.Nodes) {
		t.Fatalf("collapse merged %d VMs: %d nodes, %d before", collapsedVMs, len(col.Nodes), len(full.Nodes))
	}
	// Map every entity to its collapsed node through the VMs' IDs: a collapsed node holds the VMs whose
	// requirements equal those of its first VM.
	inv := res.Inv
	sets := collapsible(inv, selectEntities(res, Options{}), nil)
	for first, set := range sets {
		for _, v := range set {
			owner[inv.ID(v)] = "c" + strconv.Itoa(int(first))
		}
	}
	key := func(n *Node) string {
		if n.Type == EntityNode {
			if k, ok := owner[n.ID]; ok {
				return k
			}
		}
		return n.Key
	}
	has := map[[3]string]bool{}
	for _, e := range col.Edges {
		has[[3]string{col.Nodes[e.From].Key, col.Nodes[e.To].Key, e.Label}] = true
	}
	for _, e := range full.Edges {
		from, to := &full.Nodes[e.From], &full.Nodes[e.To]
		if from.Type == GroupNode || to.Type == GroupNode {
			continue // group keys are numbered in drawing order, which collapsing changes
		}
		if k := [3]string{key(from), key(to), e.Label}; !has[k] {
			t.Errorf("edge %s -> %s (%s) lost by collapsing", from.ID, to.ID, e.Label)
		}
	}
}

func TestTooLarge(t *testing.T) {
	res := generated(t, 3000)
	for _, collapse := range []bool{false, true} {
		_, err := NewScene(res, Options{Collapse: collapse})
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.Nodes <= MaxNodes {
			t.Fatalf("collapse %v: err = %v, want a TooLargeError", collapse, err)
		}
		if hint := strings.Contains(err.Error(), "--collapse"); hint == collapse {
			t.Errorf("collapse %v: message %q", collapse, err)
		}
	}
	sc, err := NewScene(generated(t, 1000), Options{Collapse: true})
	if err != nil {
		t.Fatal(err)
	}
	if sc.EdgeLabels {
		t.Errorf("a drawing of %d nodes has edge labels", len(sc.Nodes))
	}
	var b bytes.Buffer
	var ml *MermaidTooLargeError
	if err := WriteMermaid(&b, sc); !errors.As(err, &ml) || b.Len() != 0 {
		t.Errorf("WriteMermaid of %d edges: err = %v, %d bytes written", len(sc.Edges), err, b.Len())
	}
}

func TestWrap(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"IP-PBX (Asterisk)", "IP-PBX (Asterisk)"},
		{"Cluster de virtualisation HostCo n°1", "Cluster de virtualisation\nHostCo n°1"},
		{"Base de données de la boutique (PostgreSQL/Patroni)", "Base de données de\nla boutique\n(PostgreSQL/Patroni)"},
		{"Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{"two  spaces are kept  as they are written", "two  spaces are kept  as\nthey are written"},
		{"Line one\nline two", "Line one\nline two"},
	} {
		if got := wrap(c.in, wrapWidth); got != c.want {
			t.Errorf("wrap(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestDeterministic draws the same scene twice in both formats.
func TestDeterministic(t *testing.T) {
	res := load(t, "../../../inventories/platform")
	for _, write := range []func(*bytes.Buffer, *Scene) error{
		func(b *bytes.Buffer, sc *Scene) error { return WriteDOT(b, sc) },
		func(b *bytes.Buffer, sc *Scene) error { return WriteMermaid(b, sc) },
	} {
		var out [2]bytes.Buffer
		for i := range out {
			sc, err := NewScene(res, Options{Failed: ids(t, res.Inv, "az-par-1")})
			if err != nil {
				t.Fatal(err)
			}
			if err := write(&out[i], sc); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(out[0].Bytes(), out[1].Bytes()) {
			t.Error("two drawings of the same scene differ")
		}
	}
}
