package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/cli"
)

// TestReadmeExcerpt keeps the README's excerpt of spof analyze true: its lines must be lines of the
// real output, in the same order, and consecutive ones consecutive unless a "..." line between them
// says that some are left out, so that the first thing a reader sees cannot drift from what the
// tool prints.
func TestReadmeExcerpt(t *testing.T) {
	const intro = "`spof analyze inventories/telephony-before` (excerpt):"
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), intro+"\n\n```text\n")
	if !ok {
		t.Fatalf("README.md has no text block after %q", intro)
	}
	excerpt, _, ok := strings.Cut(rest, "\n```")
	if !ok {
		t.Fatal("README.md: the excerpt's block does not end")
	}

	t.Chdir("../..")
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "SOURCE_DATE_EPOCH" {
			return testEpoch
		}
		return ""
	}
	if code := cli.Main([]string{"analyze", "inventories/telephony-before"},
		cli.IOStreams{Out: &out, Err: &errOut, Getenv: getenv}); code != cli.ExitOK {
		t.Fatalf("spof analyze exited %d: %s", code, errOut.String())
	}

	lines := strings.Split(out.String(), "\n")
	at, skip := 0, true
	for want := range strings.SplitSeq(excerpt, "\n") {
		if strings.TrimSpace(want) == "..." || skip && want == "" {
			skip = true // a blank line after a gap belongs to the gap: it anchors nothing
			continue
		}
		for skip && at < len(lines) && lines[at] != want {
			at++
		}
		if at == len(lines) || lines[at] != want {
			t.Errorf("README.md's excerpt has a line that the output lacks there (a gap needs a \"...\" line):\n%s\nrun spof analyze inventories/telephony-before and update the excerpt", want)
			return
		}
		at, skip = at+1, false
	}
}
