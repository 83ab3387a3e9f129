package tomldoc

import (
	"bytes"
	"math"
	"strconv"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and inline tables. Go's stack overflow is fatal, not a panic
// that can be recovered, so a hostile `[[[[[…` must be cut off; no real inventory comes near this.
const maxDepth = 2000

// maxSize is the most of a document the scanner reads: the index counts in 32 bits to stay small, and
// 2 GiB of TOML is not an inventory.
const maxSize = math.MaxInt32

// builder receives what the scanner reads, in document order: the position index and the tree are
// both builders, so that there is one reading of TOML's syntax for both. Offsets are into the text
// given to scan; positions are counted as position says.
type builder interface {
	// blank reports an empty line (spaces and tabs at most) between top-level expressions.
	blank()
	// comment reports a comment on a line of its own between top-level expressions: src[start:end],
	// from its '#' to the end of the line (a CR before the LF included).
	comment(start, end int)
	// trailing reports the comment that ends the line of a header or of a top-level key/value.
	trailing(start, end int)
	// header reports a [table] or, when array is true, an [[array of tables]] header.
	header(key []keySeg, array bool)
	// key reports the key of a key/value, in the current table or in the innermost open inline
	// table. Its value follows.
	key(key []keySeg)
	// element reports that the next value is the next element of the innermost open array.
	element()
	// atom reports a string, number, boolean, date or time value, src[start:end], starting at p.
	atom(start, end int, p position)
	// open reports the '[' or '{' at src[start] (at p) that opens an array or inline table value.
	open(c byte, start int, p position)
	// close reports the end of the innermost open array or inline table: end is the offset after its
	// closing bracket, and broken is true when a line break (outside strings) came between its
	// brackets. The scanner also closes what is open when it stops in the middle of a value, with
	// end where it stopped.
	close(end int, broken bool)
}

// keySeg is one segment of a dotted key, decoded: quoted "a.b" is one segment, escapes resolved.
type keySeg struct {
	text []byte // valid until the scanner reads the next key
	pos  position
}

// scan reads src, reporting what it reads to b, and tells whether it read all of it. The scanner
// follows TOML 1.0 and the TOML 1.1 additions BurntSushi accepts (newlines, comments and a trailing
// comma in inline tables, \e and \xHH escapes, times without seconds), but it checks only what it
// needs to find its way: it does not check escapes in values, the digits of numbers and dates,
// control characters, or keys and tables defined twice. So it accepts more than TOML; every caller
// decodes with BurntSushi first. On anything it cannot follow it stops, reporting false and the
// position where it stopped, and never panics. It reads at most the first 2 GiB.
func scan(src []byte, b builder) (ok bool, stop position) {
	whole := len(src) <= maxSize
	src = src[:min(len(src), maxSize)]
	s := &scanner{src: src, line: 1, b: b}
	// Skip a byte-order mark the way BurntSushi does, without counting it as a column: editors don't
	// show it.
	s.i = len(src) - len(stripBOM(src))
	s.lineStart, s.colOff, s.col = s.i, s.i, 1
	if !s.document() {
		return false, s.pos()
	}
	return whole, s.pos()
}

// scanner is the state of one scan. Every method that can meet input it cannot follow returns false,
// and the caller stops: a wrong guess at resynchronising would report positions that are plausibly
// wrong, which is worse than reporting none.
type scanner struct {
	src []byte
	i   int // next byte to read
	b   builder

	line      int // line of src[i]
	lineStart int // offset of the first byte of the current line
	// colOff and col cache a column: the byte at colOff is at column col. Columns are counted lazily
	// and only forward from the cache, so computing them stays linear even on a megabyte-long line.
	colOff, col int

	// breaks counts the line breaks passed between the tokens of values, to tell a value written on
	// several lines from one written on one.
	breaks int
	depth  int

	// keys holds the segments of the key being read, and keyBuf the decoded text of its basic quoted
	// segments (which need unescaping); quoted is where those are in keyBuf, by segment.
	keys   []keySeg
	keyBuf []byte
	quoted []quotedSeg
}

// quotedSeg is a basic quoted segment of the key being read: keys[seg].text is keyBuf[start:end] once
// keyBuf has stopped growing.
type quotedSeg struct{ seg, start, end int }

// pos returns the position of src[s.i].
func (s *scanner) pos() position {
	if s.colOff < s.lineStart {
		s.colOff, s.col = s.lineStart, 1
	}
	for ; s.colOff < s.i; s.colOff++ {
		if s.src[s.colOff]&0xC0 != 0x80 { // a code point starts at every byte but a continuation byte
			s.col++
		}
	}
	return position{s.line, s.col}
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

// skipBlank passes whitespace, line breaks and comments, as allowed between array elements and
// between inline-table entries (TOML 1.1).
func (s *scanner) skipBlank() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r':
			s.i++
		case '\n':
			s.newline()
			s.breaks++
		case '#':
			s.skipComment()
		default:
			return
		}
	}
}

// skipComment passes a comment up to, not including, the '\n' that ends its line.
func (s *scanner) skipComment() {
	if n := bytes.IndexByte(s.src[s.i:], '\n'); n >= 0 {
		s.i += n
	} else {
		s.i = len(s.src)
	}
}

// lineEnd consumes a line break, LF or CRLF, or accepts the end of the document.
func (s *scanner) lineEnd() bool {
	if s.i >= len(s.src) {
		return true
	}
	if s.src[s.i] == '\r' && s.i+1 < len(s.src) {
		s.i++
	}
	if s.src[s.i] != '\n' {
		return false
	}
	s.newline()
	return true
}

// document scans top-level expressions, blank lines and comments.
func (s *scanner) document() bool {
	for {
		s.skipSpace()
		if s.i >= len(s.src) {
			return true
		}
		switch s.src[s.i] {
		case '\n', '\r':
			if !s.lineEnd() {
				return false
			}
			s.b.blank()
		case '#':
			start := s.i
			s.skipComment()
			s.b.comment(start, s.i)
			if !s.lineEnd() {
				return false
			}
		case '[':
			if !s.header() || !s.endExpression() {
				return false
			}
		default:
			if !s.keyval() || !s.endExpression() {
				return false
			}
		}
	}
}

// endExpression passes what may follow a header or a key/value on its line: spaces, a comment and the
// line break.
func (s *scanner) endExpression() bool {
	s.skipSpace()
	if s.i < len(s.src) && s.src[s.i] == '#' {
		start := s.i
		s.skipComment()
		s.b.trailing(start, s.i)
	}
	return s.lineEnd()
}

// header scans a [table] or [[array of tables]] header.
func (s *scanner) header() bool {
	s.i++
	array := s.i < len(s.src) && s.src[s.i] == '['
	if array {
		s.i++
	}
	if !s.key() {
		return false
	}
	closing := "]"
	if array {
		closing = "]]"
	}
	if !bytes.HasPrefix(s.src[s.i:], []byte(closing)) {
		return false
	}
	s.i += len(closing)
	s.b.header(s.keys, array)
	return true
}

// keyval scans `key = value`.
func (s *scanner) keyval() bool {
	if !s.key() {
		return false
	}
	s.b.key(s.keys)
	if s.i >= len(s.src) || s.src[s.i] != '=' {
		return false
	}
	s.i++
	s.skipSpace()
	return s.value()
}

// key reads a possibly dotted key into s.keys and passes the spaces after it.
func (s *scanner) key() bool {
	s.keys = s.keys[:0]
	s.keyBuf = s.keyBuf[:0]
	s.quoted = s.quoted[:0]
	for {
		s.skipSpace()
		if s.i >= len(s.src) {
			return false
		}
		g := keySeg{pos: s.pos()}
		switch s.src[s.i] {
		case '"':
			q := quotedSeg{seg: len(s.keys), start: len(s.keyBuf)}
			if !s.basicKey() {
				return false
			}
			q.end = len(s.keyBuf)
			s.quoted = append(s.quoted, q)
		case '\'':
			s.i++
			n := bytes.IndexByte(s.src[s.i:], '\'')
			if n < 0 || bytes.IndexByte(s.src[s.i:s.i+n], '\n') >= 0 {
				return false
			}
			g.text = s.src[s.i : s.i+n]
			s.i += n + 1
		default:
			start := s.i
			for s.i < len(s.src) && isBare(s.src[s.i]) {
				s.i++
			}
			if s.i == start {
				return false
			}
			g.text = s.src[start:s.i]
		}
		s.keys = append(s.keys, g)
		s.skipSpace()
		if s.i >= len(s.src) || s.src[s.i] != '.' {
			break
		}
		s.i++
	}
	// keyBuf no longer grows: its segments can be handed out as slices of it.
	for _, q := range s.quoted {
		s.keys[q.seg].text = s.keyBuf[q.start:q.end]
	}
	return true
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// basicKey decodes the "quoted" key at s.i onto s.keyBuf, so that a path given by a caller in decoded
// form matches what BurntSushi reports.
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

// value scans the value at s.i. An atom is reported even when it is cut short, so that the index
// still knows where the value starts.
func (s *scanner) value() bool {
	if s.i >= len(s.src) {
		return false
	}
	start, p := s.i, s.pos()
	switch c := s.src[s.i]; c {
	case '"', '\'':
		var ok bool
		if s.i+2 < len(s.src) && s.src[s.i+1] == c && s.src[s.i+2] == c {
			ok = s.multiString(c)
		} else {
			ok = s.string(c)
		}
		s.b.atom(start, s.i, p)
		return ok
	case '[', '{':
		if s.depth >= maxDepth {
			return false
		}
		s.depth++
		s.b.open(c, start, p)
		s.i++
		breaks := s.breaks
		closing := byte(']')
		if c == '{' {
			closing = '}'
		}
		ok := s.items(closing)
		s.b.close(s.i, s.breaks != breaks)
		s.depth--
		return ok
	default:
		ok := s.scalar()
		s.b.atom(start, s.i, p)
		return ok
	}
}

// items scans the elements of an array or the entries of an inline table up to and including the
// closing bracket. Line breaks, comments and a trailing comma are allowed around items (in inline
// tables as TOML 1.1, and BurntSushi, allow).
func (s *scanner) items(closing byte) bool {
	for {
		s.skipBlank()
		if s.i >= len(s.src) {
			return false
		}
		if s.src[s.i] == closing {
			s.i++
			return true
		}
		var ok bool
		if closing == ']' {
			s.b.element()
			ok = s.value()
		} else {
			ok = s.keyval()
		}
		if !ok {
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
				s.i++ // the escaped byte cannot end the string; a bad escape is the decoder's to reject
				if s.i >= len(s.src) || s.src[s.i] == '\n' {
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
