package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsTranscripts runs every "$ spof ..." transcript of README.md and docs/*.md, from the
// repository's root, and checks that the output shown is the output spof gives: the lines shown in
// the same order, a "…" line standing for lines left out. Transcripts that drifted from the program
// showed readers output it no longer gives.
func TestDocsTranscripts(t *testing.T) {
	docs, _ := filepath.Glob("../../docs/*.md")
	docs = append(docs, "../../README.md")
	t.Chdir("../..")
	n := 0
	for _, doc := range docs {
		doc = strings.TrimPrefix(doc, "../../")
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range transcripts(string(data)) {
			n++
			t.Run(doc+": "+strings.Join(tr.args, " "), func(t *testing.T) {
				var out, errs strings.Builder
				Main(tr.args[1:], IOStreams{Out: &out, Err: &errs, Getenv: func(k string) string {
					if k == "SOURCE_DATE_EPOCH" {
						return "1795597200" // as the testscripts: 2026-11-25
					}
					return ""
				}})
				got := strings.Split(strings.TrimRight(out.String()+errs.String(), "\n"), "\n")
				if at, ok := shown(tr.want, got); !ok {
					t.Errorf("%s shows output that spof no longer gives, from %q on:\n%s\n\nspof gives:\n%s",
						doc, tr.want[at], strings.Join(tr.want, "\n"), strings.Join(got, "\n"))
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no transcript found: the test reads nothing")
	}
}

type transcript struct {
	args []string
	want []string
}

// transcripts returns the "$ spof" commands of text's fenced blocks, each with the lines after it, up
// to the next command or the block's end.
func transcripts(text string) []transcript {
	var out []transcript
	in, open := false, false // in a fenced block; in a transcript of it
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, " \n")
		switch {
		case strings.HasPrefix(line, "```"):
			in, open = !in, false
		case !in:
		case strings.HasPrefix(line, "$ spof "):
			out = append(out, transcript{args: strings.Fields(line[2:])})
			open = true
		case strings.HasPrefix(line, "$ "):
			open = false // another program's transcript: not checked
		case open:
			tr := &out[len(out)-1]
			tr.want = append(tr.want, line)
		}
	}
	for i := range out {
		for len(out[i].want) > 0 && out[i].want[len(out[i].want)-1] == "" {
			out[i].want = out[i].want[:len(out[i].want)-1]
		}
	}
	return out
}

// shown reports whether want is got with some runs of lines replaced by "…" lines, else the index in
// want of the first line it cannot place.
func shown(want, got []string) (int, bool) {
	g := 0
	gap := false // a "…" came before: the next lines may start further on
	for w := 0; w < len(want); {
		if want[w] == "…" {
			gap = true
			w++
			continue
		}
		end := w
		for end < len(want) && want[end] != "…" {
			end++
		}
		run := want[w:end]
		found := -1
		for start := g; start+len(run) <= len(got); start++ {
			if equalLines(run, got[start:start+len(run)]) {
				found = start
				break
			}
			if !gap {
				break
			}
		}
		if found < 0 {
			return w, false
		}
		g, w, gap = found+len(run), end, false
	}
	return len(want) - 1, gap || g == len(got) // without a closing "…", the output ends there
}

func equalLines(a, b []string) bool {
	for i := range a {
		if a[i] != strings.TrimRight(b[i], " ") {
			return false
		}
	}
	return true
}
