package review

import (
	"html/template"

	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/diagram"
)

// Document is a report ready to write: a title and sections made of a few generic blocks (paragraphs,
// lists, tables, figures), so that the Markdown and HTML writers render every section the same way and
// a new section needs no change to either writer.
type Document struct {
	Title string
	// Meta are the lines under the title: the inventory, its size, the date when one was given.
	Meta     []Field
	Sections []Section
	// WhatIf is the data of the HTML page's what-if panel; nil leaves the panel out.
	WhatIf *WhatIf
}

// Field is a label and its value.
type Field struct {
	Label string
	Value string
}

// Section is a titled part of the report. Top-level sections are listed in the table of contents with
// their subsections.
type Section struct {
	// ID is the section's HTML anchor, unique in the document.
	ID    string
	Title string
	// Detail follows the title in a lighter style (a service's name).
	Detail string
	// Tier, when set, is shown as a badge next to the title.
	Tier   *model.Tier
	Blocks []Block
	Subs   []Section
}

// Block is one element of a section; exactly one field is set.
type Block struct {
	Para   *Para
	List   *List
	Table  *Table
	Figure *Figure
	Stats  *Stats
	Code   *CodeBlock
}

// CodeBlock is preformatted text to copy, such as the TOML a recommendation adds to the inventory.
type CodeBlock struct {
	// Lang is the language, for Markdown's fence ("toml").
	Lang string
	Text string
}

// Para is a paragraph. Class "note" marks an aside, "lead" an introduction, "heading" a paragraph
// that titles what follows, "legend" the key to the diagrams.
type Para struct {
	Spans []Span
	Class string
}

// List is a bulleted (or numbered) list of one-paragraph items.
type List struct {
	Items   [][]Span
	Ordered bool
}

// Table is a table of cells. Numeric columns are right-aligned.
type Table struct {
	Head    []string
	Numeric []bool
	Rows    [][]Cell
	// Matrix tables shade their cells by Heat and read their first column as a header.
	Matrix bool
}

// Cell is one table cell. Heat, 0 to 4, shades matrix cells.
type Cell struct {
	Spans []Span
	Heat  int
}

// Figure is a diagram: the scene drawn, a caption, and, once RenderDiagrams ran, its SVG or the reason
// it has none.
type Figure struct {
	Scene   *diagram.Scene
	Caption []Span
	// Variants are other ways to draw the same thing, in order of preference; RenderDiagrams keeps the
	// first that fits the page (Scene and Caption are then that variant's).
	Variants []Variant
	// Width and Height are the drawing's size in SVG units once rendered; Prefix is the prefix of its
	// SVG IDs in the page.
	Width, Height float64
	Prefix        string
	// SVG is sanitised SVG markup, safe to inline.
	SVG template.HTML
	// Missing says why SVG is empty.
	Missing string
}

// Variant is one way to draw a figure, with its caption.
type Variant struct {
	Scene   *diagram.Scene
	Caption []Span
}

// Stats are headline numbers, shown as cards.
type Stats struct {
	Items []Stat
}

// Stat is one headline number.
type Stat struct {
	Value string
	Label string
	// Alert marks a number that is bad news.
	Alert bool
}

// SpanKind is how a piece of inline text is shown.
type SpanKind string

// Span kinds.
const (
	Text   SpanKind = "text"
	Code   SpanKind = "code"   // an ID or a path
	Strong SpanKind = "strong" // emphasis
	Badge  SpanKind = "badge"  // a tier; Class names it
	Muted  SpanKind = "muted"  // secondary text
	Swatch SpanKind = "swatch" // a legend entry drawn like a diagram node; Class names it
)

// Span is a piece of inline text. Href, when set, links to a section of the document ("#id").
type Span struct {
	Kind  SpanKind
	Text  string
	Href  string
	Class string
}

// txt, code, strong and badge build spans.
func txt(s string) Span    { return Span{Kind: Text, Text: s} }
func code(s string) Span   { return Span{Kind: Code, Text: s} }
func strong(s string) Span { return Span{Kind: Strong, Text: s} }
func muted(s string) Span  { return Span{Kind: Muted, Text: s} }
func badge(t model.Tier) Span {
	return Span{Kind: Badge, Text: t.String(), Class: "tier-" + t.String()}
}

func para(spans ...Span) Block { return Block{Para: &Para{Spans: spans}} }
func note(spans ...Span) Block { return Block{Para: &Para{Spans: spans, Class: "note"}} }

// heading is a paragraph that titles the blocks after it, below the level of a subsection.
func heading(text string) Block {
	return Block{Para: &Para{Spans: []Span{strong(text)}, Class: "heading"}}
}

func cell(spans ...Span) Cell { return Cell{Spans: spans} }
