package cli

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/out/diagram"
	"github.com/spofhq/spof/internal/out/review"
)

type reportOptions struct {
	path        string
	format      string
	output      string
	title       string
	date        string
	top         int
	maxServices int
	maxOrder    int
}

func newReportCmd(s *app) *cobra.Command {
	o := reportOptions{}
	cmd := &cobra.Command{
		Use:   "report PATH",
		Short: "write the platform dependency review: where the platform is exposed and what to fix first",
		Long: `Report writes the review document of the inventory at PATH, for architects to read and circulate:
a summary with the headline risks and the top recommendations, provider concentration, the shared
dependencies (described once for every service that inherits their SPOFs), each critical and high
service (its own SPOFs with their paths, tolerance, cut sets most likely first, false redundancy, a
diagram), couplings between critical services, critical dependencies, availability and SLOs (exact
availability, downtime, SLO margin, what to improve first, the rule of the extra nine), findings, and
recommendations ranked by the risk each removes, measured by re-running the analysis with the fix
applied, each with the TOML to write and the availability it gains.

Formats: md (Markdown with Mermaid diagrams, for GitHub and GitLab) and html (one self-contained file:
inline CSS, SVG diagrams that fit the page and open large on a click, a what-if panel that computes
in the page what a failure takes down, a print style; no external resource). The format defaults to
html when -o ends in .html or .htm, else md. HTML diagrams are drawn by spof-render; without it the
report is still written, with a note in place of each diagram.

The output is byte-identical for the same inventory on the same day. Only the observed downtime of
incident records depends on the day: it is counted up to the run's clock (SOURCE_DATE_EPOCH when
set), or to the end of the day --date gives, which is also printed under the title.`,
		Example: `  spof report inventories/telephony-before -o review.html
  spof report inventories/platform --format md -o REVIEW.md --title "Platform review" --date 2025-06-30`,
		Args: exactArgs(1, "PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.path = args[0]
			if err := requireValues(cmd, "output"); err != nil {
				return err
			}
			if !cmd.Flags().Changed("format") {
				o.format = defaultReportFormat(o.output)
			}
			return runReport(s, o)
		},
	}
	f := cmd.Flags()
	formatFlag(cmd, &o.format, review.Formats)
	outputFlag(cmd, &o.output)
	f.StringVar(&o.title, "title", "", "report title (default \"Dependency review: \" and the inventory's name)")
	f.StringVar(&o.date, "date", "", "the review's day, like 2026-06-30, printed under the title; observed downtime is counted to its end (default: today, unprinted)")
	f.IntVar(&o.top, "top", review.DefaultTop, "entries shown in each ranked list (0: all)")
	f.IntVar(&o.maxServices, "max-services", review.DefaultMaxServices, "critical and high services given a section of their own (0: none)")
	f.IntVar(&o.maxOrder, "max-order", review.DefaultMaxOrder, fmt.Sprintf("largest cut set searched for the services shown, 1 to %d", analysis.MaxOrder))
	return cmd
}

func defaultReportFormat(output string) string {
	switch strings.ToLower(filepath.Ext(output)) {
	case ".html", ".htm":
		return "html"
	}
	return "md"
}

func runReport(s *app, o reportOptions) error {
	write, err := lookupFormat(review.Formats, o.format)
	if err != nil {
		return err
	}
	if o.maxOrder < 1 || o.maxOrder > analysis.MaxOrder {
		return usageErrorf("--max-order must be between 1 and %d, got %d", analysis.MaxOrder, o.maxOrder)
	}
	if o.top < 0 {
		return usageErrorf("--top must be 0 (all) or more, got %d", o.top)
	}
	top := o.top
	if top == 0 {
		top = math.MaxInt32 // all: the lists are cut at 2 × top at most
	}
	if o.maxServices < 0 {
		return usageErrorf("--max-services must be 0 or more, got %d", o.maxServices)
	}
	now := s.now()
	if o.date != "" {
		day, err := time.Parse(time.DateOnly, o.date)
		if err != nil {
			return usageErrorf("--date must be a date like 2026-06-30, got %q", o.date)
		}
		now = day.AddDate(0, 0, 1) // the end of that day
	}
	inv, err := s.loadInventoryFor(o.path, o.output)
	if err != nil {
		return err
	}
	maxServices := o.maxServices
	if maxServices == 0 {
		maxServices = -1 // review.Options reads 0 as the default
	}
	p := s.progressLine()
	doc := review.Build(inv, review.Options{Title: o.title, Date: o.date, Source: o.path, MaxOrder: o.maxOrder,
		Top: top, MaxServices: maxServices, Now: now, Progress: reviewProgress{p}})
	p.phase("writing the report", 0, "")
	svg, _ := diagram.NewRenderer(s.Getenv) // nil without spof-render: the HTML form says so
	var b bytes.Buffer
	warn := func(err error) {
		s.progressLine().finish()
		fmt.Fprintf(s.Err, "spof: warning: %v\n", err)
	}
	if err := write(&b, doc, review.WriteOptions{SVG: svg, Warn: warn}); err != nil {
		return err
	}
	return writeOutput(s, o.output, b.Bytes())
}

// reviewProgress shows review.Build's phases on the progress line.
type reviewProgress struct{ p *progress }

func (r reviewProgress) Phase(what string, total int, unit string) { r.p.phase(what, total, unit) }
func (r reviewProgress) Add(n int)                                 { r.p.add(n) }
