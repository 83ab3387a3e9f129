// Package diag holds positioned diagnostics: what went wrong, where, and what was probably meant.
//
// Problems are collected into a List rather than returned one at a time, so that a user fixing an
// inventory sees every problem of a run at once, sorted by file and line like a compiler's output.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
)

// Severity says how bad a diagnostic is. The zero value is invalid so that a forgotten severity is caught.
type Severity uint8

// Severities, from most to least severe.
const (
	_ Severity = iota
	Error
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "invalid"
}

// Pos is a place in an input file. Line and Col are 1-based; zero means unknown. Col counts characters
// (Unicode code points, a tab counting one), not bytes: what a user can count to on the line.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats p as file:line:col, leaving out what is unknown.
func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Compare orders positions by file, line, then column.
func (p Pos) Compare(q Pos) int {
	return cmp.Or(cmp.Compare(p.File, q.File), cmp.Compare(p.Line, q.Line), cmp.Compare(p.Col, q.Col))
}

// Diagnostic is one problem: a one-line lower-case summary and optional detail lines.
type Diagnostic struct {
	Severity Severity
	Pos      Pos
	Summary  string
	// Detail adds lines printed under the summary, such as "first declared at f.toml:3:1".
	Detail string
}

// String formats d the way compilers do: "file:line:col: error: summary".
func (d Diagnostic) String() string {
	var b strings.Builder
	if s := d.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Summary)
	return b.String()
}

// List is a collection of diagnostics. A List with at least one error is an error value.
type List []Diagnostic

// Errorf appends an error at pos.
func (l *List) Errorf(pos Pos, format string, args ...any) {
	*l = append(*l, Diagnostic{Severity: Error, Pos: pos, Summary: fmt.Sprintf(format, args...)})
}

// Add appends d.
func (l *List) Add(d Diagnostic) { *l = append(*l, d) }

// HasErrors reports whether l holds an error (warnings alone do not fail a run).
func (l List) HasErrors() bool {
	return slices.ContainsFunc(l, func(d Diagnostic) bool { return d.Severity == Error })
}

// Sort orders l by position, then severity and summary, so output is the same on every run.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(a.Pos.Compare(b.Pos), cmp.Compare(a.Severity, b.Severity), cmp.Compare(a.Summary, b.Summary))
	})
}

// Error returns the diagnostics, one per line, so a List can travel as an error.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// Write prints every diagnostic of l to w, each followed by its indented detail lines.
func Write(w io.Writer, l List) error {
	var b strings.Builder
	for _, d := range l {
		b.WriteString(d.String())
		b.WriteByte('\n')
		if d.Detail != "" {
			for line := range strings.SplitSeq(strings.TrimRight(d.Detail, "\n"), "\n") {
				b.WriteByte('\t')
				b.WriteString(line)
				b.WriteByte('\n')
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
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
