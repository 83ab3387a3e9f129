// Package out holds what the output packages under it share. Each of them (analyze, simulate,
// diagram, review, check) writes one command's output and exports its Formats: the one list of format
// names that the command's --format flag validates, describes in its help and completes in shells, so
// that the command line never switches on a format name.
package out

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spofhq/spof/internal/diag"
)

// Format is one way to write an output: its name as --format takes it, what it is for, and what
// writes it.
type Format[W any] struct {
	Name  string
	Doc   string
	Write W
}

// Formats is an output's formats, the default first.
type Formats[W any] []Format[W]

// Names returns the format names, the default first.
func (fs Formats[W]) Names() []string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return names
}

// Lookup returns the writer of the named format, or an error that lists the formats there are.
func (fs Formats[W]) Lookup(name string) (W, error) {
	for _, f := range fs {
		if f.Name == name {
			return f.Write, nil
		}
	}
	var zero W
	return zero, fmt.Errorf("unknown format %q: want one of %s%s", name, strings.Join(fs.Names(), ", "), diag.DidYouMean(name, fs.Names()))
}

// Usage is the help of a --format flag: "output format: text or json".
func (fs Formats[W]) Usage() string {
	names := fs.Names()
	list := names[0]
	if n := len(names); n > 1 {
		list = strings.Join(names[:n-1], ", ") + " or " + names[n-1]
	}
	return "output format: " + list
}

// Help describes every format, one per line, for a command's long help.
func (fs Formats[W]) Help() string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %-9s %s\n", f.Name, f.Doc)
	}
	return b.String()
}

// WriteJSON writes v as indented JSON with a final newline; HTML characters stay readable.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
