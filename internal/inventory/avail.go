package inventory

import (
	"maps"
	"math"
	"slices"
	"time"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// This file reads the inputs of the availability estimates: mttf_hours and mttr_hours (which must come
// together, and not with availability), the [defaults] table and the tested date of group tables.

// checkAvailabilityKeys checks the keys that set an entity's availability against each other, once all
// of them are read, and derives the availability from MTTF and MTTR.
func (b *builder) checkAvailabilityKeys(f *tomldoc.Document, e *model.Entity, fields map[string]any) {
	_, hasMTTF := fields["mttf_hours"]
	_, hasMTTR := fields["mttr_hours"]
	_, hasAvail := fields["availability"]
	path := func(key string) []string { return []string{e.Kind.Table(), e.ID, key} }
	switch {
	case !hasMTTF && !hasMTTR:
		return
	case hasAvail:
		key := "mttf_hours"
		if !hasMTTF {
			key = "mttr_hours"
		}
		b.diags.Errorf(f.KeyPos(path(key)...), "%s.%s gives both availability and %s: give availability, or mttf_hours and mttr_hours", e.Kind.Table(), e.ID, key)
		return
	case !hasMTTR:
		b.diags.Errorf(f.KeyPos(path("mttf_hours")...), "mttf_hours needs mttr_hours: give both (availability = mttf/(mttf+mttr)), or availability")
		return
	case !hasMTTF:
		b.diags.Errorf(f.KeyPos(path("mttr_hours")...), "mttr_hours needs mttf_hours: give both (availability = mttf/(mttf+mttr)), or availability")
		return
	}
	mttr, ok := number(fields["mttr_hours"])
	if e.MTTFHours > 0 && ok && mttr >= 0 && !math.IsInf(mttr, 0) {
		e.Availability = e.MTTFHours / (e.MTTFHours + mttr)
	}
}

// addDefaults reads the [defaults] table: one availability per kind, keyed by table name. Several files
// may each set some kinds, but a kind is set once.
func (b *builder) addDefaults(f *tomldoc.Document, v any) {
	t, ok := v.(map[string]any)
	if !ok {
		b.diags.Errorf(f.KeyPos(DefaultsTable), "%s must be a table, like [%s] with vms = 0.999, not %s", DefaultsTable, DefaultsTable, tomldoc.TypeName(v))
		return
	}
	for _, key := range slices.Sorted(maps.Keys(t)) {
		kpos := f.KeyPos(DefaultsTable, key)
		kind, ok := model.KindOfTable(key)
		if !ok {
			hint := diag.DidYouMean(key, model.Tables())
			if hint == "" {
				hint = "; its keys are the entity tables: " + kindList(model.Kinds[:])
			}
			b.diags.Errorf(kpos, "unknown key %q in [%s]%s", key, DefaultsTable, hint)
			continue
		}
		if first := b.defaultsPos[kind]; first.File != "" {
			b.diags.Errorf(kpos, "duplicate default for %s, first set at %s", key, first)
			continue
		}
		vpos := f.ValuePos(DefaultsTable, key)
		x, ok := number(t[key])
		if !ok {
			b.diags.Errorf(vpos, "%s.%s must be a number in (0,1], not %s", DefaultsTable, key, tomldoc.TypeName(t[key]))
			continue
		}
		if !(x > 0 && x <= 1) {
			b.diags.Errorf(vpos, "%s.%s must be in (0,1], got %v", DefaultsTable, key, x)
			continue
		}
		b.defaults[kind], b.defaultsPos[kind] = x, kpos
	}
}

// testedDate checks the tested date of a group table and returns it as YYYY-MM-DD.
func (b *builder) testedDate(f *tomldoc.Document, v any, path []string) (string, bool) {
	vpos := f.ValuePos(path...)
	day, isDate := tomldoc.LocalDate(v)
	if _, isTime := v.(time.Time); isTime && !isDate {
		b.diags.Errorf(vpos, "tested must be a date like 2026-06-12, not %s: give the day of the drill", tomldoc.TypeName(v))
		return "", false
	}
	if !isDate {
		if s, isStr := v.(string); isStr {
			if _, err := time.Parse(time.DateOnly, s); err == nil {
				b.diags.Errorf(vpos, "tested must be a TOML date, written without quotes: tested = %s", s)
				return "", false
			}
		}
		b.diags.Errorf(vpos, "tested must be a date like 2026-06-12 (a TOML date, no quotes), not %s", tomldoc.TypeName(v))
		return "", false
	}
	d := day.Format(time.DateOnly)
	if d > b.today {
		b.diags.Errorf(vpos, "tested date %s is in the future (today is %s): give the date of the last drill that happened", d, b.today)
		return "", false
	}
	return d, true
}
