package canonical

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/gen"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/tomldoc"
)

// check formats src and verifies what spof fmt promises: the same data, every comment kept, and a
// second run that changes nothing.
func check(t *testing.T, name string, src []byte) []byte {
	t.Helper()
	out, diags := Source(name, src)
	if diags != nil {
		t.Fatalf("%s: %v", name, diags)
	}
	before, _ := tomldoc.DecodeData(tomldoc.Source{Name: name, Data: src})
	after, d := tomldoc.DecodeData(tomldoc.Source{Name: name, Data: out})
	if d != nil || !reflect.DeepEqual(before, after) {
		t.Fatalf("%s: formatted text decodes differently (%v)", name, d)
	}
	if got, want := comments(out), comments(src); !slices.Equal(got, want) {
		t.Errorf("%s: comments changed:\n got %q\nwant %q", name, got, want)
	}
	again, diags := Source(name, out)
	if diags != nil {
		t.Fatalf("%s: second run: %v", name, diags)
	}
	if !bytes.Equal(again, out) {
		t.Errorf("%s: not idempotent:\n--- first\n%s\n--- second\n%s", name, out, again)
	}
	return out
}

// comments returns the sorted comment texts of a document (whole-line and trailing), for comparing as
// multisets. It skips '#' inside one-line strings (a '#' in a multi-line string counts on both sides).
func comments(src []byte) []string {
	var out []string
	for line := range strings.SplitSeq(string(src), "\n") {
		var quote byte
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case quote == '"' && c == '\\':
				i++
				continue
			case quote != 0 && c == quote:
				quote = 0
				continue
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
				continue
			}
			if c == '#' && quote == 0 {
				out = append(out, strings.TrimRight(line[i:], " \t\r"))
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestExamples(t *testing.T) {
	files, _ := filepath.Glob("../../inventories/*/*.toml")
	more, _ := filepath.Glob("../../inventories/*/*/*.toml")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("found %d example files", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check(t, f, src)
	}
}

func TestGenerated(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Write(dir, gen.Options{Entities: 3000, Seed: 3, Files: 9}); err != nil {
		t.Fatal(err)
	}
	srcs, diags := inventory.Read(dir)
	if diags != nil {
		t.Fatal(diags)
	}
	for _, s := range srcs {
		check(t, s.Name, s.Data)
	}
}

// TestShuffled formats generated inventories after scrambling their layout the way people write by
// hand: tables of all kinds interleaved, keys in any order, odd spacing, comment lines, trailing
// comments and blank lines anywhere. The result must hold the same data and every comment.
func TestShuffled(t *testing.T) {
	for seed := range uint64(20) {
		var b bytes.Buffer
		if _, err := gen.Generate(&b, gen.Options{Entities: 150, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		src := scramble(b.String(), rand.New(rand.NewPCG(seed, 1)))
		out := check(t, fmt.Sprintf("seed%d.toml", seed), []byte(src))
		if seed == 0 && testing.Verbose() {
			t.Logf("scrambled:\n%.3000s\nformatted:\n%.3000s", src, out)
		}
	}
}

// scramble shuffles the tables and keys of a generated document (one key per line, no multi-line
// values) and sprinkles comments, spacing and blank lines.
func scramble(src string, r *rand.Rand) string {
	var blocks [][]string
	var pre []string
	for line := range strings.SplitSeq(strings.TrimRight(src, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "["):
			blocks = append(blocks, []string{line})
		case len(blocks) == 0:
			pre = append(pre, line)
		case line == "" || strings.HasPrefix(line, "#"):
		default:
			blocks[len(blocks)-1] = append(blocks[len(blocks)-1], line)
		}
	}
	r.Shuffle(len(blocks), func(i, j int) { blocks[i], blocks[j] = blocks[j], blocks[i] })
	var b strings.Builder
	for _, l := range pre {
		b.WriteString(l + "\n")
	}
	for i, blk := range blocks {
		keys := blk[1:]
		r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		if r.IntN(3) == 0 {
			fmt.Fprintf(&b, "# about block %d\n", i)
		}
		b.WriteString(blk[0])
		if r.IntN(4) == 0 {
			fmt.Fprintf(&b, "   # header note %d", i)
		}
		b.WriteString("\n")
		for j, kv := range keys {
			if r.IntN(5) == 0 {
				fmt.Fprintf(&b, "\n# about key %d.%d\n", i, j)
			}
			if r.IntN(3) == 0 {
				kv = strings.Replace(kv, " = ", "=", 1)
			}
			if r.IntN(4) == 0 {
				kv = strings.ReplaceAll(kv, ", ", ",")
			}
			b.WriteString(kv)
			if r.IntN(6) == 0 {
				fmt.Fprintf(&b, " # trailing %d.%d", i, j)
			}
			b.WriteString("\n")
		}
		if r.IntN(5) == 0 {
			fmt.Fprintf(&b, "# end of block %d\n", i)
		}
		for range r.IntN(3) {
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestRefusesBadTOML(t *testing.T) {
	_, diags := Source("bad.toml", []byte("[services.a]\nname = \"x\nx = 1\n"))
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "bad.toml:2:") {
		t.Fatalf("got %v, want a positioned TOML error", diags)
	}
}

// BenchmarkSource formats a generated inventory of 10,000 entities in one file (decoding it twice to
// check the data, as spof fmt does).
func BenchmarkSource(b *testing.B) {
	var buf bytes.Buffer
	if _, err := gen.Generate(&buf, gen.Options{Entities: 10_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, diags := Source("bench.toml", buf.Bytes()); diags != nil {
			b.Fatal(diags)
		}
	}
}

// Incident records go after the entities they name, their keys in the order of inventory.IncidentKeys.
func TestIncidentsLast(t *testing.T) {
	src := `[incidents.i]
# who noticed
notes = "customers noticed first"
impacted = ["s"]
failed = ["p"]
ended = 2026-06-18T11:05:00+02:00
started = 2026-06-18T07:40:00+02:00
title = "outage"

[services.s]
depends_on = "p"

[providers.p]
`
	want := `[providers.p]

[services.s]
depends_on = "p"

[incidents.i]
title = "outage"
started = 2026-06-18T07:40:00+02:00
ended = 2026-06-18T11:05:00+02:00
failed = ["p"]
impacted = ["s"]
# who noticed
notes = "customers noticed first"
`
	if got := check(t, "i.toml", []byte(src)); string(got) != want {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, want)
	}
}
