package tomledit

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Parse reads src, a TOML document a decoder accepted.
func Parse(src []byte) (*Document, error) {
	src = []byte(strings.TrimPrefix(string(src), "\uFEFF"))
	p := &parser{src: src, line: 1}
	doc := &Document{}
	var pending []string // comment lines and blank lines ("") since the last item
	var cur *Table
	items := 0
	for {
		p.skipBlank()
		if p.eof() {
			break
		}
		switch c := p.src[p.i]; {
		case c == '\n' || c == '\r':
			if err := p.newline(); err != nil {
				return nil, err
			}
			pending = append(pending, "")
		case c == '#':
			pending = append(pending, p.comment())
			if err := p.endLine(); err != nil {
				return nil, err
			}
		case c == '[':
			t, err := p.header()
			if err != nil {
				return nil, err
			}
			switch {
			case items == 0:
				doc.Preamble, t.Comments = splitTop(pending)
			case cur != nil:
				cur.Footer, t.Comments = splitBetween(pending)
			default:
				t.Comments = collapse(pending)
			}
			pending = nil
			items++
			cur = t
			doc.Tables = append(doc.Tables, t)
		default:
			e, err := p.entry()
			if err != nil {
				return nil, err
			}
			if items == 0 {
				doc.Preamble, pending = splitTop(pending)
			}
			e.Comments = collapse(pending)
			e.Blank = len(e.Comments) > 0 && len(pending) > 0 && pending[0] == ""
			pending = nil
			items++
			if cur == nil {
				doc.Top = append(doc.Top, e)
			} else {
				cur.Entries = append(cur.Entries, e)
			}
		}
	}
	switch {
	case items == 0:
		doc.Preamble = collapse(pending)
	case cur != nil:
		cur.Footer = collapse(pending)
	default:
		doc.Footer = collapse(pending)
	}
	return doc, nil
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

type parser struct {
	src  []byte
	i    int
	line int
}

func (p *parser) eof() bool { return p.i >= len(p.src) }

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", p.line, fmt.Sprintf(format, args...))
}

func (p *parser) skipBlank() {
	for !p.eof() && (p.src[p.i] == ' ' || p.src[p.i] == '\t') {
		p.i++
	}
}

func (p *parser) newline() error {
	if p.src[p.i] == '\r' {
		p.i++
		if p.eof() || p.src[p.i] != '\n' {
			return p.errorf("carriage return without a line feed")
		}
	}
	p.i++
	p.line++
	return nil
}

// comment reads a comment to the end of its line, without the line break or trailing blanks.
func (p *parser) comment() string {
	start := p.i
	for !p.eof() && p.src[p.i] != '\n' {
		p.i++
	}
	return strings.TrimRight(string(p.src[start:p.i]), " \t\r")
}

// endLine consumes the end of a line: nothing but a line break or the end of the document.
func (p *parser) endLine() error {
	p.skipBlank()
	if p.eof() {
		return nil
	}
	if c := p.src[p.i]; c != '\n' && c != '\r' {
		return p.errorf("unexpected %q", c)
	}
	return p.newline()
}

// trailing reads an optional comment and the end of the line.
func (p *parser) trailing() (string, error) {
	p.skipBlank()
	var c string
	if !p.eof() && p.src[p.i] == '#' {
		c = p.comment()
	}
	return c, p.endLine()
}

func (p *parser) header() (*Table, error) {
	t := &Table{}
	p.i++
	if !p.eof() && p.src[p.i] == '[' {
		t.Array = true
		p.i++
	}
	path, n, err := readKey(p.src[p.i:])
	if err != nil {
		return nil, p.errorf("%v", err)
	}
	p.i += n
	t.Path = path
	p.skipBlank()
	closing := "]"
	if t.Array {
		closing = "]]"
	}
	if !bytes.HasPrefix(p.src[p.i:], []byte(closing)) {
		return nil, p.errorf("table header without %s", closing)
	}
	p.i += len(closing)
	t.Trailing, err = p.trailing()
	return t, err
}

func (p *parser) entry() (*Entry, error) {
	key, n, err := readKey(p.src[p.i:])
	if err != nil {
		return nil, p.errorf("%v", err)
	}
	p.i += n
	p.skipBlank()
	if p.eof() || p.src[p.i] != '=' {
		return nil, p.errorf("key %s without '='", KeyString(key))
	}
	p.i++
	p.skipBlank()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	e := &Entry{Key: key, Value: v}
	e.Trailing, err = p.trailing()
	return e, err
}

// readKey reads a dotted key at the start of s, returning its decoded segments and its length.
func readKey(s []byte) ([]string, int, error) {
	var path []string
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return nil, 0, fmt.Errorf("incomplete key")
		}
		switch s[i] {
		case '"':
			n := basicEnd(s[i:])
			if n < 0 {
				return nil, 0, fmt.Errorf("unterminated quoted key")
			}
			seg, err := strconv.Unquote(string(s[i : i+n]))
			if err != nil {
				return nil, 0, fmt.Errorf("quoted key %s: %v", s[i:i+n], err)
			}
			path = append(path, seg)
			i += n
		case '\'':
			j := i + 1
			for j < len(s) && s[j] != '\'' && s[j] != '\n' {
				j++
			}
			if j >= len(s) || s[j] != '\'' {
				return nil, 0, fmt.Errorf("unterminated quoted key")
			}
			path = append(path, string(s[i+1:j]))
			i = j + 1
		default:
			j := i
			for j < len(s) && isBareChar(s[j]) {
				j++
			}
			if j == i {
				return nil, 0, fmt.Errorf("unexpected %q in key", s[i])
			}
			path = append(path, string(s[i:j]))
			i = j
		}
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j < len(s) && s[j] == '.' {
			i = j + 1
			continue
		}
		return path, i, nil
	}
}

// basicEnd returns the length of the single-line basic string at the start of s, or -1.
func basicEnd(s []byte) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		case '\n':
			return -1
		}
	}
	return -1
}
