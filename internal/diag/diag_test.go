package diag

import (
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	ids := []string{"pbx-01", "pbx-02", "carrier-a", "carrier-b", "support-line"}
	tests := []struct{ name, want string }{
		{"pbx-1", "pbx-01"},
		{"pbx-03", "pbx-01"},
		{"carier-a", "carrier-a"},
		{"carrier-c", "carrier-a"},
		{"suport-line", "support-line"},
		{"supprot-line", "support-line"},
		{"zzz", ""},
		{"pbx-01", "pbx-02"}, // never suggests the name itself
	}
	for _, tt := range tests {
		if got := Suggest(tt.name, ids); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestWriteSorted(t *testing.T) {
	var l List
	l.Errorf(Pos{File: "b.toml", Line: 2, Col: 1}, "second")
	l.Add(Diagnostic{Severity: Error, Pos: Pos{File: "a.toml", Line: 9, Col: 3}, Summary: "first", Detail: "more\nand more"})
	l.Errorf(Pos{File: "b.toml"}, "whole file")
	l.Sort()
	var b strings.Builder
	if err := Write(&b, l); err != nil {
		t.Fatal(err)
	}
	want := "a.toml:9:3: error: first\n\tmore\n\tand more\nb.toml: error: whole file\nb.toml:2:1: error: second\n"
	if b.String() != want {
		t.Errorf("Write = %q, want %q", b.String(), want)
	}
	if !l.HasErrors() {
		t.Error("HasErrors = false, want true")
	}
}
