package check

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/policy"
)

// sarifPrinter prints a SARIF 2.1.0 log with one run: a reporting descriptor per policy rule (and per
// waiver problem that occurs), and a result per violation located at the declaration that causes it.
// Existing and new violations carry baselineState "unchanged" and "new"; waived ones carry an external
// suppression with the waiver's reason.
type sarifPrinter struct{}

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// fingerprintKey names spof's own fingerprint: the violation identity, stable across edits that move
	// lines, which is what code-scanning services match results by.
	fingerprintKey = "spofViolation/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

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

func (sarifPrinter) Print(w io.Writer, r *policy.Result) error {
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: "spof", InformationURI: "https://github.com/spofhq/spof", Rules: []sarifRuleDesc{}}},
		ColumnKind: "unicodeCodePoints",
		Results:    []sarifResult{},
	}
	index := map[string]int{}
	addRule := func(d sarifRuleDesc) {
		index[d.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, d)
	}
	for _, rule := range r.Rules {
		addRule(sarifRuleDesc{ID: rule.ID, ShortDescription: sarifMessage{Text: rule.Message},
			FullDescription:      sarifMessage{Text: "forbids " + string(rule.Forbid) + ": " + rule.Message},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(rule.Severity)}})
	}
	for _, v := range r.Violations {
		text := v.Detail
		if v.Introduced {
			text += ", introduced by " + v.Cause
		}
		if len(v.Path) > 1 {
			text += "; path: " + strings.Join(v.Path, " → ")
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
		run.Results = append(run.Results, res)
	}
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
		wv := n.Waiver
		run.Results = append(run.Results, sarifResult{RuleID: id, RuleIndex: index[id], Level: sarifLevel(n.Severity),
			Message: sarifMessage{Text: n.Message}, Locations: sarifLocations(wv.Pos),
			PartialFingerprints: fingerprint(id, wv.Rule, wv.Service, wv.Entity)})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}
