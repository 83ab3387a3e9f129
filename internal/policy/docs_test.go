package policy

import (
	"os"
	"strings"
	"testing"
)

// TestDocsShowTheBuiltinPolicy checks the built-in policy that docs/check.md prints against the one
// spof uses, comments aside: readers copy that block into a policy file, and it once lacked a
// [[rule]] line, which made it invalid TOML.
func TestDocsShowTheBuiltinPolicy(t *testing.T) {
	data, err := os.ReadFile("../../docs/check.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "### The built-in policy")
	if ok {
		_, rest, ok = strings.Cut(rest, "```toml\n")
	}
	block, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatal("docs/check.md: no ```toml block under \"### The built-in policy\"")
	}
	if want := withoutComments(DefaultText); block != want {
		t.Errorf("docs/check.md shows another built-in policy; it should read, as --print-policy without its comments:\n%s", want)
	}
}

// withoutComments drops the comment lines of a policy file and the blank lines that then start it or
// follow one another.
func withoutComments(text string) string {
	var b strings.Builder
	blank := true
	for line := range strings.Lines(text) {
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.TrimSpace(line) == "":
			if !blank {
				b.WriteString(line)
			}
			blank = true
		default:
			b.WriteString(line)
			blank = false
		}
	}
	return b.String()
}
