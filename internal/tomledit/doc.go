// Package tomledit reads a TOML document into tables and key/value entries that keep their comments and
// the text of their values, lets a caller reorder and edit them, and prints the result in one canonical
// layout. It is what spof fmt and the importers rewrite inventory files with: a decoder drops comments,
// and an inventory's comments are often its most valuable lines.
//
// Comments are attached to what they describe: a comment block to the table header or key right below
// it, a comment at the end of a line to that line. A comment block at the top of the file followed by a
// blank line is the file's preamble and stays first; a block at the end of a table's keys followed by a
// blank line stays at the end of that table.
//
// The layout: `key = value` with single spaces; arrays as ["a", "b"] and inline tables as { k = v } when
// they fit on their line; values written over several lines, and strings, kept as written; no blank line
// inside a table (except one above a commented key that had one); one blank line between tables.
//
// Parse expects a document that a TOML decoder accepted; it reports anything it cannot follow as an
// error rather than guessing, so a caller never writes a document it did not understand.
package tomledit

import (
	"fmt"
	"strings"
)

// Document is a parsed TOML document.
type Document struct {
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
	// Value is the value's text: canonical when it fits on a line, else as written.
	Value string
	// Trailing is the comment at the end of the value's last line, with its '#'.
	Trailing string
}

// Name returns the entry's first key segment, which is the key of the table it sets.
func (e *Entry) Name() string { return e.Key[0] }

// Table returns the first standard table whose header is path, or nil.
func (d *Document) Table(path ...string) *Table {
	for _, t := range d.Tables {
		if !t.Array && equal(t.Path, path) {
			return t
		}
	}
	return nil
}

// AddTable appends an empty table with header path and returns it.
func (d *Document) AddTable(path ...string) *Table {
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

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// KeyString formats a key path the canonical way: bare segments where possible, else quoted.
func KeyString(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		if isBare(p) {
			parts[i] = p
		} else {
			parts[i] = String(p)
		}
	}
	return strings.Join(parts, ".")
}

func isBare(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !isBareChar(c) {
			return false
		}
	}
	return true
}

func isBareChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// String returns s as a TOML basic string.
func String(s string) string {
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

// Strings returns a TOML array of basic strings.
func Strings(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = String(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
