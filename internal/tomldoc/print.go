package tomldoc

import (
	"bytes"
	"cmp"
	"slices"
)

// Bytes prints the tree in the canonical layout, ending with one line break (an empty document
// prints nothing).
func (d *Tree) Bytes() []byte {
	var b bytes.Buffer
	lines := func(ls []string) {
		for _, l := range ls {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	entries := func(es []*Entry) {
		for i, e := range es {
			if e.Blank && i > 0 && len(e.Comments) > 0 {
				b.WriteByte('\n')
			}
			lines(e.Comments)
			b.WriteString(FormatKey(e.Key))
			b.WriteString(" = ")
			b.WriteString(e.Value)
			if e.Trailing != "" {
				b.WriteByte(' ')
				b.WriteString(e.Trailing)
			}
			b.WriteByte('\n')
		}
	}
	lines(d.Preamble)
	if len(d.Preamble) > 0 && len(d.Top) > 0 {
		b.WriteByte('\n')
	}
	entries(d.Top)
	lines(d.Footer)
	for _, t := range d.Tables {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		lines(t.Comments)
		if t.Array {
			b.WriteString("[[" + FormatKey(t.Path) + "]]")
		} else {
			b.WriteString("[" + FormatKey(t.Path) + "]")
		}
		if t.Trailing != "" {
			b.WriteByte(' ')
			b.WriteString(t.Trailing)
		}
		b.WriteByte('\n')
		entries(t.Entries)
		lines(t.Footer)
	}
	return b.Bytes()
}

// SortTables orders the tables by rank, keeping the written order among tables of equal rank.
func (d *Tree) SortTables(rank func(t *Table) int) {
	slices.SortStableFunc(d.Tables, func(a, b *Table) int { return cmp.Compare(rank(a), rank(b)) })
}

// SortEntries orders each table's entries by rank, keeping the written order among equal ranks (so the
// dotted keys of one table, such as runs_on.any_of and runs_on.at_least, stay together in their order).
func (d *Tree) SortEntries(rank func(t *Table, e *Entry) int) {
	for _, t := range d.Tables {
		slices.SortStableFunc(t.Entries, func(a, b *Entry) int { return cmp.Compare(rank(t, a), rank(t, b)) })
	}
}
