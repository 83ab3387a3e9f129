// Package tomlpos finds where keys and values are in a TOML document. BurntSushi/toml decodes values
// but keeps no positions for them, and an error that says where is worth far more than one that does
// not; so the loader decodes with BurntSushi and asks this index where each thing it complains about is.
//
// The scanner assumes a document the decoder accepted. On anything else it indexes what it can and
// never panics.
package tomlpos

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a 1-based line and column; the column counts Unicode code points, a tab counting one.
type Pos struct{ Line, Col int }

// Index records where each key and each value of a TOML document is. Paths are key segments; array
// elements (and entries of arrays of tables) are addressed by their decimal index.
type Index struct {
	keys   map[string]Pos
	values map[string]Pos
}

// Key returns the position of the key that defines path: the last segment of a key-value's key or of
// the first table header that names path.
func (ix *Index) Key(path ...string) (Pos, bool) {
	p, ok := ix.keys[join(path)]
	return p, ok
}

// Value returns the position of the first character of the value at path.
func (ix *Index) Value(path ...string) (Pos, bool) {
	p, ok := ix.values[join(path)]
	return p, ok
}

// Nearest returns the position of the longest prefix of path that is indexed, the value's if any, else
// the key's, so that a caller can always point somewhere useful.
func (ix *Index) Nearest(path ...string) (Pos, bool) {
	for n := len(path); n > 0; n-- {
		k := join(path[:n])
		if p, ok := ix.values[k]; ok {
			return p, true
		}
		if p, ok := ix.keys[k]; ok {
			return p, true
		}
	}
	return Pos{}, false
}

func join(path []string) string { return strings.Join(path, "\x00") }

// Scan indexes src.
func Scan(src []byte) *Index {
	s := &scanner{src: src, line: 1, col: 1, ix: &Index{keys: map[string]Pos{}, values: map[string]Pos{}},
		arrays: map[string]int{}}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		s.i = 3
	}
	s.document()
	return s.ix
}

type scanner struct {
	src       []byte
	i         int
	line, col int
	ix        *Index
	table     []string
	// arrays holds, per array-of-tables path (indexes resolved), the index of its last entry.
	arrays map[string]int
	depth  int
}

func (s *scanner) pos() Pos { return Pos{Line: s.line, Col: s.col} }

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

func (s *scanner) next() {
	if s.eof() {
		return
	}
	c := s.src[s.i]
	s.i++
	switch {
	case c == '\n':
		s.line++
		s.col = 1
	case c < utf8.RuneSelf || c >= 0xC0: // count a code point at its first byte
		s.col++
	}
}

// skip passes spaces and tabs, and newlines and comments when lines is true.
func (s *scanner) skip(lines bool) {
	for !s.eof() {
		switch c := s.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			s.next()
		case c == '\n' && lines:
			s.next()
		case c == '#' && lines:
			for !s.eof() && s.peek() != '\n' {
				s.next()
			}
		default:
			return
		}
	}
}

func (s *scanner) document() {
	for {
		s.skip(true)
		if s.eof() {
			return
		}
		start := s.i
		if s.peek() == '[' {
			s.header()
		} else {
			s.keyValue(s.table)
		}
		if s.i == start { // nothing consumed: input the scanner cannot follow; resynchronise
			s.next()
		}
		for !s.eof() && s.peek() != '\n' { // rest of the line: comment or garbage
			s.next()
		}
	}
}

func (s *scanner) header() {
	s.next()
	array := s.peek() == '['
	if array {
		s.next()
	}
	segs, poss := s.key()
	// Resolve arrays of tables along the path: [[a.b]] under [[a]] belongs to a's last entry.
	var path []string
	for j, seg := range segs {
		path = append(path, seg)
		last := j == len(segs)-1
		if last && array {
			k := join(path)
			n, seen := s.arrays[k]
			if seen {
				n++
			}
			s.arrays[k] = n
			s.setKey(path, poss[j])
			path = append(path, strconv.Itoa(n))
			s.setKey(path, poss[j])
			continue
		}
		s.setKey(path, poss[j])
		if n, ok := s.arrays[join(path)]; ok && !last {
			path = append(path, strconv.Itoa(n))
		} else if ok && last && !array {
			path = append(path, strconv.Itoa(n))
		}
	}
	s.table = path
	for !s.eof() && s.peek() != ']' && s.peek() != '\n' {
		s.next()
	}
	for s.peek() == ']' {
		s.next()
	}
}

func (s *scanner) setKey(path []string, p Pos) {
	k := join(path)
	if _, ok := s.ix.keys[k]; !ok {
		s.ix.keys[k] = p
	}
}

// key reads a dotted key and returns its segments and their positions.
func (s *scanner) key() ([]string, []Pos) {
	var segs []string
	var poss []Pos
	for {
		s.skip(false)
		p := s.pos()
		var seg string
		switch s.peek() {
		case '"', '\'':
			raw := s.str()
			seg = unquote(raw)
		default:
			start := s.i
			for !s.eof() && isBare(s.peek()) {
				s.next()
			}
			seg = string(s.src[start:s.i])
		}
		segs = append(segs, seg)
		poss = append(poss, p)
		s.skip(false)
		if s.peek() != '.' {
			return segs, poss
		}
		s.next()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c >= utf8.RuneSelf
}

func (s *scanner) keyValue(base []string) {
	segs, poss := s.key()
	if len(segs) == 0 || (len(segs) == 1 && segs[0] == "" && s.peek() != '=') {
		return
	}
	path := append([]string(nil), base...)
	for j, seg := range segs {
		path = append(path, seg)
		s.setKey(path, poss[j])
	}
	s.skip(false)
	if s.peek() != '=' {
		return
	}
	s.next()
	s.skip(false)
	s.value(path)
}

func (s *scanner) value(path []string) {
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > 1000 { // no legitimate document nests this deep; bail out rather than exhaust the stack
		return
	}
	k := join(path)
	if _, ok := s.ix.values[k]; !ok {
		s.ix.values[k] = s.pos()
	}
	switch s.peek() {
	case '"', '\'':
		s.str()
	case '[':
		s.next()
		for n := 0; ; n++ {
			s.skip(true)
			if s.eof() || s.peek() == ']' {
				break
			}
			start := s.i
			s.value(append(path[:len(path):len(path)], strconv.Itoa(n)))
			s.skip(true)
			if s.peek() == ',' {
				s.next()
			} else if s.i == start {
				break
			}
		}
		s.next()
	case '{':
		s.next()
		for {
			s.skip(false)
			if s.eof() || s.peek() == '}' || s.peek() == '\n' {
				break
			}
			start := s.i
			s.keyValue(path[:len(path):len(path)])
			s.skip(false)
			if s.peek() == ',' {
				s.next()
			} else if s.i == start {
				break
			}
		}
		if s.peek() == '}' {
			s.next()
		}
	default:
		for !s.eof() {
			switch s.peek() {
			case ',', ']', '}', '\n', '#':
				return
			}
			s.next()
		}
	}
}

// str reads a basic, literal or multi-line string and returns its raw text, quotes included.
func (s *scanner) str() string {
	start := s.i
	q := s.peek()
	triple := s.i+2 < len(s.src) && s.src[s.i+1] == q && s.src[s.i+2] == q
	if triple {
		s.next()
		s.next()
		s.next()
		for !s.eof() {
			if q == '"' && s.peek() == '\\' {
				s.next()
				s.next()
				continue
			}
			if s.peek() == q && s.i+2 < len(s.src) && s.src[s.i+1] == q && s.src[s.i+2] == q {
				s.next()
				s.next()
				s.next()
				// Up to two more quotes may close the string: """a""""" is a"" .
				for n := 0; n < 2 && s.peek() == q; n++ {
					s.next()
				}
				break
			}
			s.next()
		}
		return string(s.src[start:s.i])
	}
	s.next()
	for !s.eof() && s.peek() != q && s.peek() != '\n' {
		if q == '"' && s.peek() == '\\' {
			s.next()
		}
		s.next()
	}
	s.next()
	return string(s.src[start:s.i])
}

// unquote returns the text of a quoted key.
func unquote(raw string) string {
	if len(raw) < 2 {
		return raw
	}
	if raw[0] == '\'' {
		return raw[1 : len(raw)-1]
	}
	if v, err := strconv.Unquote(raw); err == nil {
		return v
	}
	return raw[1 : len(raw)-1]
}
