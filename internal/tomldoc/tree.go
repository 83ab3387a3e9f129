package tomldoc

import (
	"fmt"
	"strings"

	"github.com/spofhq/spof/internal/diag"
)

// Tree is a TOML document as written: its tables and key/value entries with their comments and the
// text of their values, for edits that keep the comments (a decoder drops them, and an inventory's
// comments are often its most valuable lines). Bytes prints it in one canonical layout.
//
// Comments are attached to what they describe: a comment block to the table header or key right below
// it, a comment at the end of a line to that line. A comment block at the top of the file followed by a
// blank line is the file's preamble and stays first; a block at the end of a table's keys followed by a
// blank line stays at the end of that table.
//
// The layout: `key = value` with single spaces; arrays as ["a", "b"] and inline tables as { k = v } when
// they are written on one line; values written over several lines, and strings, kept as written; no
// blank line inside a table (except one above a commented key that had one); one blank line between
// tables.
type Tree struct {
	// Preamble is the comment block at the top of the file, blank lines included ("" is a blank line).
	Preamble []string
	// Top are the key/values before the first table header.
	Top []*Entry
	// Tables are the tables in order.
	Tables []*Table
	// Footer is the comment block after the last key of a document without tables.
	Footer []string
}

// Table is a table header and the keys under it.
type Table struct {
	// Comments are the comment lines above the header; "" is a kept blank line between paragraphs.
	Comments []string
	// Path is the header's key, decoded: [services."web shop"] is ["services", "web shop"].
	Path []string
	// Array is true for an array-of-tables header, [[...]].
	Array bool
	// Trailing is the comment at the end of the header line, with its '#'.
	Trailing string
	Entries  []*Entry
	// Footer is a comment block after the last key that was separated from the next header by a blank
	// line: it belongs to this table.
	Footer []string
}

// Entry is one key = value line (or lines).
type Entry struct {
	// Blank is true when a blank line separated the entry's comment block from what came before.
	Blank    bool
	Comments []string
	// Key is the decoded dotted key: runs_on.any_of is ["runs_on", "any_of"].
	Key []string
	// Value is the value's text: canonical when it is written on one line, else as written.
	Value string
	// Trailing is the comment at the end of the value's last line, with its '#'.
	Trailing string
}

// ParseTree decodes src with BurntSushi, then reads it into a Tree. It returns the decoded values too,
// for a caller that must prove an edit kept the data. A document BurntSushi rejects is reported with
// its syntax error, as Decode reports it: the scanner the tree is read with accepts more than TOML,
// and decoding first is what makes ParseTree accept exactly what the decoder accepts.
func ParseTree(src Source) (*Tree, map[string]any, diag.List) {
	data, diags := DecodeData(src)
	if diags != nil {
		return nil, nil, diags
	}
	t, err := parseTree(src.Data)
	if err != nil {
		// The decoder accepted what the scanner cannot follow: a bug, reported rather than guessed at,
		// so that no caller writes a document it did not understand.
		diags.Errorf(diag.Pos{File: src.Name, Line: err.at.line, Col: err.at.col}, "%v", err)
		return nil, nil, diags
	}
	return t, data, nil
}

// scanError is where the scanner stopped in a document it could not follow.
type scanError struct{ at position }

func (e *scanError) Error() string {
	return "spof cannot follow the TOML here, although the decoder accepts it (a bug in spof)"
}

// parseTree reads src into a Tree without decoding it first: the scanner is more lenient than TOML.
func parseTree(src []byte) (*Tree, *scanError) {
	b := &treeBuilder{src: src, t: &Tree{}}
	if ok, at := scan(src, b); !ok {
		return nil, &scanError{at}
	}
	switch {
	case b.items == 0:
		b.t.Preamble = collapse(b.pending)
	case b.cur != nil:
		b.cur.Footer = collapse(b.pending)
	default:
		b.t.Footer = collapse(b.pending)
	}
	return b.t, nil
}

// treeBuilder builds a Tree from what the scanner reads.
type treeBuilder struct {
	src []byte
	t   *Tree

	pending []string // comment lines and blank lines ("") since the last header or entry
	cur     *Table   // the table of the last header, nil before the first
	items   int      // headers and top-level entries so far
	trail   *string  // where a comment at the end of the current line goes

	// entry is the top-level entry whose value is being read; its value starts at start.
	entry *Entry
	start int
	// canon is the value written canonically, for when it turns out to be on one line, and stack holds
	// what is open in it.
	canon []byte
	stack []canonFrame
}

// canonFrame is an array or inline table open in a value being written canonically.
type canonFrame struct {
	inline bool
	items  int
}

func (b *treeBuilder) blank() { b.pending = append(b.pending, "") }

func (b *treeBuilder) comment(start, end int) {
	b.pending = append(b.pending, commentText(b.src[start:end]))
}

func (b *treeBuilder) trailing(start, end int) { *b.trail = commentText(b.src[start:end]) }

// commentText is a comment from its '#', without the blanks (and CR) at the end of its line.
func commentText(c []byte) string { return strings.TrimRight(string(c), " \t\r") }

func (b *treeBuilder) header(key []keySeg, array bool) {
	t := &Table{Path: segStrings(key), Array: array}
	switch {
	case b.items == 0:
		b.t.Preamble, t.Comments = splitTop(b.pending)
	case b.cur != nil:
		b.cur.Footer, t.Comments = splitBetween(b.pending)
	default:
		t.Comments = collapse(b.pending)
	}
	b.pending = nil
	b.items++
	b.cur = t
	b.t.Tables = append(b.t.Tables, t)
	b.trail = &t.Trailing
}

func (b *treeBuilder) key(key []keySeg) {
	if len(b.stack) > 0 { // a key inside an inline table
		b.separate()
		b.canon = appendKey(b.canon, key)
		b.canon = append(b.canon, " = "...)
		return
	}
	e := &Entry{Key: segStrings(key)}
	pending := b.pending
	if b.items == 0 {
		b.t.Preamble, pending = splitTop(pending)
	}
	e.Comments = collapse(pending)
	e.Blank = len(e.Comments) > 0 && len(pending) > 0 && pending[0] == ""
	b.pending = nil
	b.items++
	if b.cur == nil {
		b.t.Top = append(b.t.Top, e)
	} else {
		b.cur.Entries = append(b.cur.Entries, e)
	}
	b.entry = e
	b.trail = &e.Trailing
}

func (b *treeBuilder) element() { b.separate() }

// separate writes what comes before the next element or entry of the innermost open array or inline
// table: `[a, b]`, `{ k = v, l = w }`.
func (b *treeBuilder) separate() {
	f := &b.stack[len(b.stack)-1]
	switch {
	case f.items > 0:
		b.canon = append(b.canon, ", "...)
	case f.inline:
		b.canon = append(b.canon, ' ')
	}
	f.items++
}

func (b *treeBuilder) atom(start, end int, _ position) {
	if len(b.stack) == 0 {
		b.entry.Value = string(b.src[start:end]) // scalars and strings are kept as written
		return
	}
	b.canon = append(b.canon, b.src[start:end]...)
}

func (b *treeBuilder) open(c byte, start int, _ position) {
	if len(b.stack) == 0 {
		b.start = start
		b.canon = b.canon[:0]
	}
	b.stack = append(b.stack, canonFrame{inline: c == '{'})
	b.canon = append(b.canon, c)
}

func (b *treeBuilder) close(end int, broken bool) {
	f := b.stack[len(b.stack)-1]
	b.stack = b.stack[:len(b.stack)-1]
	switch {
	case !f.inline:
		b.canon = append(b.canon, ']')
	case f.items > 0:
		b.canon = append(b.canon, " }"...)
	default:
		b.canon = append(b.canon, '}')
	}
	if len(b.stack) > 0 {
		return
	}
	// A value written over several lines keeps its layout, and the comments inside it.
	if broken {
		b.entry.Value = string(b.src[b.start:end])
	} else {
		b.entry.Value = string(b.canon)
	}
}

func segStrings(key []keySeg) []string {
	out := make([]string, len(key))
	for i, g := range key {
		out[i] = string(g.text)
	}
	return out
}

// collapse trims blank lines at both ends of a comment block and merges runs of them into one.
func collapse(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// splitTop splits the lines before a file's first item into the preamble and the comments of that
// item. The preamble is the schema directives (#:schema ...) at the top, and the first comment block
// after them when a blank line separates it from what follows: a file's description. Later blocks, such
// as a banner above the first table, go with the item, which formatting may move.
func splitTop(lines []string) (preamble, attached []string) {
	n := 0
	skipBlanks := func() {
		for n < len(lines) && lines[n] == "" {
			n++
		}
	}
	skipBlanks()
	for n < len(lines) && strings.HasPrefix(lines[n], "#:") {
		n++
	}
	end := n // the preamble so far
	skipBlanks()
	m := n
	for m < len(lines) && lines[m] != "" && !strings.HasPrefix(lines[m], "#:") {
		m++
	}
	if m > n && m < len(lines) {
		end = m // a paragraph followed by a blank line
	}
	return collapse(lines[:end]), collapse(lines[end:])
}

// splitBetween splits the lines between a table's last key and the next header: a comment block right
// under the key and followed by a blank line stays with the table, the rest goes with the header.
func splitBetween(lines []string) (footer, attached []string) {
	n := 0
	for n < len(lines) && lines[n] != "" {
		n++
	}
	if n > 0 && n < len(lines) {
		return collapse(lines[:n]), collapse(lines[n:])
	}
	return nil, collapse(lines)
}

// Name returns the entry's first key segment, which is the key of the table it sets.
func (e *Entry) Name() string { return e.Key[0] }

// AddTable appends an empty table with header path and returns it.
func (d *Tree) AddTable(path ...string) *Table {
	t := &Table{Path: append([]string(nil), path...)}
	d.Tables = append(d.Tables, t)
	return t
}

// Get returns the entry whose key is exactly key (one segment), or nil.
func (t *Table) Get(key string) *Entry {
	for _, e := range t.Entries {
		if len(e.Key) == 1 && e.Key[0] == key {
			return e
		}
	}
	return nil
}

// Has reports whether the table sets key, with a plain or a dotted key (key.sub = ...).
func (t *Table) Has(key string) bool {
	for _, e := range t.Entries {
		if e.Key[0] == key {
			return true
		}
	}
	return false
}

// Set sets key to the TOML value text v: in place, keeping its comments, when the key is there; else
// as a new entry at the end.
func (t *Table) Set(key, v string) {
	if e := t.Get(key); e != nil {
		e.Value = v
		return
	}
	t.Entries = append(t.Entries, &Entry{Key: []string{key}, Value: v})
}

// FormatKey formats a key path the canonical way: bare segments where possible, else quoted.
func FormatKey(path []string) string {
	var b []byte
	for i, p := range path {
		if i > 0 {
			b = append(b, '.')
		}
		b = appendSeg(b, p)
	}
	return string(b)
}

// appendKey appends a key read by the scanner, formatted as FormatKey does.
func appendKey(b []byte, key []keySeg) []byte {
	for i, g := range key {
		if i > 0 {
			b = append(b, '.')
		}
		b = appendSeg(b, string(g.text))
	}
	return b
}

func appendSeg(b []byte, seg string) []byte {
	if isBareKey(seg) {
		return append(b, seg...)
	}
	return append(b, Quote(seg)...)
}

func isBareKey(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !isBare(c) {
			return false
		}
	}
	return true
}

// Quote returns s as a TOML basic string.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// QuoteAll returns a TOML array of basic strings.
func QuoteAll(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = Quote(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
