package analyze

import (
	"unicode/utf8"

	"github.com/spofhq/spof/internal/model"
)

// This file holds the primitives of the hand-written JSON writer of stream.go. They write exactly
// the bytes encoding/json writes with SetEscapeHTML(false), which the documents of document.go are
// defined by: stream_test.go compares the two on every kind of inventory and on hostile strings.

// appendString appends s as a JSON string, escaped like encoding/json with SetEscapeHTML(false):
// `"` and `\` with a backslash; \b \f \n \r \t by name and other control bytes as \u00XX; U+2028
// and U+2029 as \u2028 and \u2029; every byte of invalid UTF-8 as \ufffd. DEL and <>& stay as they
// are.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b >= 0x20 && b < utf8.RuneSelf && b != '"' && b != '\\' {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			// Valid JSON, but not valid JavaScript: encoding/json escapes them, so must we.
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// quoted holds every entity's ID, and every kind's name, already written as JSON strings. The
// services part of a 100,000-entity document is some 20 million IDs (paths and cut sets): copying
// them beats escaping each again.
type quoted struct {
	ids   []byte // the quoted IDs, back to back, in entity order
	off   []int  // entity i's quoted ID is ids[off[i]:off[i+1]]
	kinds [256][]byte
}

func newQuoted(inv *model.Inventory) *quoted {
	q := &quoted{off: make([]int, 0, inv.Len()+1)}
	for i := range inv.Entities {
		q.off = append(q.off, len(q.ids))
		q.ids = appendString(q.ids, inv.Entities[i].ID)
	}
	q.off = append(q.off, len(q.ids))
	q.ids = append(q.ids, make([]byte, idWord)...) // id reads a whole word past the last ID
	for _, k := range model.Kinds {
		q.kinds[k] = appendString(nil, k.String())
	}
	return q
}

// idWord is the length of the quoted IDs that id copies as one fixed-size word: most of them.
const idWord = 16

// id appends entity e's ID. A short ID, given room, is copied as one word of idWord bytes (the
// bytes past its end are cut off again): a call of memmove per ID was a fifth of the cost of the
// twenty million IDs of a 100,000-entity document. Like append, it takes the spare capacity of
// dst as its own: up to idWord bytes of it may be overwritten.
func (q *quoted) id(dst []byte, e int32) []byte {
	a, b := q.off[e], q.off[e+1]
	if n := len(dst); b-a <= idWord && cap(dst)-n >= idWord {
		*(*[idWord]byte)(dst[n : n+idWord]) = *(*[idWord]byte)(q.ids[a : a+idWord])
		return dst[:n+b-a]
	}
	return append(dst, q.ids[a:b]...)
}

// idList appends the IDs of xs as a JSON array.
func (q *quoted) idList(dst []byte, xs []int32) []byte {
	dst = append(dst, '[')
	for i, x := range xs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = q.id(dst, x)
	}
	return append(dst, ']')
}

// kind appends entity e's kind.
func (q *quoted) kind(dst []byte, inv *model.Inventory, e int32) []byte {
	return append(dst, q.kinds[inv.Entities[e].Kind]...)
}
