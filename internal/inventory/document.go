package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/tomlpos"
)

// Document is one decoded TOML file: its values as BurntSushi/toml decodes them (string, int64,
// float64, bool, time.Time, []any, map[string]any) and where each key and value is. The inventory
// loader and the policy loader both read their files through it, so that both report problems at the
// same precise positions and this package stays the only user of the TOML library.
type Document struct {
	Name  string
	Data  map[string]any
	index *tomlpos.Index
}

// Decode decodes src, or returns its syntax error at the line and column the decoder reports.
func Decode(src Source) (*Document, diag.List) {
	data, diags := decodeValues(src)
	if diags != nil {
		return nil, diags
	}
	return &Document{Name: src.Name, Data: data, index: tomlpos.Scan(src.Data)}, nil
}

// decodeValues decodes src into plain values, or returns its syntax error, positioned.
func decodeValues(src Source) (map[string]any, diag.List) {
	var data map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(src.Data)).Decode(&data); err != nil {
		var diags diag.List
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if msg == "" {
				msg = pe.Error()
			}
			diags.Errorf(diag.Pos{File: src.Name, Line: pe.Position.Line, Col: pe.Position.Col}, "invalid TOML: %s", lowerFirst(msg))
		} else {
			diags.Errorf(diag.Pos{File: src.Name}, "invalid TOML: %s", lowerFirst(err.Error()))
		}
		return nil, diags
	}
	return data, nil
}

// KeyPos returns where the key at path is written, or the nearest indexed place above it.
func (d *Document) KeyPos(path ...string) diag.Pos {
	p, ok := d.index.Key(path...)
	if !ok {
		p, _ = d.index.Nearest(path...)
	}
	return diag.Pos{File: d.Name, Line: p.Line, Col: p.Col}
}

// ValuePos returns where the value at path starts, or the nearest indexed place above it.
func (d *Document) ValuePos(path ...string) diag.Pos {
	p, ok := d.index.Value(path...)
	if !ok {
		p, _ = d.index.Nearest(path...)
	}
	return diag.Pos{File: d.Name, Line: p.Line, Col: p.Col}
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

// DescribeFSError turns a file-system error into the few words a user needs ("no such file or folder"),
// without repeating the path the caller already prints.
func DescribeFSError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or folder"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// ValidID reports whether s is a valid identifier: lower-case letters, digits, '.', '_' and '-',
// starting with a letter or digit. Entity IDs and policy rule IDs follow the same rule.
func ValidID(s string) bool { return idPattern.MatchString(s) }
