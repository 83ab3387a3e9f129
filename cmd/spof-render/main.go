// Command spof-render turns DOT text on standard input into SVG on standard output, with Graphviz
// running in-process (go-graphviz, WebAssembly): no dot binary is needed.
//
// spof runs it for `spof diagram --format svg` and for the diagrams of `spof report --format html`. It
// is a separate program because go-graphviz compiles its WebAssembly module at start-up, which would
// add up to a second to every spof command. spof looks for it in $SPOF_RENDER, next to its own
// executable, then on $PATH; install both with
//
//	go install github.com/spofhq/spof/cmd/...@latest
//
// go-graphviz caches its compiled module in $TMPDIR/go-graphviz. spof runs spof-render with TMPDIR
// set to the user's cache folder (~/.cache/spof), so that the users of a machine do not share it;
// run by hand, give it TMPDIR the same way.
//
// Exit status: 0 on success, 1 when the input cannot be laid out, 2 on usage errors.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spofhq/spof/internal/out/diagram/svg"
)

func main() {
	if len(os.Args) > 1 {
		fmt.Fprintln(os.Stderr, "usage: spof-render < graph.dot > graph.svg")
		os.Exit(2)
	}
	dot, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "spof-render: read standard input: %v\n", err)
		os.Exit(1)
	}
	if err := svg.Render(context.Background(), dot, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "spof-render: %v\n", err)
		os.Exit(1)
	}
}
