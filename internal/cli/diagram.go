package cli

import (
	"bytes"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/out/diagram"
	"github.com/spofhq/spof/internal/safefile"
)

type diagramOptions struct {
	path     string
	services []string
	fail     []string
	depth    int
	format   string
	output   string
	title    string
	collapse bool
	labels   string
}

// edgeLabelModes are the values of --edge-labels.
var edgeLabelModes = map[string]diagram.LabelMode{"auto": diagram.LabelsAuto, "on": diagram.LabelsOn, "off": diagram.LabelsOff}

func newDiagramCmd(s *app) *cobra.Command {
	o := diagramOptions{}
	cmd := &cobra.Command{
		Use:   "diagram PATH",
		Short: "draw the platform, or a service and what it depends on",
		Long: `Diagram draws the inventory at PATH: the whole platform, or with --service the services and
everything they depend on (limited to --depth steps). Each kind of entity has its shape and colour,
requirement groups appear as junctions ("any of", "2 of 3") so redundancy is visible, SPOFs of the drawn
services are outlined in red, and with --fail the failed entities and everything that went down are
filled in red, redundancy that held in amber, and the edges the failure travelled drawn red. Edges
are labelled with their reference key (runs_on, provider…) in drawings of at most 150 nodes; above,
labels would double the layout time and clutter the drawing, and SVG shows the key on hover
(--edge-labels on|off overrides).

Formats: dot (Graphviz text), svg (rendered in-process by spof-render, no dot binary needed) and
mermaid (a flowchart GitHub and GitLab render in Markdown). Drawings above 1,500 nodes are refused:
draw part of the platform with --service, or draw the VMs that share a host (same requirements) as
one node with --collapse. Mermaid charts are also refused above Mermaid's own limits (500 edges,
50,000 characters), which GitHub and GitLab keep.`,
		Example: `  spof diagram inventories/telephony-before --service support-line --format svg -o support.svg
  spof diagram inventories/telephony-before --service support-line --fail hostco --format mermaid
  spof diagram inventories/platform --collapse --format svg -o platform.svg`,
		Args: exactArgs(1, "PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.path = args[0]
			if err := requireValues(cmd, "output"); err != nil {
				return err
			}
			return runDiagram(s, o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.services, "service", nil, "draw these services and what they depend on (repeat or comma-separate)")
	f.IntVar(&o.depth, "depth", 0, "with --service, draw at most this many dependency steps (0: all)")
	f.StringSliceVar(&o.fail, "fail", nil, "show the outage these entities cause (repeat or comma-separate)")
	formatFlag(cmd, &o.format, diagram.Formats)
	outputFlag(cmd, &o.output)
	f.StringVar(&o.title, "title", "", "title drawn above the diagram")
	f.StringVar(&o.labels, "edge-labels", "auto", "label edges with their reference key: auto (drawings of at most 150 nodes), on or off")
	f.BoolVar(&o.collapse, "collapse", false, "draw the VMs with the same host and requirements as one node with their count")
	return cmd
}

func runDiagram(s *app, o diagramOptions) error {
	write, err := lookupFormat(diagram.Formats, o.format)
	if err != nil {
		return err
	}
	labels, ok := edgeLabelModes[o.labels]
	if !ok {
		return usageErrorf("--edge-labels must be auto, on or off, got %q", o.labels)
	}
	if o.depth < 0 {
		return usageErrorf("--depth must be 0 or more, got %d", o.depth)
	}
	if o.depth > 0 && len(o.services) == 0 {
		return usageErrorf("--depth counts steps from the services of --service: say which services to draw")
	}
	inv, err := s.loadInventoryFor(o.path, o.output)
	if err != nil {
		return err
	}
	opts := diagram.Options{Depth: o.depth, Title: o.title, Collapse: o.collapse, EdgeLabels: labels}
	if len(o.services) > 0 {
		if opts.Services, err = lookupIDs(inv, o.services, "--service"); err != nil {
			return err
		}
	}
	if opts.Failed, err = lookupIDs(inv, o.fail, "--fail"); err != nil {
		return err
	}
	s.progressLine().phase("analysing", 0, "")
	res := analysis.AnalyzeSPOFs(inv)
	sc, err := diagram.NewScene(res, opts)
	if err != nil {
		var tl *diagram.TooLargeError
		if errors.As(err, &tl) {
			return usageErrorf("%v", err)
		}
		return err
	}
	var b bytes.Buffer
	svg, _ := diagram.NewRenderer(s.Getenv) // nil without spof-render: the svg format says so
	if err := write(&b, sc, svg); err != nil {
		var tl *diagram.MermaidTooLargeError
		if errors.As(err, &tl) || errors.Is(err, diagram.ErrNoRenderer) {
			return usageErrorf("%v", err)
		}
		return err
	}
	return writeOutput(s, o.output, b.Bytes())
}

// writeOutput writes data to the file path atomically, or to standard output when path is "" or "-".
func writeOutput(s *app, path string, data []byte) error {
	return streamOutput(s, path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// outputFlag adds -o FILE to cmd, which streamOutput or writeOutput then write atomically.
func outputFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVarP(p, "output", "o", "", "write to this file instead of standard output")
}

// streamOutput is writeOutput for an output written as it is made, by write: a file still appears
// whole or not at all, and standard output receives the bytes as they come, as analyze's do. The
// progress line says so while it lasts (a check with whole paths on a long chain writes gigabytes),
// unless the output goes to the terminal it would be drawn on.
func streamOutput(s *app, path string, write func(w io.Writer) error) error {
	return streamOutputWhile(s, path, "writing", 0, "", write)
}

// streamOutputWhile is streamOutput for a write that waits for work still under way: the progress
// line says what ("computing availability and writing"), counting total units when total > 0.
func streamOutputWhile(s *app, path, what string, total int, unit string, write func(w io.Writer) error) error {
	p := s.progressLine()
	if path == "" || path == "-" {
		if s.OutTTY {
			p.finish()
		} else {
			p.phase(what, total, unit)
		}
		return write(s.Out)
	}
	p.phase(what+" "+path, total, unit)
	return safefile.WriteFile(path, write)
}
