package tomldoc

import (
	"strings"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/diag"
)

// TestSyntaxErrorColumns checks that a syntax error's column counts characters, as the index's do:
// BurntSushi counts bytes, which puts an error after an "é" one column to the right of where an
// editor shows it. Columns below were counted by hand, in characters.
func TestSyntaxErrorColumns(t *testing.T) {
	cases := []struct {
		name, doc string
		want      diag.Pos
	}{
		{"ASCII", "name = \"ete\" x\n", diag.Pos{File: "f.toml", Line: 1, Col: 14}},
		{"accents before the error", "name = \"été\" x\n", diag.Pos{File: "f.toml", Line: 1, Col: 14}},
		{"a tab is one character", "\tname = \"été\"\tx\n", diag.Pos{File: "f.toml", Line: 1, Col: 15}},
		{"wide characters", "k = \"日本\" = 1\n", diag.Pos{File: "f.toml", Line: 1, Col: 10}},
		{"on a later line", "a = \"ü\"\nk = [\"日本\", 1, ]x\n", diag.Pos{File: "f.toml", Line: 2, Col: 16}},
		{"byte-order mark not counted", "\ufeffname = \"été\" x\n", diag.Pos{File: "f.toml", Line: 1, Col: 14}},
		{"in a value", "k = \"日本\"\nd = 1979-13-01\n", diag.Pos{File: "f.toml", Line: 2, Col: 5}},
		// BurntSushi says line 0 here, and 2:14 in the next, and 1:4 in the one after.
		{"escape at the end of the text", "k = \"été\\", diag.Pos{File: "f.toml", Line: 1, Col: 9}},
		{"at the start of a line", "#è—î0000\n0", diag.Pos{File: "f.toml", Line: 2, Col: 1}},
		{"after a CR", "a = 0\r\nb = \"\r\n", diag.Pos{File: "f.toml", Line: 2, Col: 6}},
		// BurntSushi says 2:12 here: the line after the line break it got.
		{"an unexpected line break", "[services.d\n", diag.Pos{File: "f.toml", Line: 1, Col: 12}},
		{"the blanks before what it got", "a = 1 \t \tx\n", diag.Pos{File: "f.toml", Line: 1, Col: 10}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, diags := Decode(Source{Name: "f.toml", Data: []byte(c.doc)})
			if doc != nil || len(diags) != 1 {
				t.Fatalf("got %v, %v; want one syntax error", doc, diags)
			}
			if diags[0].Pos != c.want || !strings.HasPrefix(diags[0].Summary, "invalid TOML: ") {
				t.Errorf("got %v: %s; want at %v", diags[0].Pos, diags[0].Summary, c.want)
			}
		})
	}
}

// TestErrorAndIndexColumnsAgree puts a syntax error and an indexed key at the same place of the same
// line, after multi-byte characters: the duplicate key b of the first document is where c is in the
// second.
func TestErrorAndIndexColumnsAgree(t *testing.T) {
	const line = "x = { \"é\" = 1, b = 2, %s = 3 } # ü\n"
	_, diags := Decode(Source{Name: "f.toml", Data: []byte("\t" + strings.Replace(line, "%s", "b", 1))})
	doc, ok := Decode(Source{Name: "f.toml", Data: []byte("\t" + strings.Replace(line, "%s", "c", 1))})
	if len(diags) != 1 || ok != nil {
		t.Fatalf("got %v and %v; want one error, then none", diags, ok)
	}
	want := diag.Pos{File: "f.toml", Line: 1, Col: 24}
	if got := doc.KeyPos("x", "c"); got != want {
		t.Errorf("KeyPos(x, c) = %v, want %v", got, want)
	}
	if got := diags[0].Pos; got != want {
		t.Errorf("duplicate key reported at %v (%s), want %v", got, diags[0].Summary, want)
	}
}

// TestDecodeFirst lists documents the scanner follows to the end although they are not TOML: Decode
// and ParseTree must reject them with BurntSushi's error, which is what makes them accept exactly what
// BurntSushi accepts.
func TestDecodeFirst(t *testing.T) {
	cases := []struct{ name, doc, msg string }{
		{"key defined twice", "a = 1\na = 2\n", "has already been defined"},
		{"table defined twice", "[t]\n[t]\n", "has already been defined"},
		{"bad escape in a value", "a = \"\\q\"\n", "invalid escape"},
		{"bad number", "a = 0x\n", "invalid"},
		{"bad date", "a = 1979-13-01\n", "invalid datetime"},
		{"not a value", "a = nope\n", "expected value"},
		{"control character", "a = \"x\x01\"\n", "control characters"},
		{"leading zero", "a = 007\n", "invalid"},
		{"array of tables over a table", "[a]\n[[a]]\n", "cannot be used as an array"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(c.doc)
			if _, err := parseTree(src); err != nil {
				t.Fatalf("the scanner stops (%v): not a case of leniency", err)
			}
			_, diags := Decode(Source{Name: "f.toml", Data: src})
			if len(diags) != 1 || !strings.Contains(diags.Error(), c.msg) || diags[0].Pos.Line == 0 {
				t.Errorf("Decode: got %v, want a positioned error containing %q", diags, c.msg)
			}
			tree, data, diags := ParseTree(Source{Name: "f.toml", Data: src})
			if tree != nil || data != nil || len(diags) != 1 || !strings.Contains(diags.Error(), c.msg) {
				t.Errorf("ParseTree: got %v, %v, %v; want the decoder's error", tree, data, diags)
			}
		})
	}
}

// TestPositionsFallBack checks KeyPos and ValuePos on paths that are not written as such.
func TestPositionsFallBack(t *testing.T) {
	const src = "[services.app]\nname = \"é\"\nruns_on = [\"a\", \"b\"]\n[[waiver]]\nrule = \"x\"\n"
	doc, diags := Decode(Source{Name: "f.toml", Data: []byte(src)})
	if diags != nil {
		t.Fatal(diags)
	}
	at := func(line, col int) diag.Pos { return diag.Pos{File: "f.toml", Line: line, Col: col} }
	cases := []struct {
		name string
		got  diag.Pos
		want diag.Pos
	}{
		{"key", doc.KeyPos("services", "app", "name"), at(2, 1)},
		{"value", doc.ValuePos("services", "app", "name"), at(2, 8)},
		{"table has no value: its header", doc.ValuePos("services", "app"), at(1, 11)},
		{"element has no key: its value", doc.KeyPos("services", "app", "runs_on", "1"), at(3, 17)},
		{"missing key: the table", doc.KeyPos("services", "app", "owner"), at(1, 11)},
		{"missing element: the array", doc.ValuePos("services", "app", "runs_on", "5"), at(3, 11)},
		{"array of tables entry", doc.KeyPos("waiver", "0"), at(4, 3)},
		{"nothing at all", doc.KeyPos("nope"), diag.Pos{File: "f.toml"}},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestTypeName(t *testing.T) {
	doc, diags := Decode(Source{Name: "f.toml", Data: []byte(`s = "x"
i = 1
f = 1.5
b = true
a = [1]
t = { x = 1 }
d = 2026-06-12
dt = 2026-06-12T10:00:00Z
ldt = 2026-06-12T10:00:00
lt = 10:00:00
[[aot]]
`)})
	if diags != nil {
		t.Fatal(diags)
	}
	for key, want := range map[string]string{
		"s": "a string", "i": "an integer", "f": "a float", "b": "a boolean", "a": "an array",
		"t": "a table", "d": "a date", "dt": "a date-time", "ldt": "a date-time", "lt": "a date-time",
		"aot": "an array",
	} {
		if got := TypeName(doc.Data[key]); got != want {
			t.Errorf("TypeName(%s) = %q, want %q", key, got, want)
		}
	}
	if got := TypeName(int8(1)); got != "a int8" {
		t.Errorf("TypeName(int8) = %q", got)
	}
}

func TestLocalDate(t *testing.T) {
	doc, diags := Decode(Source{Name: "f.toml", Data: []byte("d = 2026-06-12\ndt = 2026-06-12T10:00:00Z\nldt = 2026-06-12T00:00:00\ns = \"2026-06-12\"\n")})
	if diags != nil {
		t.Fatal(diags)
	}
	if day, ok := LocalDate(doc.Data["d"]); !ok || !day.Equal(time.Date(2026, 6, 12, 0, 0, 0, 0, time.UTC)) || day.Location() != time.UTC {
		t.Errorf("LocalDate(d) = %v, %v", day, ok)
	}
	for _, key := range []string{"dt", "ldt", "s"} {
		if day, ok := LocalDate(doc.Data[key]); ok {
			t.Errorf("LocalDate(%s) = %v, want not a local date", key, day)
		}
	}
}
