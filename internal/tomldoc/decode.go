package tomldoc

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/spofhq/spof/internal/diag"
)

// Source is the text of one TOML file and the name it is reported under.
type Source struct {
	Name string
	Data []byte
}

// Document is one decoded TOML file: its values as BurntSushi/toml decodes them (string, int64,
// float64, bool, time.Time, []any, []map[string]any for arrays of tables, map[string]any) and where
// each key and value is written.
type Document struct {
	// Name is the file's name in diagnostics.
	Name string
	// Data holds the decoded values, by key.
	Data map[string]any
	// index is built from the text once it is known to be valid TOML; it holds no reference to it.
	index *index
}

// Decode decodes src and indexes where its keys and values are, or returns its syntax error,
// positioned where the decoder found it (the column counted in characters, see errorPos), or the
// error of a document nested deeper than MaxKeyDepth.
func Decode(src Source) (*Document, diag.List) { return DecodeWithin(src, Limits{}) }

// DecodeWithin is Decode for a caller whose documents have a bound of their own on the nesting of
// inline tables: a text past l is refused before it is decoded.
func DecodeWithin(src Source, l Limits) (*Document, diag.List) {
	data, diags := decodeData(src, l)
	if diags != nil {
		return nil, diags
	}
	return &Document{Name: src.Name, Data: data, index: buildIndex(src.Data)}, nil
}

// DecodeData decodes src into plain values, as Decode does, without indexing positions: for tools that
// work on the text (spof fmt, the importers) and must prove they kept the data, and for reading
// values where no error is to be reported.
func DecodeData(src Source) (map[string]any, diag.List) { return decodeData(src, Limits{}) }

func decodeData(src Source, l Limits) (map[string]any, diag.List) {
	if diags := checkDepth(src, l); diags != nil {
		return nil, diags
	}
	var data map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(src.Data)).Decode(&data); err != nil {
		var diags diag.List
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if msg == "" {
				msg = pe.Error()
			}
			line, col := errorPos(src.Data, pe.Position, gotChar(msg))
			at := diag.Pos{File: src.Name, Line: line, Col: col}
			diags.Errorf(at, "invalid TOML: %s", lowerFirst(msg))
		} else {
			diags.Errorf(diag.Pos{File: src.Name}, "invalid TOML: %s", lowerFirst(err.Error()))
		}
		return nil, diags
	}
	return data, nil
}

// errorPos returns the line and column of a BurntSushi syntax error, the column in characters.
// BurntSushi counts columns in bytes, which puts an error after an "é" one column to the right of
// where an editor shows it and of where the index would put it. So the position is counted here from
// the error's byte offset (Start, in the text after a byte-order mark), for BurntSushi's line is
// not always Start's: past the end of the line before for an error at the start of a line, the next
// line for an unexpected line break, 0 at the end of a text without a final line break. An error
// about a character it "got" points at that character, not at the blanks before it where the
// lexer stopped.
func errorPos(src []byte, p toml.Position, got byte) (line, col int) {
	src = stripBOM(src)
	start := min(max(p.Start, 0), len(src))
	if got != 0 && got != ' ' && got != '\t' {
		for start < len(src) && (src[start] == ' ' || src[start] == '\t') {
			start++
		}
	}
	line = bytes.Count(src[:start], []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1
	return line, utf8.RuneCount(src[lineStart:start]) + 1
}

// gotChar returns the character of a BurntSushi message "... but got 'x' instead", or 0.
func gotChar(msg string) byte {
	_, rest, ok := strings.Cut(msg, "but got '")
	if !ok || len(rest) < 2 || rest[1] != '\'' {
		return 0
	}
	return rest[0]
}

// stripBOM removes a byte-order mark the way BurntSushi does.
func stripBOM(src []byte) []byte {
	switch {
	case bytes.HasPrefix(src, []byte("\xef\xbb\xbf")):
		return src[3:]
	case bytes.HasPrefix(src, []byte("\xff\xfe")), bytes.HasPrefix(src, []byte("\xfe\xff")):
		return src[2:]
	}
	return src
}

// KeyPos returns where the key at path is written, or the nearest indexed place above it. Path is as
// in Data, with the decimal index of an element of an array or of an array of tables as a segment:
// KeyPos("waiver", "1", "rule") is the rule key of the second [[waiver]]. For a table, it is where its
// header (the first one naming it) or its dotted key names it.
func (d *Document) KeyPos(path ...string) diag.Pos {
	p, ok := d.index.key(path...)
	if !ok {
		p, _ = d.index.nearest(path...)
	}
	return diag.Pos{File: d.Name, Line: p.line, Col: p.col}
}

// ValuePos returns where the value at path starts (its opening quote or bracket, or its first
// character), or the nearest indexed place above it: a table written with a header has no value
// position, so ValuePos gives its header's.
func (d *Document) ValuePos(path ...string) diag.Pos {
	p, ok := d.index.value(path...)
	if !ok {
		p, _ = d.index.nearest(path...)
	}
	return diag.Pos{File: d.Name, Line: p.line, Col: p.col}
}

func lowerFirst(s string) string {
	if s == "" || strings.HasPrefix(s, "TOML") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// TypeName names a decoded TOML value's type the way the TOML spec does, with its article, for
// messages such as "tier must be a string, not an integer".
func TypeName(v any) string {
	switch x := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	case time.Time:
		if _, ok := LocalDate(x); ok {
			return "a date"
		}
		return "a date-time"
	}
	return fmt.Sprintf("a %T", v)
}

// LocalDate returns the day a TOML local date (`2026-12-31`, no time, no offset) names, as midnight
// UTC; ok is false for any other value, date-times included.
func LocalDate(v any) (day time.Time, ok bool) {
	t, isTime := v.(time.Time)
	// The decoder marks local dates with a location of its own, named "date-local".
	if !isTime || t.Location().String() != "date-local" {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
}
