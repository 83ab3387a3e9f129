package check

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"path/filepath"
	"strings"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/out"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/policy"
)

// sarifPrinter prints a SARIF 2.1.0 log with one run: a reporting descriptor per policy rule (and per
// waiver problem that occurs), and a result per violation located at the declaration that causes it.
// Existing and new violations carry baselineState "unchanged" and "new"; waived ones carry an external
// suppression with the waiver's reason. A violation's message holds its path as paths says (whole by
// default), shortened as in text; the log is written one result at a time.
type sarifPrinter struct{ paths analyze.Paths }

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// fingerprintKey names spof's own fingerprint: the violation identity, stable across edits that move
	// lines, which is what code-scanning services match results by.
	fingerprintKey = "spofViolation/v1"
)

// The log: {"$schema", "version", "runs": [{"tool": sarifTool, "columnKind", "results": [sarifResult]}]},
// written by Print one field and one result at a time.

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string          `json:"name"`
	InformationURI string          `json:"informationUri"`
	Rules          []sarifRuleDesc `json:"rules"`
}

type sarifRuleDesc struct {
	ID                   string       `json:"id"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	FullDescription      sarifMessage `json:"fullDescription"`
	DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	BaselineState       string             `json:"baselineState,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

func sarifLevel(s diag.Severity) string {
	if s == diag.Error {
		return "error"
	}
	return "warning"
}

// sarifLocations locates pos, as a URI relative to the working directory (the repository root in CI).
func sarifLocations(pos diag.Pos) []sarifLocation {
	if pos.File == "" {
		return nil
	}
	uri := filepath.ToSlash(pos.File)
	if filepath.IsAbs(pos.File) {
		uri = "file://" + uri
	}
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}}}
	if pos.Line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: pos.Line, StartColumn: pos.Col}
	}
	return []sarifLocation{loc}
}

func fingerprint(parts ...string) map[string]string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return map[string]string{fingerprintKey: hex.EncodeToString(sum[:16])}
}

func (p sarifPrinter) Print(w io.Writer, r *policy.Result) error {
	tool := sarifTool{Driver: sarifDriver{Name: "spof", InformationURI: "https://github.com/spofhq/spof", Rules: []sarifRuleDesc{}}}
	index := map[string]int{}
	addRule := func(d sarifRuleDesc) {
		index[d.ID] = len(tool.Driver.Rules)
		tool.Driver.Rules = append(tool.Driver.Rules, d)
	}
	for _, rule := range r.Rules {
		addRule(sarifRuleDesc{ID: rule.ID, ShortDescription: sarifMessage{Text: rule.Message},
			FullDescription:      sarifMessage{Text: "forbids " + string(rule.Forbid) + ": " + rule.Message},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(rule.Severity)}})
	}
	// The waiver problems' rules follow, as they first occur: the tool comes before the results.
	for _, n := range r.WaiverNotes {
		id := n.Problem.Rule()
		if _, ok := index[id]; !ok {
			desc := "a waiver matches no violation and can be deleted"
			if n.Problem == policy.Expired {
				desc = "a waiver is past its expiry date while the violation it waived remains"
			}
			addRule(sarifRuleDesc{ID: id, ShortDescription: sarifMessage{Text: desc}, FullDescription: sarifMessage{Text: desc},
				DefaultConfiguration: sarifConfig{Level: sarifLevel(n.Severity)}})
		}
	}
	paths := newPathText(p.paths)
	result := func(i int) any {
		if i >= len(r.Violations) {
			n := &r.WaiverNotes[i-len(r.Violations)]
			id := n.Problem.Rule()
			wv := n.Waiver
			return sarifResult{RuleID: id, RuleIndex: index[id], Level: sarifLevel(n.Severity),
				Message: sarifMessage{Text: n.Message}, Locations: sarifLocations(wv.Pos),
				PartialFingerprints: fingerprint(id, wv.Rule, wv.Service, wv.Entity)}
		}
		v := &r.Violations[i]
		text := v.Detail
		if v.Introduced {
			text += ", introduced by " + v.Cause
		}
		if path, ok := paths.text(v); ok {
			text += "; path: " + string(path)
		}
		res := sarifResult{RuleID: v.Rule, RuleIndex: index[v.Rule], Level: sarifLevel(v.Severity),
			Message: sarifMessage{Text: text}, Locations: sarifLocations(v.Pos),
			PartialFingerprints: fingerprint(v.Rule, v.Service, v.Entity)}
		switch v.Status {
		case policy.New:
			res.BaselineState = "new"
		case policy.Existing:
			res.BaselineState = "unchanged"
		}
		if v.Waiver != nil {
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted",
				Justification: v.Waiver.Reason + " (until " + v.Waiver.Expires.Format("2006-01-02") + ")"}}
		}
		return res
	}
	return out.WriteJSONObject(w, func(o *out.JSONObject) {
		o.Field("$schema", sarifSchema)
		o.Field("version", sarifVersion)
		o.ObjectList("runs", 1, func(_ int, o *out.JSONObject) {
			o.Field("tool", tool)
			o.Field("columnKind", "unicodeCodePoints")
			o.List("results", len(r.Violations)+len(r.WaiverNotes), result)
		})
	})
}
