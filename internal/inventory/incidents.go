package inventory

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// This file reads the incident records: [incidents.<id>] tables, a sixth top-level table beside the
// entities. Their IDs are a space of their own (an incident may be named like an entity), follow the
// entity ID syntax, and are unique across files. Their keys are checked through incidentKeySpecs, with
// the value types entities use, and their lists of IDs are resolved with the references.

// incidentKeySpecs are the keys of an incident record, in the order `spof fmt` and the schema present
// them. Kinds does not apply; Targets restricts what an ID list may name.
var incidentKeySpecs = []KeySpec{
	{Name: "title", Type: String, Required: true, Hint: `say what happened in one line, e.g. title = "Hosting provider outage"`, Doc: "What happened, in one line.",
		record: func(r *incidentDecl) any { return &r.inc.Title }},
	{Name: "started", Type: DateTime, Required: true, Hint: `give when the outage began, e.g. started = 2026-06-18T07:40:00+02:00`, Doc: "When the outage began: a TOML date-time with its offset, without quotes, e.g. 2026-06-18T07:40:00+02:00.",
		record: func(r *incidentDecl) any { return &r.inc.Started }},
	{Name: "ended", Type: DateTime, Required: true, Hint: `give when the service was restored, e.g. ended = 2026-06-18T11:05:00+02:00`, Doc: "When the service was restored: a TOML date-time with its offset, after started and not in the future.",
		record: func(r *incidentDecl) any { return &r.inc.Ended }},
	{Name: "failed", Type: IDList, Required: true, MinItems: 1, Hint: `list the entities that failed, e.g. failed = ["hostco"]`, Doc: "The entities that failed, of any kind: a plain list of IDs, never a requirement group. spof simulate --incident replays their failure.",
		record: func(r *incidentDecl) any { return &r.failed }},
	{Name: "impacted", Type: IDList, Targets: onlySvc, Required: true, Hint: `list the services observed down, e.g. impacted = ["support-line"], or write impacted = [] for a near miss`, Doc: "The services observed down during the incident; [] for a near miss.",
		record: func(r *incidentDecl) any { return &r.impacted }},
	{Name: "report", Type: String, Doc: "A link or path to the post-incident write-up.",
		record: func(r *incidentDecl) any { return &r.inc.Report }},
	{Name: "notes", Type: String, Doc: "Anything else worth keeping: what was learnt, what was fixed.",
		record: func(r *incidentDecl) any { return &r.inc.Notes }},
}

// IncidentKeys returns the specification of the keys of an [incidents.<id>] table, in canonical order.
func IncidentKeys() []KeySpec { return append([]KeySpec(nil), incidentKeySpecs...) }

func incidentKeyNames() []string {
	names := make([]string, len(incidentKeySpecs))
	for i, k := range incidentKeySpecs {
		names[i] = k.Name
	}
	return names
}

// idRef is an ID written in an ID list, resolved once every entity is known.
type idRef struct {
	name string
	pos  diag.Pos
}

// incidentDecl is an incident record as read from its file: the record, and its ID lists by name.
type incidentDecl struct {
	inc              model.Incident
	failed, impacted []idRef
}

// addIncidents reads the [incidents.<id>] tables of one file.
func (b *builder) addIncidents(f *tomldoc.Document, v any) {
	table := model.IncidentsTable
	recs, ok := v.(map[string]any)
	if !ok {
		b.diags.Errorf(f.KeyPos(table), "%s must be a table of incident records, like [%s.<id>], not %s", table, table, tomldoc.TypeName(v))
		return
	}
	ids := slices.Collect(maps.Keys(recs))
	// Source order, so that of two clashing records the later one is reported.
	slices.SortFunc(ids, func(x, y string) int {
		if c := f.KeyPos(table, x).Compare(f.KeyPos(table, y)); c != 0 {
			return c
		}
		return strings.Compare(x, y)
	})
	for _, id := range ids {
		b.addIncident(f, id, recs[id])
	}
}

func (b *builder) addIncident(f *tomldoc.Document, id string, v any) {
	table := model.IncidentsTable
	pos := f.KeyPos(table, id)
	if !model.ValidID(id) {
		b.diags.Errorf(pos, "invalid incident id %q: ids are lower-case letters, digits, '.', '_' and '-', starting with a letter or digit%s", id, suggestID(id))
		return
	}
	fields, ok := v.(map[string]any)
	if !ok {
		b.diags.Errorf(pos, "%s.%s must be a table, not %s", table, id, tomldoc.TypeName(v))
		return
	}
	r := incidentDecl{inc: model.Incident{ID: id, Pos: pos}}
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		path := []string{table, id, key}
		spec := incidentSpecFor(key)
		if spec == nil {
			hint := diag.DidYouMean(key, incidentKeyNames())
			if hint == "" {
				hint = "; an incident has " + strings.Join(incidentKeyNames(), ", ")
			}
			b.diags.Errorf(f.KeyPos(path...), "unknown key %q in %s.%s%s", key, table, id, hint)
			continue
		}
		b.setValue(f, spec, id, fields[key], path, func() any { return spec.record(&r) })
	}
	complete := true
	for _, spec := range incidentKeySpecs {
		if _, has := fields[spec.Name]; spec.Required && !has {
			b.diags.Errorf(pos, "incident %s has no %s: %s", id, spec.Name, spec.Hint)
			complete = false
		}
	}
	inc := &r.inc
	if complete && !inc.Started.IsZero() && !inc.Ended.IsZero() {
		switch {
		case !inc.Ended.After(inc.Started):
			b.diags.Errorf(f.ValuePos(table, id, "ended"), "ended %s is not after started %s: give when the service was restored", formatInstant(inc.Ended), formatInstant(inc.Started))
		case inc.Ended.Format(time.DateOnly) > b.today:
			b.diags.Errorf(f.ValuePos(table, id, "ended"), "ended %s is in the future (today is %s): record an incident once it is over", formatInstant(inc.Ended), b.today)
		}
	}
	b.incidents = append(b.incidents, r)
}

func incidentSpecFor(name string) *KeySpec {
	for i := range incidentKeySpecs {
		if incidentKeySpecs[i].Name == name {
			return &incidentKeySpecs[i]
		}
	}
	return nil
}

// formatInstant writes a date-time as in TOML, with its offset.
func formatInstant(t time.Time) string { return t.Format(time.RFC3339) }

// dateTime checks a DateTime value: an offset date-time, which names one instant wherever it is read.
func (b *builder) dateTime(key string, v any, pos diag.Pos) (time.Time, bool) {
	t, ok := v.(time.Time)
	if !ok {
		if s, isStr := v.(string); isStr {
			if _, err := time.Parse(time.RFC3339, s); err == nil {
				b.diags.Errorf(pos, "%s must be a TOML date-time, written without quotes: %s = %s", key, key, s)
				return time.Time{}, false
			}
		}
		b.diags.Errorf(pos, "%s must be a date-time with its offset, like 2026-06-18T07:40:00+02:00, not %s", key, tomldoc.TypeName(v))
		return time.Time{}, false
	}
	switch t.Location().String() {
	case "date-local":
		b.diags.Errorf(pos, "%s must be a date-time, not a date: give the time and its offset, e.g. %s = %sT07:40:00+02:00", key, key, t.Format(time.DateOnly))
		return time.Time{}, false
	case "time-local":
		b.diags.Errorf(pos, "%s must be a date-time, not a time of day: give the date and the offset too, e.g. %s = 2026-06-18T%s+02:00", key, key, t.Format(time.TimeOnly))
		return time.Time{}, false
	case "datetime-local":
		// Without an offset the instant depends on where the file is read, and so would durations
		// across a change of daylight saving time.
		b.diags.Errorf(pos, "%s needs an offset: write %s = %sZ for UTC, or the local offset such as %s+02:00", key, key, t.Format("2006-01-02T15:04:05"), t.Format("2006-01-02T15:04:05"))
		return time.Time{}, false
	}
	return t, true
}

// idList checks an IDList value — an ID, or an array of distinct IDs — and appends its IDs to dst. A
// requirement group written where a plain list is expected is named as such: an ID list describes
// (what was watched, what failed), it never says what is needed.
func (b *builder) idList(f *tomldoc.Document, spec *KeySpec, v any, path []string, dst *[]idRef) {
	key := spec.Name
	vpos := f.ValuePos(path...)
	var arr []any
	elem := func(i int) []string { return appendPath(path, strconv.Itoa(i)) }
	switch x := v.(type) {
	case string:
		arr, elem = []any{x}, func(int) []string { return path }
	case []any:
		arr = x
	default:
		if isTable(v) {
			b.diags.Errorf(vpos, "%s is a plain list of IDs, not a requirement group: write %s = [%s]", key, key, groupIDs(v))
			return
		}
		b.diags.Errorf(vpos, "%s must be an ID or an array of IDs, not %s: %s", key, tomldoc.TypeName(v), spec.Hint)
		return
	}
	if len(arr) < spec.MinItems {
		b.diags.Errorf(vpos, "%s is empty: %s", key, spec.Hint)
		return
	}
	seen := map[string]diag.Pos{}
	for i, el := range arr {
		epos := f.ValuePos(elem(i)...)
		s, isStr := el.(string)
		switch {
		case isTable(el):
			b.diags.Errorf(epos, "%s is a plain list of IDs, not a requirement group: write the IDs themselves", key)
			continue
		case !isStr:
			b.diags.Errorf(epos, "%s must hold IDs (strings), not %s", key, tomldoc.TypeName(el))
			continue
		case !model.ValidID(s):
			b.diags.Errorf(epos, "invalid id %q in %s%s", s, key, suggestID(s))
			continue
		}
		if first, dup := seen[s]; dup {
			b.diags.Errorf(epos, "%q is listed twice in %s, first at %s", s, key, first)
			continue
		}
		seen[s] = epos
		*dst = append(*dst, idRef{name: s, pos: epos})
	}
}

// groupIDs lists, quoted, the IDs written in a requirement group given where a plain list was
// expected, for the message that shows the list to write instead.
func groupIDs(v any) string {
	var ids []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if !slices.Contains(ids, x) {
				ids = append(ids, x)
			}
		case []any:
			for _, el := range x {
				walk(el)
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				walk(x[k])
			}
		}
	}
	walk(v)
	if len(ids) == 0 {
		return `"a", "b"`
	}
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = strconv.Quote(id)
	}
	return strings.Join(q, ", ")
}

func isTable(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

// mergeIncidents adds the incident records of a file's builder, reporting the IDs an earlier file
// already recorded.
func (b *builder) mergeIncidents(f *builder) {
	if b.incidentPos == nil {
		b.incidentPos = map[string]diag.Pos{}
	}
	for _, r := range f.incidents {
		if first, dup := b.incidentPos[r.inc.ID]; dup {
			b.diags.Errorf(r.inc.Pos, "duplicate incident id %q, first recorded at %s", r.inc.ID, first)
			continue
		}
		b.incidentPos[r.inc.ID] = r.inc.Pos
		b.incidents = append(b.incidents, r)
	}
}

// resolveIncidents resolves the ID lists of the incident records against inv and returns the records,
// sorted by ID, their lists ascending.
func (b *builder) resolveIncidents(inv *model.Inventory) []model.Incident {
	if len(b.incidents) == 0 {
		return nil
	}
	var all, services []string
	for i := range inv.Entities {
		all = append(all, inv.Entities[i].ID)
		if inv.Entities[i].Kind == model.Service {
			services = append(services, inv.Entities[i].ID)
		}
	}
	out := make([]model.Incident, 0, len(b.incidents))
	for _, r := range b.incidents {
		inc := r.inc
		inc.Failed, inc.FailedPos = b.resolveIDs(inv, &inc, "failed", r.failed, all, nil)
		inc.Impacted, inc.ImpactedPos = b.resolveIDs(inv, &inc, "impacted", r.impacted, services, onlySvc)
		out = append(out, inc)
	}
	slices.SortFunc(out, func(x, y model.Incident) int { return strings.Compare(x.ID, y.ID) })
	return out
}

// resolveIDs resolves the IDs of one list of an incident, reporting unknown IDs and IDs of a kind the
// list does not accept (targets, nil for any). It returns the entities ascending, with their positions.
func (b *builder) resolveIDs(inv *model.Inventory, inc *model.Incident, key string, refs []idRef, candidates []string, targets []model.Kind) ([]int32, []diag.Pos) {
	type placed struct {
		x   int32
		pos diag.Pos
	}
	var found []placed
	for _, ref := range refs {
		x, ok := inv.Lookup(ref.name)
		if !ok {
			what := "entity"
			if targets != nil {
				what = "service"
			}
			b.diags.Errorf(ref.pos, "unknown %s %q in %s of incident %s%s", what, ref.name, key, inc.ID, diag.DidYouMean(ref.name, candidates))
			continue
		}
		if e := &inv.Entities[x]; targets != nil && !slices.Contains(targets, e.Kind) {
			b.diags.Errorf(ref.pos, "%s of incident %s must name %s, but %q is a %s%s", key, inc.ID, kindList(targets), ref.name, e.Kind, usersHint(inv, x, candidates))
			continue
		}
		found = append(found, placed{x, ref.pos})
	}
	slices.SortFunc(found, func(a, b placed) int { return int(a.x - b.x) })
	xs := make([]int32, len(found))
	pos := make([]diag.Pos, len(found))
	for i, p := range found {
		xs[i], pos[i] = p.x, p.pos
	}
	return xs, pos
}

// usersHint suggests, for an entity named where a service was expected (a phone number among the
// impacted services), the services that use it directly, else the service whose ID is closest.
func usersHint(inv *model.Inventory, x int32, services []string) string {
	var users []string
	for i := range inv.Entities {
		if inv.Entities[i].Kind == model.Service && slices.Contains(inv.Deps(int32(i)), x) {
			users = append(users, inv.Entities[i].ID)
		}
	}
	switch len(users) {
	case 0:
		if s := diag.Suggest(inv.ID(x), services); s != "" {
			return fmt.Sprintf("; did you mean %q?", s)
		}
		return ""
	case 1:
		return fmt.Sprintf("; did you mean %q, the service that uses it?", users[0])
	}
	if len(users) > 3 {
		users = append(users[:3], "…")
	}
	return fmt.Sprintf("; did you mean one of the services that use it: %s?", strings.Join(users, ", "))
}
