package policy

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// Keys of a policy file, by table: the loader's checks and its "did you mean" hints read these lists.
var (
	topKeys    = []string{"rule", "waiver"}
	ruleKeys   = []string{"id", "severity", "forbid", "message", "select", "spof_kind", "min_tolerance", "min_availability", "untested_after"}
	selectKeys = []string{"id", "kind", "tier", "tag", "owner", "customer_facing", "published"}
	waiverKeys = []string{"rule", "service", "entity", "reason", "expires"}
)

// Load reads and checks the policy file at path.
func Load(path string) (*Policy, diag.List) {
	data, err := os.ReadFile(path)
	if err != nil {
		var diags diag.List
		diags.Errorf(diag.Pos{File: path}, "cannot read policy: %s", diag.DescribeFSError(err))
		return nil, diags
	}
	return Parse(tomldoc.Source{Name: path, Data: data})
}

// Parse decodes and checks a policy file. It returns the policy, or nil and every problem found, sorted
// by line. A file that declares no rule gets the built-in rules.
func Parse(src tomldoc.Source) (*Policy, diag.List) {
	doc, diags := tomldoc.Decode(src)
	if diags != nil {
		return nil, diags
	}
	l := &loader{doc: doc}
	p := &Policy{Source: src.Name}
	for _, key := range slices.Sorted(maps.Keys(doc.Data)) {
		if !slices.Contains(topKeys, key) {
			l.diags.Errorf(doc.KeyPos(key), "unknown key %q in policy%s", key, hint(key, topKeys))
		}
	}
	if v, ok := doc.Data["rule"]; ok {
		p.Rules = l.rules(v)
	} else {
		p.Rules, p.BuiltinRules = Default().Rules, true
	}
	// Waivers come after the rules, which they must name.
	if v, ok := doc.Data["waiver"]; ok {
		p.Waivers = l.waivers(v, p)
	}
	if l.diags.HasErrors() {
		l.diags.Sort()
		return nil, l.diags
	}
	return p, nil
}

// hint returns a did-you-mean for an unknown key, or the list of keys allowed there.
func hint(key string, keys []string) string {
	if h := diag.DidYouMean(key, keys); h != "" {
		return h
	}
	return "; want " + strings.Join(keys, ", ")
}

// ruleHint completes "waiver names unknown rule": the rule the policy declares that was meant, or
// why a built-in rule is unknown, or the rules there are.
func ruleHint(id string, ids []string) string {
	if h := diag.DidYouMean(id, ids); h != "" {
		return h
	}
	if Default().rule(id) != nil {
		return "; it is a built-in rule, and a policy that declares [[rule]] tables keeps none of the built-in ones: " +
			"copy its [[rule]] from spof check --print-policy, or remove the waiver"
	}
	if len(ids) == 0 {
		return "; the policy declares no rule"
	}
	return "; want " + strings.Join(ids, ", ")
}

// loader collects the problems of one policy file.
type loader struct {
	doc   *tomldoc.Document
	diags diag.List
	// ruleIDs are the ids the [[rule]] tables declare, in order, those of rules with a mistake
	// included.
	ruleIDs []string
}

// tables returns the entries of an array of tables ([[rule]], or rule = [{...}]).
func (l *loader) tables(key string, v any) []map[string]any {
	switch x := v.(type) {
	case []map[string]any:
		return x
	case []any:
		out := make([]map[string]any, 0, len(x))
		for i, el := range x {
			t, ok := el.(map[string]any)
			if !ok {
				l.diags.Errorf(l.doc.ValuePos(key, strconv.Itoa(i)), "%s entries must be tables, not %s", key, tomldoc.TypeName(el))
				continue
			}
			out = append(out, t)
		}
		return out
	}
	l.diags.Errorf(l.doc.KeyPos(key), "%s must be an array of tables, written [[%s]], not %s", key, key, tomldoc.TypeName(v))
	return nil
}

// str returns the string at path, reporting a value of another type.
func (l *loader) str(v any, path ...string) (string, bool) {
	s, ok := v.(string)
	if !ok {
		l.diags.Errorf(l.doc.ValuePos(path...), "%s must be a string, not %s", path[len(path)-1], tomldoc.TypeName(v))
	}
	return s, ok
}

// strings returns a string or an array of strings at path as a list.
func (l *loader) stringList(v any, path ...string) ([]string, bool) {
	switch x := v.(type) {
	case string:
		return []string{x}, true
	case []any:
		out := make([]string, 0, len(x))
		ok := true
		for i, el := range x {
			s, isStr := el.(string)
			if !isStr {
				l.diags.Errorf(l.doc.ValuePos(append(slices.Clip(path), strconv.Itoa(i))...), "%s must hold strings, not %s", path[len(path)-1], tomldoc.TypeName(el))
				ok = false
				continue
			}
			out = append(out, s)
		}
		if len(x) == 0 {
			l.diags.Errorf(l.doc.ValuePos(path...), "%s is empty: leave it out to match everything", path[len(path)-1])
			ok = false
		}
		return out, ok
	}
	l.diags.Errorf(l.doc.ValuePos(path...), "%s must be a string or an array of strings, not %s", path[len(path)-1], tomldoc.TypeName(v))
	return nil, false
}

// elemPos returns where element i of a string-or-list value v at path is written.
func (l *loader) elemPos(v any, i int, path ...string) diag.Pos {
	if _, isList := v.([]any); isList {
		return l.doc.ValuePos(append(slices.Clip(path), strconv.Itoa(i))...)
	}
	return l.doc.ValuePos(path...)
}

// unknownKeys reports the keys of t that are not in keys.
func (l *loader) unknownKeys(t map[string]any, keys []string, where string, path ...string) {
	for _, k := range slices.Sorted(maps.Keys(t)) {
		if !slices.Contains(keys, k) {
			l.diags.Errorf(l.doc.KeyPos(append(slices.Clip(path), k)...), "unknown key %q in %s%s", k, where, hint(k, keys))
		}
	}
}

func (l *loader) rules(v any) []Rule {
	entries := l.tables("rule", v)
	if v != nil && len(entries) == 0 && !l.diags.HasErrors() {
		l.diags.Errorf(l.doc.KeyPos("rule"), "rule is empty: declare at least one [[rule]], or leave rule out to keep the built-in rules")
	}
	var out []Rule
	seen := map[string]diag.Pos{}
	for i, t := range entries {
		r, ok := l.rule(t, "rule", strconv.Itoa(i))
		// A duplicate is reported even when either rule has another mistake: the two are independent.
		if id, isStr := t["id"].(string); isStr {
			if first, dup := seen[id]; dup {
				l.diags.Errorf(l.doc.ValuePos("rule", strconv.Itoa(i), "id"), "duplicate rule id %q, first declared at %s", id, first)
				continue
			}
			seen[id] = r.Pos
			l.ruleIDs = append(l.ruleIDs, id)
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

func (l *loader) rule(t map[string]any, path ...string) (Rule, bool) {
	at := func(k string) []string { return append(slices.Clip(path), k) }
	r := Rule{Severity: diag.Error, Pos: l.doc.KeyPos(path...)}
	ok := true
	l.unknownKeys(t, ruleKeys, "rule", path...)
	if v, has := t["id"]; !has {
		l.diags.Errorf(r.Pos, "rule has no id: give it one, e.g. id = \"no-provider-spof\"")
		ok = false
	} else if s, isStr := l.str(v, at("id")...); !isStr {
		ok = false
	} else if !model.ValidID(s) {
		l.diags.Errorf(l.doc.ValuePos(at("id")...), "invalid rule id %q: ids are lower-case letters, digits, '.', '_' and '-', starting with a letter or digit", s)
		ok = false
	} else if s == ExpiredWaiverRule || s == StaleWaiverRule {
		l.diags.Errorf(l.doc.ValuePos(at("id")...), "rule id %q is reserved for waiver problems: choose another", s)
		ok = false
	} else {
		r.ID = s
		r.Pos = l.doc.ValuePos(at("id")...)
	}
	if v, has := t["severity"]; has {
		s, isStr := l.str(v, at("severity")...)
		switch {
		case !isStr:
			ok = false
		case s == "error":
			r.Severity = diag.Error
		case s == "warning":
			r.Severity = diag.Warning
		default:
			l.diags.Errorf(l.doc.ValuePos(at("severity")...), "invalid severity %q: want error or warning%s", s, diag.DidYouMean(s, []string{"error", "warning"}))
			ok = false
		}
	}
	if v, has := t["forbid"]; !has {
		l.diags.Errorf(l.doc.KeyPos(path...), "rule has no forbid: want one of %s", strings.Join(Forbids(), ", "))
		ok = false
	} else if s, isStr := l.str(v, at("forbid")...); !isStr {
		ok = false
	} else if alias, isAlias := forbidAliases[s]; isAlias {
		r.Forbid = alias
	} else if !slices.Contains(Forbids(), s) {
		l.diags.Errorf(l.doc.ValuePos(at("forbid")...), "unknown forbid %q: want one of %s%s", s, strings.Join(Forbids(), ", "), diag.DidYouMean(s, Forbids()))
		ok = false
	} else {
		r.Forbid = Forbid(s)
	}
	if v, has := t["message"]; has {
		s, isStr := l.str(v, at("message")...)
		ok = ok && isStr
		r.Message = strings.TrimSpace(s)
	}
	if r.Message == "" {
		r.Message = defaultMessage(r.Forbid)
	}
	if v, has := t["select"]; has {
		sel, isTable := v.(map[string]any)
		if !isTable {
			l.diags.Errorf(l.doc.ValuePos(at("select")...), "select must be a table, like select = { tier = [\"critical\"] }, not %s", tomldoc.TypeName(v))
			ok = false
		} else {
			r.Select, isTable = l.selector(sel, at("select")...)
			ok = ok && isTable
		}
	}
	if v, has := t["spof_kind"]; has {
		if r.Forbid != "" && r.Forbid != AnySPOF {
			l.diags.Errorf(l.doc.KeyPos(at("spof_kind")...), "spof_kind applies to forbid = %q only", AnySPOF)
			ok = false
		} else if kinds, good := l.kinds(v, at("spof_kind")...); good {
			r.Kinds = kinds
		} else {
			ok = false
		}
	}
	if !l.tolerance(t, &r, path) {
		ok = false
	}
	if !l.minAvailability(t, &r, path) {
		ok = false
	}
	if !l.untestedAfter(t, &r, path) {
		ok = false
	}
	if slices.Contains(servicesOnly, r.Forbid) && slices.ContainsFunc(r.Select.Kinds, func(k model.Kind) bool { return k != model.Service }) {
		l.diags.Errorf(l.doc.ValuePos(at("select")...), "forbid = %q applies to services only: remove kind from select", r.Forbid)
		ok = false
	}
	return r, ok
}

// forbidAliases are the names the availability rules were asked for by (after the quantity they
// check); a rule names what it forbids, but both spellings are accepted.
var forbidAliases = map[string]Forbid{
	"min_availability":    LowAvailability,
	"slo_met":             SLOMissed,
	"untested_redundancy": UntestedRedundancy,
}

// minAvailability reads min_availability, which a low-availability rule needs and no other rule takes.
func (l *loader) minAvailability(t map[string]any, r *Rule, path []string) bool {
	v, has := t["min_availability"]
	switch {
	case !has && r.Forbid == LowAvailability:
		l.diags.Errorf(l.doc.KeyPos(path...), "rule %q forbids low-availability but has no min_availability: give the smallest availability accepted, e.g. min_availability = 0.999", r.ID)
		return false
	case !has:
		return true
	case r.Forbid != "" && r.Forbid != LowAvailability:
		l.diags.Errorf(l.doc.KeyPos(append(slices.Clip(path), "min_availability")...), "min_availability applies to forbid = %q only", LowAvailability)
		return false
	}
	pos := l.doc.ValuePos(append(slices.Clip(path), "min_availability")...)
	a, isFloat := v.(float64)
	if !isFloat {
		l.diags.Errorf(pos, "min_availability must be a number like 0.999, not %s", tomldoc.TypeName(v))
		return false
	}
	if !(a > 0 && a < 1) {
		l.diags.Errorf(pos, "min_availability = %v is out of range: want a number between 0 and 1, like 0.999", a)
		return false
	}
	r.MinAvailability = a
	return true
}

// untestedAfter reads untested_after, which an untested-redundancy rule needs and no other rule takes.
func (l *loader) untestedAfter(t map[string]any, r *Rule, path []string) bool {
	v, has := t["untested_after"]
	switch {
	case !has && r.Forbid == UntestedRedundancy:
		l.diags.Errorf(l.doc.KeyPos(path...), "rule %q forbids untested-redundancy but has no untested_after: give the age after which a failover drill no longer counts, e.g. untested_after = \"180d\"", r.ID)
		return false
	case !has:
		return true
	case r.Forbid != "" && r.Forbid != UntestedRedundancy:
		l.diags.Errorf(l.doc.KeyPos(append(slices.Clip(path), "untested_after")...), "untested_after applies to forbid = %q only", UntestedRedundancy)
		return false
	}
	s, isStr := l.str(v, append(slices.Clip(path), "untested_after")...)
	if !isStr {
		return false
	}
	age, err := avail.ParseAge(s)
	if err != nil {
		l.diags.Errorf(l.doc.ValuePos(append(slices.Clip(path), "untested_after")...), "untested_after: %v", err)
		return false
	}
	r.UntestedAfter, r.UntestedAge = s, age
	return true
}

// tolerance reads min_tolerance, which a low-tolerance rule needs and no other rule takes.
func (l *loader) tolerance(t map[string]any, r *Rule, path []string) bool {
	v, has := t["min_tolerance"]
	switch {
	case !has && r.Forbid == LowTolerance:
		l.diags.Errorf(l.doc.KeyPos(path...), "rule %q forbids low-tolerance but has no min_tolerance: give the smallest tolerance accepted, e.g. min_tolerance = 2", r.ID)
		return false
	case !has:
		return true
	case r.Forbid != "" && r.Forbid != LowTolerance:
		l.diags.Errorf(l.doc.KeyPos(append(slices.Clip(path), "min_tolerance")...), "min_tolerance applies to forbid = %q only", LowTolerance)
		return false
	}
	pos := l.doc.ValuePos(append(slices.Clip(path), "min_tolerance")...)
	n, isInt := v.(int64)
	if !isInt {
		l.diags.Errorf(pos, "min_tolerance must be an integer, not %s", tomldoc.TypeName(v))
		return false
	}
	// Tolerance n-1 is found by searching cut sets up to n-1, which the analysis bounds.
	if n < 2 || n > analysis.MaxOrder+1 {
		l.diags.Errorf(pos, "min_tolerance = %d is out of range: want 2 to %d (every service tolerates 0 failures, and larger cut sets are not searched)", n, analysis.MaxOrder+1)
		return false
	}
	r.MinTolerance = int(n)
	return true
}

func (l *loader) kinds(v any, path ...string) ([]model.Kind, bool) {
	names, ok := l.stringList(v, path...)
	var out []model.Kind
	all := make([]string, len(model.Kinds))
	for i, k := range model.Kinds {
		all[i] = k.String()
	}
	for i, n := range names {
		j := slices.Index(all, n)
		if j < 0 {
			l.diags.Errorf(l.elemPos(v, i, path...), "unknown kind %q: want one of %s%s", n, strings.Join(all, ", "), diag.DidYouMean(n, all))
			ok = false
			continue
		}
		out = append(out, model.Kinds[j])
	}
	return out, ok
}

func (l *loader) selector(t map[string]any, path ...string) (Selector, bool) {
	at := func(k string) []string { return append(slices.Clip(path), k) }
	var s Selector
	ok := true
	l.unknownKeys(t, selectKeys, "select", path...)
	if v, has := t["id"]; has {
		ids, good := l.stringList(v, at("id")...)
		ok = ok && good
		s.IDs = ids
		for i := range ids {
			s.idPos = append(s.idPos, l.elemPos(v, i, at("id")...))
		}
	}
	if v, has := t["kind"]; has {
		kinds, good := l.kinds(v, at("kind")...)
		ok = ok && good
		s.Kinds = kinds
	}
	if v, has := t["tier"]; has {
		names, good := l.stringList(v, at("tier")...)
		ok = ok && good
		for i, n := range names {
			tier, valid := model.ParseTier(n)
			if !valid {
				l.diags.Errorf(l.elemPos(v, i, at("tier")...), "invalid tier %q: want one of %s%s", n, strings.Join(model.TierNames(), ", "), diag.DidYouMean(n, model.TierNames()))
				ok = false
				continue
			}
			s.Tiers = append(s.Tiers, tier)
		}
	}
	for _, key := range []string{"tag", "owner"} {
		if v, has := t[key]; has {
			vals, good := l.stringList(v, at(key)...)
			ok = ok && good
			if key == "tag" {
				s.Tags = vals
			} else {
				s.Owners = vals
			}
		}
	}
	for _, key := range []string{"customer_facing", "published"} {
		if v, has := t[key]; has {
			b, isBool := v.(bool)
			if !isBool {
				l.diags.Errorf(l.doc.ValuePos(at(key)...), "%s must be a boolean (true or false), not %s", key, tomldoc.TypeName(v))
				ok = false
				continue
			}
			if key == "customer_facing" {
				s.CustomerFacing = &b
			} else {
				s.Published = &b
			}
		}
	}
	return s, ok
}

// waivers reads the waivers, reporting those that name a rule p lacks, and duplicates.
func (l *loader) waivers(v any, p *Policy) []Waiver {
	// The rules declared, even those with a mistake: that mistake is reported where the rule is
	// declared, and the waivers that name it are not reported again.
	declared := l.ruleIDs
	if p.BuiltinRules {
		declared = nil
		for _, r := range p.Rules {
			declared = append(declared, r.ID)
		}
	}
	type key struct{ rule, service, entity string }
	seen := map[key]diag.Pos{}
	var out []Waiver
	for i, t := range l.tables("waiver", v) {
		w, ok := l.waiver(t, "waiver", strconv.Itoa(i))
		if w.Rule != "" && !slices.Contains(declared, w.Rule) {
			l.diags.Errorf(l.doc.ValuePos("waiver", strconv.Itoa(i), "rule"), "waiver names unknown rule %q%s", w.Rule, ruleHint(w.Rule, declared))
			ok = false
		} else if p.rule(w.Rule) == nil {
			ok = false
		}
		if !ok {
			continue
		}
		k := key{w.Rule, w.Service, w.Entity}
		if first, dup := seen[k]; dup {
			l.diags.Errorf(w.Pos, "duplicate waiver for rule %s on %s, first at %s", w.Rule, w.Service, first)
			continue
		}
		seen[k] = w.Pos
		out = append(out, w)
	}
	return out
}

func (l *loader) waiver(t map[string]any, path ...string) (Waiver, bool) {
	at := func(k string) []string { return append(slices.Clip(path), k) }
	w := Waiver{Pos: l.doc.KeyPos(path...)}
	ok := true
	l.unknownKeys(t, waiverKeys, "waiver", path...)
	for _, f := range []struct {
		key      string
		dst      *string
		required bool
	}{{"rule", &w.Rule, true}, {"service", &w.Service, true}, {"entity", &w.Entity, false}, {"reason", &w.Reason, true}} {
		v, has := t[f.key]
		if !has {
			if f.required {
				l.diags.Errorf(w.Pos, "waiver has no %s%s", f.key, waiverNeeds(f.key))
				ok = false
			}
			continue
		}
		s, isStr := l.str(v, at(f.key)...)
		s = strings.TrimSpace(s)
		if isStr && s == "" {
			l.diags.Errorf(l.doc.ValuePos(at(f.key)...), "waiver %s is empty%s", f.key, waiverNeeds(f.key))
			isStr = false
		}
		ok = ok && isStr
		*f.dst = s
	}
	// A failure of two is named by its IDs in either order: the violation's entity sorts them.
	if ids := strings.Split(w.Entity, FailureSep); len(ids) > 1 {
		slices.Sort(ids)
		w.Entity = strings.Join(ids, FailureSep)
	}
	if v, has := t["expires"]; !has {
		l.diags.Errorf(w.Pos, "waiver has no expires: give the last day it applies, e.g. expires = 2027-06-30")
		ok = false
	} else if day, isDate := tomldoc.LocalDate(v); isDate {
		w.Expires = day
	} else {
		why := tomldoc.TypeName(v)
		if s, isStr := v.(string); isStr {
			why = fmt.Sprintf("the string %q (write the date without quotes)", s)
		}
		l.diags.Errorf(l.doc.ValuePos(at("expires")...), "expires must be a date like 2027-06-30, not %s", why)
		ok = false
	}
	return w, ok
}

func waiverNeeds(key string) string {
	switch key {
	case "rule":
		return ": name the rule it waives"
	case "service":
		return ": name the service whose violation it waives"
	case "reason":
		return ": say why the debt is accepted, so that the next reviewer knows"
	}
	return ""
}

// CheckSelection reports the literal IDs that p's rules select but inv does not declare, or declares
// with a kind the rule does not select: such a typo would silently switch the rule off.
func (p *Policy) CheckSelection(inv *model.Inventory) diag.List {
	var diags diag.List
	var all []string
	for _, r := range p.Rules {
		kinds := r.Select.Kinds
		if kinds == nil {
			kinds = []model.Kind{model.Service}
		}
		for i, id := range r.Select.IDs {
			if isPattern(id) {
				continue
			}
			idx, ok := inv.Lookup(id)
			if !ok {
				if all == nil {
					all = inv.IDs()
				}
				diags.Errorf(r.Select.idPos[i], "rule %s selects unknown entity %q%s", r.ID, id, diag.DidYouMean(id, all))
				continue
			}
			if k := inv.Entities[idx].Kind; !slices.Contains(kinds, k) {
				diags.Errorf(r.Select.idPos[i], "rule %s selects %s, a %s, but only selects kind %s: add kind = %q to its select", r.ID, id, k, kindNames(kinds), k)
			}
		}
	}
	diags.Sort()
	return diags
}

func kindNames(kinds []model.Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.String()
	}
	return strings.Join(names, ", ")
}
