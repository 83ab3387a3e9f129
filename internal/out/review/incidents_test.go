package review

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// hostileIncident is recorded with text that would be markup if it were not escaped.
const hostileIncident = `
[incidents.evil-day]
title = "<script>alert('incident')</script> | pipe & \"co\""
started = 2026-06-18T07:40:00+02:00
ended = 2026-06-18T11:05:00+02:00
failed = ["evil"]
impacted = ["svc-x", "svc-y"]
report = "<img src=x onerror=alert(1)>"
notes = "]]> <!-- c --> [link](http://evil)"
`

// "Past incidents" comes right after the summary when the inventory records incidents, and not at
// all otherwise; what the records hold is escaped in both formats.
func TestIncidentSection(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	doc := Build(parse(t, hostile+hostileIncident), Options{Now: now})
	if len(doc.Sections) < 2 || doc.Sections[0].ID != "summary" || doc.Sections[1].ID != "incidents" {
		t.Fatalf("sections start with %q, want summary then incidents", []string{doc.Sections[0].ID, doc.Sections[1].ID})
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, doc); err != nil {
		t.Fatal(err)
	}
	text := md.String()
	part := text[strings.Index(text, "## Past incidents"):strings.Index(text, "## Provider concentration")]
	for _, want := range []string{
		"| [`evil-day`](#evil-day) | 2026-06-18 07:40 → 11:05 (+02:00), 3 h 25 min |",
		"467.3", // 205 minutes over the 160.1 days since the incident, as minutes a year
	} {
		if !strings.Contains(part, want) {
			t.Errorf("Past incidents lacks %q:\n%s", want, part)
		}
	}
	outside := regexp.MustCompile("``[^`].*?``|`[^`]+`").ReplaceAllString(part, "")
	if m := regexp.MustCompile(`(^|[^\\])(<[a-zA-Z!/]|\]\(http)`).FindString(outside); m != "" {
		t.Errorf("Past incidents has unescaped markup %q:\n%s", m, part)
	}
	if errs := RenderDiagrams(doc, fakeSVG); errs != nil {
		t.Fatal(errs)
	}
	var h bytes.Buffer
	if err := WriteHTML(&h, doc); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, h.Bytes())
	for _, bad := range []string{"<script>alert('incident')", "<img src=x", "<!-- c -->"} {
		if strings.Contains(h.String(), bad) {
			t.Errorf("HTML contains %q unescaped", bad)
		}
	}

	for _, s := range Build(parse(t, hostile), Options{Now: now}).Sections {
		if s.ID == "incidents" {
			t.Error("a Past incidents section without any incident recorded")
		}
	}
}
