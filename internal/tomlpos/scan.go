package tomlpos

import (
	"bytes"
	"math"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and inline tables. Go's stack overflow is fatal, not a panic
// that can be recovered, so a hostile `[[[[[…` must be cut off; no real inventory comes near this.
const maxDepth = 2000

// maxSize is the most of a document Scan reads: the index counts in 32 bits to stay small, and 2 GiB
// of TOML is not an inventory.
const maxSize = math.MaxInt32

// Scan indexes src. src is expected to be valid TOML (the caller decodes it with BurntSushi first); on
// input it cannot follow, Scan returns what it indexed up to there and never panics. When a path is
// defined twice (only possible in invalid TOML) the first definition wins. Scan keeps no reference to
// src. It reads at most the first 2 GiB.
func Scan(src []byte) *Index {
	src = src[:min(len(src), maxSize)]
	// Sized for an inventory's density (a path per 15 to 20 bytes, names a fifth to a third of the
	// text) so that big documents rarely regrow: rehashing a table of a million slots is a tenth of
	// the time of a scan.
	nodes := 1 + len(src)/16
	ix := &Index{
		nodes: make([]node, 1, nodes),
		names: make([]byte, 0, len(src)/4),
		slots: make([]uint64, max(64, 1<<bits.Len(uint(2*nodes-1)))),
	}
	s := &scanner{src: src, line: 1, ix: ix}
	// Skip a byte-order mark the way BurntSushi does, without counting it as a column: editors don't
	// show it.
	switch {
	case bytes.HasPrefix(src, []byte("\xef\xbb\xbf")):
		s.i = 3
	case bytes.HasPrefix(src, []byte("\xff\xfe")), bytes.HasPrefix(src, []byte("\xfe\xff")):
		s.i = 2
	}
	s.lineStart, s.colOff, s.col = s.i, s.i, 1
	s.document()
	return ix
}

// scanner is the state of one Scan. Every method that can meet input it cannot follow returns false,
// and the caller stops: a wrong guess at resynchronising would index positions that are plausibly
// wrong, which is worse than indexing none.
type scanner struct {
	src []byte
	i   int // next byte to read

	line      int // line of src[i]
	lineStart int // offset of the first byte of the current line
	// colOff and col cache a column: the byte at colOff is at column col. Columns are counted lazily
	// and only forward from the cache, so computing them stays linear even on a megabyte-long line.
	colOff, col int

	ix *Index
	// table is the node of the current [table] or [[array]] entry, which top-level keys start from.
	table uint32
	// num formats array indexes as path segments without allocating.
	num [20]byte
	// elems is a stack of the element nodes of the arrays being scanned.
	elems []uint32
	// segs and keyBuf hold the segments of the key being read; keyBuf holds decoded quoted segments.
	segs   []seg
	keyBuf []byte
	depth  int
}

// seg is one segment of a dotted key: its text is src[start:end] for a bare or literal key and
// keyBuf[start:end] for a basic quoted one (which needs unescaping).
type seg struct {
	start, end int
	inBuf      bool
	pos        Pos
}

// segBytes returns the decoded text of a key segment.
func (s *scanner) segBytes(g seg) []byte {
	if g.inBuf {
		return s.keyBuf[g.start:g.end]
	}
	return s.src[g.start:g.end]
}

// pos returns the position of src[s.i].
func (s *scanner) pos() Pos {
	if s.colOff < s.lineStart {
		s.colOff, s.col = s.lineStart, 1
	}
	for ; s.colOff < s.i; s.colOff++ {
		if s.src[s.colOff]&0xC0 != 0x80 { // a code point starts at every byte but a continuation byte
			s.col++
		}
	}
	return Pos{s.line, s.col}
}

// newline consumes the '\n' at s.i.
func (s *scanner) newline() {
	s.i++
	s.line++
	s.lineStart = s.i
}

// skipSpace passes spaces and tabs.
func (s *scanner) skipSpace() {
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
	}
}

// skipBlank passes whitespace, newlines and comments, as allowed between array elements, between
// inline-table entries (TOML 1.1) and between top-level expressions.
func (s *scanner) skipBlank() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r':
			s.i++
		case '\n':
			s.newline()
		case '#':
			s.skipComment()
		default:
			return
		}
	}
}

// skipComment passes a comment up to, not including, the end of its line.
func (s *scanner) skipComment() {
	if n := bytes.IndexByte(s.src[s.i:], '\n'); n >= 0 {
		s.i += n
	} else {
		s.i = len(s.src)
	}
}

// setKey records p as the key position of node i unless one is recorded already: for valid TOML
// that keeps the first header naming a table, and for invalid TOML the first definition.
func (s *scanner) setKey(i uint32, p Pos) {
	if nd := &s.ix.nodes[i]; nd.key.line == 0 {
		nd.key = newPos32(p.Line, p.Col)
	}
}

// index returns the child of node i for the entry n of an array of tables.
func (s *scanner) index(i uint32, n int) uint32 {
	return s.ix.child(i, strconv.AppendInt(s.num[:0], int64(n), 10))
}

// document scans top-level expressions: headers, key-values, blank lines and comments.
func (s *scanner) document() {
	for {
		s.skipBlank()
		if s.i >= len(s.src) {
			return
		}
		var ok bool
		if s.src[s.i] == '[' {
			ok = s.header()
		} else {
			ok = s.keyval(s.table)
		}
		if !ok {
			return
		}
		// Only a comment may follow on the same line.
		s.skipSpace()
		if s.i < len(s.src) && s.src[s.i] == '#' {
			s.skipComment()
		}
		if s.i < len(s.src) && s.src[s.i] != '\n' && s.src[s.i] != '\r' {
			return
		}
	}
}

// header scans a [table] or [[array of tables]] header and makes it the current table.
func (s *scanner) header() bool {
	s.i++
	aot := s.i < len(s.src) && s.src[s.i] == '['
	if aot {
		s.i++
	}
	if !s.key() {
		return false
	}
	closing := "]"
	if aot {
		closing = "]]"
	}
	if !bytes.HasPrefix(s.src[s.i:], []byte(closing)) {
		return false
	}
	s.i += len(closing)
	var at uint32
	for j, g := range s.segs {
		at = s.ix.child(at, s.segBytes(g))
		s.setKey(at, g.pos)
		if j == len(s.segs)-1 && aot {
			// The array itself keeps its first header; the new entry gets this one.
			nd := &s.ix.nodes[at]
			nd.kind = arrayOfTable
			n := nd.count
			nd.count++
			at = s.index(at, int(n))
			s.setKey(at, g.pos)
		} else if nd := &s.ix.nodes[at]; nd.kind == arrayOfTable && nd.count > 0 {
			// A header through an array of tables means its latest entry: [a.b] after [[a]] is in a's last.
			at = s.index(at, int(nd.count-1))
		}
	}
	s.table = at
	return true
}

// keyval scans `key = value` in the table at node base, recording the key's segments and the value.
func (s *scanner) keyval(base uint32) bool {
	if !s.key() {
		return false
	}
	at := base
	for _, g := range s.segs {
		at = s.ix.child(at, s.segBytes(g))
		s.setKey(at, g.pos)
	}
	if s.i >= len(s.src) || s.src[s.i] != '=' {
		return false
	}
	s.i++
	s.skipSpace()
	return s.value(at)
}

// key reads a possibly dotted key into s.segs and passes the whitespace after it.
func (s *scanner) key() bool {
	s.segs = s.segs[:0]
	s.keyBuf = s.keyBuf[:0]
	for {
		s.skipSpace()
		if s.i >= len(s.src) {
			return false
		}
		g := seg{pos: s.pos()}
		switch s.src[s.i] {
		case '"':
			g.inBuf = true
			g.start = len(s.keyBuf)
			if !s.basicKey() {
				return false
			}
			g.end = len(s.keyBuf)
		case '\'':
			s.i++
			n := bytes.IndexByte(s.src[s.i:], '\'')
			if n < 0 || bytes.IndexByte(s.src[s.i:s.i+n], '\n') >= 0 {
				return false
			}
			g.start, g.end = s.i, s.i+n
			s.i += n + 1
		default:
			g.start = s.i
			for s.i < len(s.src) && isBare(s.src[s.i]) {
				s.i++
			}
			if s.i == g.start {
				return false
			}
			g.end = s.i
		}
		s.segs = append(s.segs, g)
		s.skipSpace()
		if s.i >= len(s.src) || s.src[s.i] != '.' {
			return true
		}
		s.i++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// basicKey decodes the "quoted" key at s.i onto s.keyBuf, so that a path given by the caller in
// decoded form matches what BurntSushi reports.
func (s *scanner) basicKey() bool {
	s.i++
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '"':
			s.i++
			return true
		case c == '\n':
			return false
		case c != '\\':
			s.keyBuf = append(s.keyBuf, c)
			s.i++
			continue
		}
		if s.i+1 >= len(s.src) {
			return false
		}
		e := s.src[s.i+1]
		s.i += 2
		switch e {
		case 'b':
			s.keyBuf = append(s.keyBuf, '\b')
		case 't':
			s.keyBuf = append(s.keyBuf, '\t')
		case 'n':
			s.keyBuf = append(s.keyBuf, '\n')
		case 'f':
			s.keyBuf = append(s.keyBuf, '\f')
		case 'r':
			s.keyBuf = append(s.keyBuf, '\r')
		case 'e':
			s.keyBuf = append(s.keyBuf, 0x1b)
		case '"', '\\':
			s.keyBuf = append(s.keyBuf, e)
		case 'x', 'u', 'U':
			n := 2
			if e == 'u' {
				n = 4
			} else if e == 'U' {
				n = 8
			}
			if s.i+n > len(s.src) {
				return false
			}
			r, err := strconv.ParseUint(string(s.src[s.i:s.i+n]), 16, 32)
			if err != nil || !utf8.ValidRune(rune(r)) {
				return false
			}
			s.keyBuf = utf8.AppendRune(s.keyBuf, rune(r))
			s.i += n
		default:
			return false
		}
	}
	return false
}

// value scans the value at s.i, the value of node at, recording where it starts.
func (s *scanner) value(at uint32) bool {
	if s.i >= len(s.src) {
		return false
	}
	if nd := &s.ix.nodes[at]; nd.val.line == 0 {
		p := s.pos()
		nd.val = newPos32(p.Line, p.Col)
	}
	switch c := s.src[s.i]; c {
	case '"', '\'':
		if s.i+2 < len(s.src) && s.src[s.i+1] == c && s.src[s.i+2] == c {
			return s.multiString(c)
		}
		return s.string(c)
	case '[', '{':
		if s.depth >= maxDepth {
			return false
		}
		s.depth++
		var ok bool
		if c == '[' {
			ok = s.array(at)
		} else {
			ok = s.inlineTable(at)
		}
		s.depth--
		return ok
	default:
		return s.scalar()
	}
}

// array scans an array value, the value of node at. Its elements' nodes are collected on s.elems
// and moved to the index's elems when the array ends, so that each array's are contiguous even when
// nested arrays end (and move theirs) in between.
func (s *scanner) array(at uint32) bool {
	s.i++
	base := len(s.elems)
	ok := s.elements(at)
	if nd := &s.ix.nodes[at]; nd.kind == plain { // the first definition wins, in invalid TOML
		nd.kind, nd.first, nd.count = arrayValue, uint32(len(s.ix.elems)), uint32(len(s.elems)-base)
		s.ix.elems = append(s.ix.elems, s.elems[base:]...)
	}
	s.elems = s.elems[:base]
	return ok
}

// elements scans the elements of the array value of node at, up to and including the closing ']'.
func (s *scanner) elements(at uint32) bool {
	return s.items(']', func() bool {
		el := uint32(len(s.ix.nodes))
		s.ix.nodes = append(s.ix.nodes, node{parent: at})
		s.elems = append(s.elems, el)
		return s.value(el)
	})
}

// inlineTable scans an inline table, the value of node at. Newlines, comments and a trailing comma
// are accepted, as TOML 1.1 (and BurntSushi) allow.
func (s *scanner) inlineTable(at uint32) bool {
	s.i++
	return s.items('}', func() bool { return s.keyval(at) })
}

// items scans a comma-separated list up to and including its closing bracket, item scanning one item;
// blanks, comments and a trailing comma are allowed around items.
func (s *scanner) items(closing byte, item func() bool) bool {
	for {
		s.skipBlank()
		if s.i >= len(s.src) {
			return false
		}
		if s.src[s.i] == closing {
			s.i++
			return true
		}
		if !item() {
			return false
		}
		s.skipBlank()
		if s.i >= len(s.src) {
			return false
		}
		switch s.src[s.i] {
		case ',':
			s.i++
		case closing:
			s.i++
			return true
		default:
			return false
		}
	}
}

// string passes a one-line basic or literal string.
func (s *scanner) string(q byte) bool {
	for s.i++; s.i < len(s.src); s.i++ {
		switch s.src[s.i] {
		case q:
			s.i++
			return true
		case '\n':
			return false
		case '\\':
			if q == '"' {
				s.i++ // the escaped byte cannot end the string; a bad escape was the decoder's to reject
				if s.i < len(s.src) && s.src[s.i] == '\n' {
					return false
				}
			}
		}
	}
	return false
}

// multiString passes a triple-quoted basic or literal string, counting the lines inside it.
func (s *scanner) multiString(q byte) bool {
	s.i += 3
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case '\n':
			s.newline()
		case '\\':
			s.i++
			// In a basic string the next byte is escaped, so it cannot close the string; a newline
			// (line-ending backslash) is left for the loop so that it is counted.
			if q == '"' && s.i < len(s.src) && s.src[s.i] != '\n' {
				s.i++
			}
		case q:
			n := 1
			for s.i+n < len(s.src) && s.src[s.i+n] == q {
				n++
			}
			s.i += n
			// Three quotes close the string; up to two more before them are content: """a""""" is a"".
			if n >= 3 {
				return true
			}
		default:
			s.i++
		}
	}
	return false
}

// scalar passes a number, bool, date, time or date-time.
func (s *scanner) scalar() bool {
	start := s.i
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ':
			// A date-time may separate date and time with a space: 1979-05-27 07:32:00Z.
			if s.i-start == 10 && s.src[start+4] == '-' && s.src[start+7] == '-' &&
				s.i+1 < len(s.src) && s.src[s.i+1] >= '0' && s.src[s.i+1] <= '9' {
				s.i++
				continue
			}
			return s.i > start
		case '\t', '\r', '\n', ',', ']', '}', '#', '[', '{', '=', '"', '\'':
			return s.i > start
		}
		s.i++
	}
	return s.i > start
}
