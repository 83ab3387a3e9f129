package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// CSVOptions controls a CSV import.
type CSVOptions struct {
	Kind model.Kind
	// IDColumn is the header of the column holding IDs.
	IDColumn string
	// Map maps inventory keys to column headers. Columns named like a key of Kind (case and the
	// separators ' ', '-' and '_' aside) are mapped without being listed.
	Map map[string]string
	// Comma is the field delimiter (',' when zero).
	Comma rune
	// NoStubs: see BackstageOptions.
	NoStubs bool
}

// UsageError is a problem with the options of an import rather than with its data.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{fmt.Sprintf(format, args...)} }

// headerKey folds a column header or key name for matching: "Customer-Facing" matches customer_facing.
func headerKey(s string) string {
	return strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// CSV reads a table with a header row into entities of o.Kind, one per row. Values are converted by
// the type of their key: strings as they are, booleans from true/false, yes/no, y/n or 1/0, tags and
// references from lists separated by ',' or ';', availability from a fraction or a percentage
// ("99.95%"). IDs, in the ID column and in references, are normalized (lower case, other characters
// replaced by '-'). Empty cells set nothing. It returns a UsageError when the options do not fit the
// header, and problems with rows as diagnostics in the Import.
func CSV(r io.Reader, name string, o CSVOptions) (*Import, error) {
	im := &Import{Source: "CSV file " + name}
	cr := csv.NewReader(r)
	if o.Comma != 0 {
		cr.Comma = o.Comma
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, usagef("%s is empty: want a header row naming the columns", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\uFEFF") // spreadsheets write a byte-order mark
	}
	col := map[string]int{}
	for i, h := range header {
		if _, dup := col[headerKey(h)]; !dup {
			col[headerKey(h)] = i
		}
	}
	find := func(h string) (int, error) {
		if i, ok := col[headerKey(h)]; ok {
			return i, nil
		}
		return 0, usagef("no column %q in %s; the columns are %s%s", h, name, strings.Join(quoteAll(header), ", "), diag.DidYouMean(h, header))
	}
	idCol, err := find(o.IDColumn)
	if err != nil {
		return nil, err
	}
	type mapped struct {
		spec inventory.KeySpec
		col  int
	}
	var keys []mapped
	explicit := map[string]bool{}
	var names []string
	for _, spec := range inventory.Keys() {
		if applies(spec, o.Kind) {
			names = append(names, spec.Name)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(o.Map)) {
		spec, ok := specOf(k)
		if !ok {
			return nil, usagef("--map %s=%s: unknown key %q%s", k, o.Map[k], k, diag.DidYouMean(k, names))
		}
		if !applies(spec, o.Kind) {
			return nil, usagef("--map %s=%s: key %s does not apply to %s", k, o.Map[k], k, o.Kind.Table())
		}
		i, err := find(o.Map[k])
		if err != nil {
			return nil, err
		}
		keys = append(keys, mapped{spec, i})
		explicit[k] = true
	}
	for _, spec := range inventory.Keys() {
		if i, ok := col[headerKey(spec.Name)]; ok && !explicit[spec.Name] && applies(spec, o.Kind) && i != idCol {
			keys = append(keys, mapped{spec, i})
		}
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			im.Diags.Add(diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: name}, Summary: csvError(name, err).Error()})
			break
		}
		line, _ := cr.FieldPos(0)
		pos := diag.Pos{File: name, Line: line}
		cell := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		raw := cell(idCol)
		id := NormalizeID(raw)
		if !model.ValidID(id) {
			im.Diags.Errorf(pos, "row without a usable ID in column %q (got %q)", header[idCol], raw)
			continue
		}
		if first, dup := seen[id]; dup {
			im.Diags.Errorf(pos, "duplicate ID %q, first on line %d", id, first)
			continue
		}
		seen[id] = line
		e := Entity{Kind: o.Kind, ID: id}
		for _, k := range keys {
			v := cell(k.col)
			if v == "" {
				continue
			}
			key, err := csvValue(k.spec, v)
			if err != nil {
				p := pos
				p.Col = k.col + 1
				im.Diags.Errorf(p, "column %q: %v", header[k.col], err)
				continue
			}
			key.Refs = slices.DeleteFunc(key.Refs, func(r string) bool { return r == id })
			e.set(key)
		}
		im.Entities = append(im.Entities, e)
	}
	im.sort()
	if !o.NoStubs {
		stubbed := im.Stubs(stubKindFor, func(ref string, by []string) string {
			return fmt.Sprintf("Referred to in %s by %s, not declared there.", filepath.Base(name), strings.Join(by, ", "))
		})
		if len(stubbed) > 0 {
			im.Diags.Add(diag.Diagnostic{Severity: diag.Warning, Summary: fmt.Sprintf("declared %d referenced %s as %s: %s (--stubs=false when the inventory declares them)", len(stubbed), human.Plural(len(stubbed), "entity", "entities"), human.Plural(len(stubbed), "a stub", "stubs"), strings.Join(stubbed, ", "))})
		}
	}
	im.Diags.Sort()
	return im, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d:%d: invalid CSV: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// stubKindFor declares a stub of the kind the key names: a component where components are allowed
// (clusters, sites, appliances), else the first allowed kind.
func stubKindFor(_ string, spec inventory.KeySpec) model.Kind {
	if spec.Targets == nil || slices.Contains(spec.Targets, model.Component) {
		return model.Component
	}
	return spec.Targets[0]
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// csvValue converts a cell to the value of key spec.
func csvValue(spec inventory.KeySpec, v string) (Key, error) {
	k := Key{Name: spec.Name}
	switch spec.Type {
	case inventory.String, inventory.PhoneNumber:
		k.Value = tomldoc.Quote(v)
	case inventory.TierName:
		t, ok := model.ParseTier(strings.ToLower(v))
		if !ok {
			return k, fmt.Errorf("invalid tier %q: want one of %s", v, strings.Join(model.TierNames(), ", "))
		}
		k.Value = tomldoc.Quote(t.String())
	case inventory.Bool:
		switch strings.ToLower(v) {
		case "true", "yes", "y", "1":
			k.Value = "true"
		case "false", "no", "n", "0":
			k.Value = "false"
		default:
			return k, fmt.Errorf("%q is not a boolean: want true/false, yes/no or 1/0", v)
		}
	case inventory.StringList:
		k.Value = tomldoc.QuoteAll(splitList(v))
	case inventory.Fraction:
		pct := strings.HasSuffix(v, "%")
		x, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, "%")), 64)
		if err != nil {
			return k, fmt.Errorf("%q is not a number", v)
		}
		if pct {
			x = math.Round(x*1e10) / 1e12 // 99.95% is 0.9995, not 0.9994999999999999
		}
		if !(x > 0 && x <= 1) {
			return k, fmt.Errorf("%s must be in (0,1] or a percentage, got %s", spec.Name, v)
		}
		k.Value = strconv.FormatFloat(x, 'f', -1, 64)
	case inventory.RoleName:
		r, ok := model.ParseRole(strings.ToLower(v))
		if !ok {
			return k, fmt.Errorf("invalid role %q: want one of %s", v, strings.Join(model.RoleNames(), ", "))
		}
		k.Value = tomldoc.Quote(r.String())
	case inventory.Requirement, inventory.IDList:
		for _, r := range splitList(v) {
			id := NormalizeID(r)
			if !model.ValidID(id) {
				return k, fmt.Errorf("%q is not an ID", r)
			}
			k.Refs = append(k.Refs, id)
		}
		k.Refs = uniq(k.Refs, "")
	default:
		return k, fmt.Errorf("key %s cannot be imported from CSV", spec.Name)
	}
	return k, nil
}
