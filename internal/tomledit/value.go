package tomledit

import (
	"bytes"
	"strings"
)

type tokKind uint8

const (
	tAtom    tokKind = iota // a string, number, boolean or date, as written
	tPunct                  // [ ] { } , =
	tBreak                  // a line break inside brackets
	tComment                // a comment inside brackets
)

type token struct {
	kind tokKind
	text string
}

// value reads one value, which may span lines inside brackets or a multi-line string. It returns the
// canonical text when the value is on one line, else the text as written.
func (p *parser) value() (string, error) {
	start := p.i
	depth := 0
	var toks []token
	for len(toks) == 0 || depth > 0 {
		p.skipBlank()
		if p.eof() {
			return "", p.errorf("incomplete value")
		}
		c := p.src[p.i]
		switch {
		case c == '\n' || c == '\r':
			if depth == 0 {
				return "", p.errorf("missing value")
			}
			if err := p.newline(); err != nil {
				return "", err
			}
			toks = append(toks, token{tBreak, "\n"})
		case c == '#':
			if depth == 0 {
				return "", p.errorf("missing value")
			}
			toks = append(toks, token{tComment, p.comment()})
		case c == '[' || c == '{':
			depth++
			p.i++
			toks = append(toks, token{tPunct, string(c)})
		case c == ']' || c == '}':
			depth--
			if depth < 0 {
				return "", p.errorf("unexpected %q", c)
			}
			p.i++
			toks = append(toks, token{tPunct, string(c)})
		case c == ',' || c == '=':
			p.i++
			toks = append(toks, token{tPunct, string(c)})
		case c == '"' || c == '\'':
			s, err := p.str()
			if err != nil {
				return "", err
			}
			toks = append(toks, token{tAtom, s})
		default:
			s := p.bare()
			if s == "" {
				return "", p.errorf("unexpected %q", c)
			}
			toks = append(toks, token{tAtom, s})
		}
	}
	raw := string(p.src[start:p.i])
	for _, t := range toks {
		if t.kind == tBreak || t.kind == tComment {
			return raw, nil
		}
	}
	r := renderer{toks: toks}
	out, ok := r.value()
	if !ok || r.pos != len(toks) {
		return raw, nil
	}
	return out, nil
}

// str reads a string of any of the four kinds, as written.
func (p *parser) str() (string, error) {
	start := p.i
	q := p.src[p.i]
	triple := strings.Repeat(string(q), 3)
	if bytes.HasPrefix(p.src[p.i:], []byte(triple)) {
		p.i += 3
		for {
			if p.eof() {
				return "", p.errorf("unterminated multi-line string")
			}
			c := p.src[p.i]
			switch {
			case c == '\\' && q == '"':
				p.i += 2
				continue
			case c == '\n':
				p.line++
			case bytes.HasPrefix(p.src[p.i:], []byte(triple)):
				p.i += 3
				// Up to two more quotes belong to the content: """a"""" is `a"`.
				for n := 0; n < 2 && !p.eof() && p.src[p.i] == q; n++ {
					p.i++
				}
				return string(p.src[start:p.i]), nil
			}
			p.i++
		}
	}
	p.i++
	for {
		if p.eof() || p.src[p.i] == '\n' {
			return "", p.errorf("unterminated string")
		}
		c := p.src[p.i]
		p.i++
		switch {
		case c == '\\' && q == '"':
			p.i++
		case c == q:
			return string(p.src[start:p.i]), nil
		}
	}
}

// bare reads a number, boolean, date, or bare key. A date and a time separated by a space are one value.
func (p *parser) bare() string {
	start := p.i
	for !p.eof() && !strings.ContainsRune(" \t\r\n,[]{}=#\"'", rune(p.src[p.i])) {
		p.i++
	}
	s := string(p.src[start:p.i])
	if isDate(s) && p.i+3 < len(p.src) && p.src[p.i] == ' ' && isDigit(p.src[p.i+1]) && isDigit(p.src[p.i+2]) && p.src[p.i+3] == ':' {
		p.i++
		for !p.eof() && !strings.ContainsRune(" \t\r\n,[]{}=#\"'", rune(p.src[p.i])) {
			p.i++
		}
	}
	return string(p.src[start:p.i])
}

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && i != 7 && !isDigit(c) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// renderer prints a one-line value canonically: ["a", "b"], { k = v, k2 = v2 }, {} and [].
type renderer struct {
	toks []token
	pos  int
}

func (r *renderer) peek(text string) bool {
	return r.pos < len(r.toks) && r.toks[r.pos].kind == tPunct && r.toks[r.pos].text == text
}

func (r *renderer) value() (string, bool) {
	if r.pos >= len(r.toks) {
		return "", false
	}
	t := r.toks[r.pos]
	r.pos++
	if t.kind == tAtom {
		return t.text, true
	}
	switch t.text {
	case "[":
		var elems []string
		for !r.peek("]") {
			v, ok := r.value()
			if !ok {
				return "", false
			}
			elems = append(elems, v)
			if r.peek(",") {
				r.pos++
			} else if !r.peek("]") {
				return "", false
			}
		}
		r.pos++
		return "[" + strings.Join(elems, ", ") + "]", true
	case "{":
		var pairs []string
		for !r.peek("}") {
			var key strings.Builder
			for r.pos < len(r.toks) && r.toks[r.pos].kind == tAtom {
				key.WriteString(r.toks[r.pos].text)
				r.pos++
			}
			path, n, err := readKey([]byte(key.String()))
			if err != nil || n != key.Len() || !r.peek("=") {
				return "", false
			}
			r.pos++
			v, ok := r.value()
			if !ok {
				return "", false
			}
			pairs = append(pairs, KeyString(path)+" = "+v)
			if r.peek(",") {
				r.pos++
			} else if !r.peek("}") {
				return "", false
			}
		}
		r.pos++
		if len(pairs) == 0 {
			return "{}", true
		}
		return "{ " + strings.Join(pairs, ", ") + " }", true
	}
	return "", false
}
