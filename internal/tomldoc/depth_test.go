package tomldoc

import (
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/diag"
)

// nestedTables returns `a = { b = { b = … 1 … } }` with n inline tables, each inside an array as
// groups are: `a = { b = [{ b = [ … ] }] }`.
func nestedTables(n int) string {
	return "a = " + strings.Repeat("{ b = [", n) + "1" + strings.Repeat("] }", n) + "\n"
}

// TestDepthLimits checks that documents nested too deep are refused before they are decoded, with an
// error at the first key or table past the limit, and that the limits themselves are accepted.
func TestDepthLimits(t *testing.T) {
	dotted := func(n int) string {
		segs := make([]string, n)
		for i := range segs {
			segs[i] = "k"
		}
		return strings.Join(segs, ".")
	}
	groups := Limits{Tables: 3, Noun: "groups"}
	cases := []struct {
		name, doc string
		limits    Limits
		want      string // "" for no error
	}{
		{"dotted key at the limit", dotted(MaxKeyDepth) + " = 1\n", Limits{}, ""},
		{"dotted key past it", dotted(MaxKeyDepth+1) + " = 1\n", Limits{},
			"f.toml:1:201: invalid TOML: a key path 101 deep (table, dotted key and inline tables); at most 100"},
		{"header and key", "[" + dotted(MaxKeyDepth-1) + "]\nx.y = 1\n", Limits{},
			"f.toml:2:3: invalid TOML: a key path 101 deep (table, dotted key and inline tables); at most 100"},
		{"inline tables", nestedTables(MaxKeyDepth + 5), Limits{},
			"f.toml:1:700: invalid TOML: a key path 106 deep (table, dotted key and inline tables); at most 100"},
		{"tables at the caller's limit", nestedTables(3), groups, ""},
		{"tables past it", nestedTables(5), groups, "f.toml:1:26: groups nested 5 deep; at most 3"},
		{"the default noun", nestedTables(5), Limits{Tables: 3}, "f.toml:1:26: inline tables nested 5 deep; at most 3"},
		{"beyond the scanner's bound", nestedTables(2 * maxDepth), groups,
			"f.toml:1:26: groups nested 1000 deep or more; at most 3"},
		{"deep arrays cost nothing", "a = " + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + "\n", groups, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, diags := DecodeWithin(Source{Name: "f.toml", Data: []byte(c.doc)}, c.limits)
			got := ""
			if len(diags) > 0 {
				got = diags[0].Pos.String() + ": " + diags[0].Summary
			}
			if len(diags) > 1 || got != c.want {
				t.Errorf("got %q (%d errors); want %q", got, len(diags), c.want)
			}
		})
	}
}

// TestDepthLimitBeforeDecoding checks that DecodeData, which spof fmt and the importers use, refuses a
// deep document too, and that the refusal is the depth's: 100,000 nested tables would take the
// decoder tens of gigabytes.
func TestDepthLimitBeforeDecoding(t *testing.T) {
	_, diags := DecodeData(Source{Name: "f.toml", Data: []byte(nestedTables(100_000))})
	if len(diags) != 1 || !strings.Contains(diags[0].Summary, "a key path 1001 deep or more") {
		t.Fatalf("got %v; want the key depth's error", diags)
	}
	if want := (diag.Pos{File: "f.toml", Line: 1, Col: 700}); diags[0].Pos != want {
		t.Errorf("at %v, want %v", diags[0].Pos, want)
	}
}
