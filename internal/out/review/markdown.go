package review

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/spofhq/spof/internal/out"
	"github.com/spofhq/spof/internal/out/diagram"
)

// WriteOptions are what writing a review needs from its surroundings.
type WriteOptions struct {
	// SVG draws the diagrams of the HTML form; nil when spof-render is missing.
	SVG diagram.Renderer
	// Warn receives what the reader of the command should know: diagrams that could not be drawn.
	Warn func(error)
}

// Writer writes a review document in one format.
type Writer func(w io.Writer, doc *Document, o WriteOptions) error

// Formats are the formats of spof report, Markdown first.
var Formats = out.Formats[Writer]{
	{Name: "md", Doc: "Markdown with Mermaid diagrams, for GitHub and GitLab", Write: func(w io.Writer, doc *Document, _ WriteOptions) error {
		return WriteMarkdown(w, doc)
	}},
	{Name: "html", Doc: "one self-contained, printable page with SVG diagrams", Write: writeHTML},
}

// writeHTML draws the diagrams, warns of those it could not draw, and writes the page.
func writeHTML(w io.Writer, doc *Document, o WriteOptions) error {
	warn := o.Warn
	if warn == nil {
		warn = func(error) {}
	}
	if o.SVG == nil {
		warn(fmt.Errorf("HTML report written without diagrams: %w", diagram.ErrNoRenderer))
	}
	for _, err := range RenderDiagrams(doc, o.SVG) {
		warn(err)
	}
	return WriteHTML(w, doc)
}

// WriteMarkdown writes doc as GitHub-flavoured Markdown, which GitHub and GitLab render with its
// tables, its table of contents (links to the headings' generated anchors) and its diagrams (Mermaid
// blocks). Every inventory-supplied string is escaped, so no name can add markup.
func WriteMarkdown(w io.Writer, doc *Document) error {
	m := &mdWriter{slugs: map[string]string{}, used: map[string]int{}}
	m.slug(doc.Title)
	m.slug("Contents")
	for _, s := range doc.Sections {
		m.assign(s)
	}
	b := &m.b
	fmt.Fprintf(b, "# %s\n\n", mdEscape(doc.Title))
	var meta []string
	for _, f := range doc.Meta {
		v := mdEscape(f.Value)
		if f.Label == "Inventory" {
			v = mdCode(f.Value)
		}
		meta = append(meta, mdEscape(f.Label)+": "+v)
	}
	if len(meta) > 0 {
		b.WriteString(strings.Join(meta, " · ") + "\n\n")
	}
	b.WriteString("## Contents\n\n")
	for _, s := range doc.Sections {
		fmt.Fprintf(b, "- [%s](#%s)\n", mdEscape(s.Title), m.slugs[s.ID])
		for _, sub := range s.Subs {
			fmt.Fprintf(b, "  - [%s](#%s)", mdEscape(sub.Title), m.slugs[sub.ID])
			if sub.Detail != "" {
				b.WriteString(" — " + mdEscape(sub.Detail))
			}
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	for _, s := range doc.Sections {
		m.section(s, 2)
	}
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	if err == nil {
		err = m.err
	}
	return err
}

type mdWriter struct {
	b     strings.Builder
	slugs map[string]string // section ID → Markdown anchor
	used  map[string]int
	err   error
}

// assign gives s and its subsections the anchors GitHub generates for their headings.
func (m *mdWriter) assign(s Section) {
	m.slugs[s.ID] = m.slug(s.Title)
	for _, sub := range s.Subs {
		m.assign(sub)
	}
}

// slug returns the anchor GitHub (and, for these headings, GitLab) derives from a heading: lower case,
// punctuation dropped, spaces as hyphens, "-1", "-2"… on repeats.
func (m *mdWriter) slug(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	s := b.String()
	n := m.used[s]
	m.used[s] = n + 1
	if n > 0 {
		s += "-" + strconv.Itoa(n)
	}
	return s
}

func (m *mdWriter) section(s Section, level int) {
	b := &m.b
	fmt.Fprintf(b, "%s %s\n\n", strings.Repeat("#", level), mdEscape(s.Title))
	if s.Detail != "" || s.Tier != nil {
		var parts []string
		if s.Detail != "" {
			parts = append(parts, "**"+mdEscape(s.Detail)+"**")
		}
		if s.Tier != nil {
			parts = append(parts, m.spans([]Span{badge(*s.Tier)}))
		}
		b.WriteString(strings.Join(parts, " · ") + "\n\n")
	}
	for _, bl := range s.Blocks {
		m.block(bl)
	}
	for _, sub := range s.Subs {
		m.section(sub, level+1)
	}
}

func (m *mdWriter) block(bl Block) {
	b := &m.b
	switch {
	case bl.Para != nil:
		text := m.spans(bl.Para.Spans)
		if bl.Para.Class == "note" {
			text = "*" + strings.TrimSpace(text) + "*"
		}
		b.WriteString(text + "\n\n")
	case bl.List != nil:
		for i, item := range bl.List.Items {
			marker := "-"
			if bl.List.Ordered {
				marker = strconv.Itoa(i+1) + "."
			}
			fmt.Fprintf(b, "%s %s\n", marker, m.spans(item))
		}
		b.WriteByte('\n')
	case bl.Table != nil:
		m.table(bl.Table)
	case bl.Stats != nil:
		for _, st := range bl.Stats.Items {
			fmt.Fprintf(b, "- **%s** %s\n", mdEscape(st.Value), mdEscape(st.Label))
		}
		b.WriteByte('\n')
	case bl.Figure != nil:
		m.figure(bl.Figure)
	case bl.Code != nil:
		fence := mdFence(bl.Code.Text)
		fmt.Fprintf(b, "%s%s\n%s\n%s\n\n", fence, bl.Code.Lang, bl.Code.Text, fence)
	}
}

func (m *mdWriter) table(t *Table) {
	b := &m.b
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			if c == "" {
				c = " "
			}
			b.WriteString(" " + c + " |")
		}
		b.WriteByte('\n')
	}
	head := make([]string, len(t.Head))
	rule := make([]string, len(t.Head))
	for i, h := range t.Head {
		head[i] = mdEscape(h)
		rule[i] = "---"
		if i < len(t.Numeric) && t.Numeric[i] {
			rule[i] = "--:"
		}
	}
	row(head)
	row(rule)
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = m.spans(c.Spans)
			if c.Heat >= 3 {
				cells[i] = "**" + cells[i] + "**"
			}
		}
		row(cells)
	}
	b.WriteByte('\n')
}

func (m *mdWriter) figure(f *Figure) {
	var d strings.Builder
	if err := diagram.WriteMermaid(&d, f.Scene); err != nil && m.err == nil {
		m.err = err
	}
	fence := mdFence(d.String())
	fmt.Fprintf(&m.b, "%smermaid\n%s%s\n\n", fence, d.String(), fence)
	if len(f.Caption) > 0 {
		m.b.WriteString("*" + strings.TrimSpace(m.spans(f.Caption)) + "*\n\n")
	}
}

// spans renders inline text. Links point to the Markdown anchors of the sections they name.
func (m *mdWriter) spans(ss []Span) string {
	var b strings.Builder
	for _, s := range ss {
		var t string
		switch s.Kind {
		case Code:
			t = mdCode(s.Text)
		case Strong:
			t = wrapEmphasis(mdEscape(s.Text), "**")
		case Muted:
			t = wrapEmphasis(mdEscape(s.Text), "*")
		case Badge:
			t = mdEscape(s.Text)
			if s.Class == "tier-critical" || s.Class == "tier-high" {
				t = "**" + t + "**"
			}
		default:
			t = mdEscape(s.Text)
		}
		if s.Href != "" {
			if slug, ok := m.slugs[strings.TrimPrefix(s.Href, "#")]; ok {
				t = "[" + t + "](#" + slug + ")"
			}
		}
		b.WriteString(t)
	}
	return b.String()
}

// wrapEmphasis puts markers around the text but outside its surrounding spaces, where they would not
// count as emphasis.
func wrapEmphasis(s, marker string) string {
	core := strings.TrimSpace(s)
	if core == "" {
		return s
	}
	i := strings.Index(s, core)
	return s[:i] + marker + core + marker + s[i+len(core):]
}

// mdEscape makes s plain text in Markdown: characters Markdown or HTML would read as markup are
// backslash-escaped (a GFM table also reads \| as a literal bar), & cannot start an entity, and line
// breaks become spaces.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~', '&', '!', '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCodeReplacer is built once: a replacer builds its tables on first use, which cost more than the
// short strings it replaces (a third of a report's Markdown writing on a chain of 2,000 critical
// services).
var mdCodeReplacer = strings.NewReplacer("\n", " ", "\r", " ", "|", "¦")

// mdCode returns s as a code span, with a delimiter longer than any run of backticks in s.
func mdCode(s string) string {
	s = mdCodeReplacer.Replace(s)
	delim := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return delim + s + delim
}

// mdFence returns a code fence longer than any run of backticks in s.
func mdFence(s string) string {
	return strings.Repeat("`", max(3, longestRun(s, '`')+1))
}

func longestRun(s string, c rune) int {
	best, n := 0, 0
	for _, r := range s {
		if r == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
