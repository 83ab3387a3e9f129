// Package svg renders DOT text to SVG in-process with go-graphviz (Graphviz compiled to WebAssembly).
//
// It is imported only by cmd/spof-render: go-graphviz compiles its WebAssembly module when the program
// starts, which costs about a second the first time, and every spof command would pay it.
package svg

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/goccy/go-graphviz"
)

// Render lays out the DOT graph dot with the dot engine and writes it to w as SVG. It is not safe to
// call concurrently: the Graphviz runtime is a single WebAssembly instance.
func Render(ctx context.Context, dot []byte, w io.Writer) error {
	g, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("start graphviz: %w", err)
	}
	defer g.Close()
	graph, err := graphviz.ParseBytes(dot)
	if err != nil {
		return fmt.Errorf("parse DOT: %w", err)
	}
	defer graph.Close()
	// Render into memory first: a layout error must not leave half an SVG on w.
	var buf bytes.Buffer
	if err := g.Render(ctx, graph, graphviz.SVG, &buf); err != nil {
		return fmt.Errorf("render SVG: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
