package tomldoc

import "github.com/spofhq/spof/internal/diag"

// MaxKeyDepth is the longest key path a document may hold, in segments: those of its table header,
// of its dotted key and of the keys of the inline tables around it (`[a.b]` then `c = { d = 1 }` puts
// d at depth 4). The decoder holds and spells out every key's whole path, so its memory grows with the
// number of keys times their depth: 10,000 inline tables one inside another (400 KB of TOML) took 8 GB
// before any error could be reported. No inventory or policy comes near this depth (a group nested 64
// deep, the inventory's own limit, is at depth 67).
const MaxKeyDepth = 100

// Limits are bounds on the nesting of a document, checked on its text before it is decoded, in one
// pass whose cost is linear in the text: the decoder is then never given a document that would cost
// it more than linear memory.
type Limits struct {
	// Tables is the most inline tables that may be open one inside another (0: no bound but
	// MaxKeyDepth's). Arrays between them do not count: in `{ any_of = ["a", { any_of = [...] }] }`
	// the second table is at depth 2.
	Tables int
	// Noun names the inline tables for the caller's users, in the error: "groups" gives "groups nested
	// 70 deep; at most 64". "inline tables" when empty.
	Noun string
}

// depth is what the depth scan found: the deepest key path and inline-table nesting, and where each
// first went past its limit (line 0 when it did not).
type depth struct {
	keys, tables         int
	keysPast, tablesPast position
	// cut is true when the scanner stopped at its own bound on nesting (maxDepth): the text nests
	// deeper than measured.
	cut bool
}

// checkDepth returns the error of a document that nests deeper than MaxKeyDepth or l allows,
// positioned at the first key or inline table past the limit; nil otherwise. The tables' bound is
// reported first: it is the one written in the caller's terms. A text the scanner cannot follow is
// measured up to where it stops, and the decoder then reports its syntax error.
func checkDepth(src Source, l Limits) diag.List {
	d := measureDepth(src.Data, l.Tables)
	var diags diag.List
	switch {
	case d.tablesPast.line > 0:
		noun := l.Noun
		if noun == "" {
			noun = "inline tables"
		}
		diags.Errorf(diag.Pos{File: src.Name, Line: d.tablesPast.line, Col: d.tablesPast.col},
			"%s nested %d deep%s; at most %d", noun, d.tables, orMore(d.cut), l.Tables)
	case d.keysPast.line > 0:
		diags.Errorf(diag.Pos{File: src.Name, Line: d.keysPast.line, Col: d.keysPast.col},
			"invalid TOML: a key path %d deep%s (table, dotted key and inline tables); at most %d", d.keys, orMore(d.cut), MaxKeyDepth)
	}
	return diags
}

func orMore(cut bool) string {
	if cut {
		return " or more"
	}
	return ""
}

// measureDepth scans src and returns how deep it nests; maxTables is the tables' limit whose first
// excess it records (0: none).
func measureDepth(src []byte, maxTables int) depth {
	b := &depthBuilder{maxTables: maxTables}
	scan(src, b)
	return b.d
}

// depthBuilder measures nesting as the scanner reads.
type depthBuilder struct {
	maxTables int
	d         depth
	// base is the depth of the current table header; next that of the value that comes next.
	base, next int
	// stack holds, for each open array or inline table, the depth of its own key path and whether it
	// is an inline table; tables counts the inline tables in it.
	stack  []openValue
	tables int
}

// openValue is an array or inline table being read.
type openValue struct {
	depth int
	table bool
}

func (b *depthBuilder) blank()                    {}
func (b *depthBuilder) comment(_, _ int)          {}
func (b *depthBuilder) trailing(_, _ int)         {}
func (b *depthBuilder) atom(_, _ int, _ position) {}

func (b *depthBuilder) header(key []keySeg, _ bool) {
	b.base = 0
	b.keyPath(0, key)
	b.base = b.next
}

func (b *depthBuilder) key(key []keySeg) {
	at := b.base
	if n := len(b.stack); n > 0 {
		at = b.stack[n-1].depth
	}
	b.keyPath(at, key)
}

// keyPath records the path of key, below a path at depth at, as that of the next value.
func (b *depthBuilder) keyPath(at int, key []keySeg) {
	b.next = at + len(key)
	if b.next > b.d.keys {
		b.d.keys = b.next
	}
	if b.next > MaxKeyDepth && b.d.keysPast.line == 0 {
		b.d.keysPast = key[max(0, len(key)-(b.next-MaxKeyDepth))].pos
	}
}

// element: an element of an array has its array's path (the decoder does not number elements).
func (b *depthBuilder) element() { b.next = b.stack[len(b.stack)-1].depth }

func (b *depthBuilder) open(c byte, _ int, p position) {
	table := c == '{'
	b.stack = append(b.stack, openValue{depth: b.next, table: table})
	if len(b.stack) >= maxDepth {
		b.d.cut = true
	}
	if !table {
		return
	}
	b.tables++
	if b.tables > b.d.tables {
		b.d.tables = b.tables
	}
	if b.maxTables > 0 && b.tables > b.maxTables && b.d.tablesPast.line == 0 {
		b.d.tablesPast = p
	}
}

func (b *depthBuilder) close(_ int, _ bool) {
	if b.stack[len(b.stack)-1].table {
		b.tables--
	}
	b.stack = b.stack[:len(b.stack)-1]
}
