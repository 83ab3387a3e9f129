package analyze

import (
	"strconv"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// This file writes the elements of the document's long lists (stream.go writes the lists): a
// Service with its SPOFs, an Impact, a Provider with their ByTier, a Finding. Each is written by
// straight-line code in the order of its struct, with the keys of its struct's tags (see keysOf in
// fields.go): the struct is the one place a field is named.

// serviceKeys mirrors Service: the keys service writes (the embedded availability, written
// whole, has none).
var serviceKeys = keysOf[Service, struct {
	ID, Name, Tier, Owner, SPOFs, Tolerance, CutSets, CutSetsTruncated, ServiceAvailability, Failover jsonKey
}](compact)

// service appends the Service that describe(res, s, opts) returns.
func (d *docWriter) service(dst []byte, sc *scratch, s int32) []byte {
	res, inv, q, k := d.res, d.res.Inv, d.q, &serviceKeys
	e := &inv.Entities[s]
	dst = k.ID.append(dst)
	dst = q.id(dst, s)
	dst = k.Name.append(dst)
	dst = appendString(dst, e.Name)
	dst = k.Tier.append(dst)
	dst = appendString(dst, e.Tier.String())
	dst = k.Owner.append(dst)
	dst = appendString(dst, e.Owner)
	dst = k.SPOFs.append(dst)
	dst = append(dst, '[')
	if sc.paths == nil && d.opts.Paths.json() != PathsNone {
		sc.paths = res.NewPathWalker()
	}
	first := true
	spof := func(x int32, path []int32) {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = d.spof(dst, x, path)
		dst = sc.maybeSpill(dst)
	}
	switch d.opts.Paths.json() {
	case PathsFull:
		sc.paths.Walk(s, spof)
	case PathsNext:
		sc.paths.WalkHead(s, 2, func(x int32, head []int32, _ int) { spof(x, head) })
	default:
		for _, x := range res.SPOFs(s) {
			spof(x, nil)
		}
	}
	dst = append(dst, ']')
	dst = k.Tolerance.append(dst)
	if t, ok := res.Tolerance(s); ok {
		dst = strconv.AppendInt(dst, int64(t), 10)
	} else {
		dst = append(dst, "null"...)
	}
	dst = k.CutSets.append(dst)
	dst = append(dst, '[')
	first = true
	truncated := res.EachCutSet(s, d.opts.MaxCutSets, func(c []int32) {
		if len(c) > 1 { // SPOFs are the sets of one
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = q.idList(dst, c)
		}
	})
	dst = append(dst, ']')
	dst = k.CutSetsTruncated.append(dst)
	dst = strconv.AppendBool(dst, truncated)
	// The availability and failover parts hold floats, rounded in avail.go: encoding/json writes
	// them, the fields of the embedded ServiceAvailability spliced in without their braces.
	if d.opts.Avail != nil {
		if as, ok := d.opts.Avail.Service(s); ok {
			if v := sc.encode(NewServiceAvailability(d.opts.Avail, as)); len(v) > 2 {
				dst = append(dst, ',')
				dst = append(dst, v[1:len(v)-1]...)
			}
		}
	}
	if d.opts.Failover != nil {
		dst = k.Failover.append(dst)
		dst = append(dst, sc.encode(NewServiceFailover(d.opts.Failover, s))...)
	}
	return append(dst, '}')
}

// spofKeys mirrors SPOF.
var spofKeys = keysOf[SPOF, struct{ ID, Kind, Path, Next jsonKey }](compact)

// spof appends a SPOF: entity x and its path (the first two entities of it with PathsNext, nil
// with PathsNone).
func (d *docWriter) spof(dst []byte, x int32, path []int32) []byte {
	k := &spofKeys
	dst = k.ID.append(dst)
	dst = d.q.id(dst, x)
	dst = k.Kind.append(dst)
	dst = d.q.kind(dst, d.res.Inv, x)
	switch d.opts.Paths.json() {
	case PathsFull:
		dst = k.Path.append(dst)
		dst = d.q.idList(dst, path)
	case PathsNext:
		dst = k.Next.append(dst)
		dst = d.q.id(dst, path[1])
	}
	return append(dst, '}')
}

// impactKeys and providerKeys mirror Impact and Provider.
var (
	impactKeys   = keysOf[Impact, struct{ ID, Kind, Weight, Down jsonKey }](compact)
	providerKeys = keysOf[Provider, struct{ ID, Name, Type, Services jsonKey }](compact)
)

// impact appends entity x's Impact.
func (d *docWriter) impact(dst []byte, x int32, weight int) []byte {
	k := &impactKeys
	dst = k.ID.append(dst)
	dst = d.q.id(dst, x)
	dst = k.Kind.append(dst)
	dst = d.q.kind(dst, d.res.Inv, x)
	dst = k.Weight.append(dst)
	dst = strconv.AppendInt(dst, int64(weight), 10)
	dst = k.Down.append(dst)
	dst = d.byTier(dst, x)
	return append(dst, '}')
}

// provider appends provider x's Provider.
func (d *docWriter) provider(dst []byte, x int32) []byte {
	e, k := &d.res.Inv.Entities[x], &providerKeys
	dst = k.ID.append(dst)
	dst = d.q.id(dst, x)
	dst = k.Name.append(dst)
	dst = appendString(dst, e.Name)
	dst = k.Type.append(dst)
	dst = appendString(dst, e.Type)
	dst = k.Services.append(dst)
	dst = d.byTier(dst, x)
	return append(dst, '}')
}

// tierKeys are the keys of ByTier, by tier (as ByTier.Of maps them).
var tierKeys = func() [len(model.Tiers)]jsonKey {
	k := keysOf[ByTier, struct{ Critical, High, Medium, Low jsonKey }](compact)
	return [...]jsonKey{model.Critical: k.Critical, model.High: k.High, model.Medium: k.Medium, model.Low: k.Low}
}()

// byTier appends the ByTier of the services x's failure puts down.
func (d *docWriter) byTier(dst []byte, x int32) []byte {
	radius := d.res.BlastRadius(x)
	for _, t := range model.Tiers {
		dst = tierKeys[t].append(dst)
		dst = append(dst, '[')
		first := true
		for _, s := range radius {
			if d.tiers[s] == int8(t) {
				if !first {
					dst = append(dst, ',')
				}
				first = false
				dst = d.q.id(dst, s)
			}
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// findingKeys mirrors Finding.
var findingKeys = keysOf[Finding, struct{ Kind, Severity, Entity, Message, File, Line, Column, Incident jsonKey }](compact)

// finding appends f as a Finding.
func (d *docWriter) finding(dst []byte, f *analysis.Finding) []byte {
	k := &findingKeys
	dst = k.Kind.append(dst)
	dst = appendString(dst, f.Kind)
	dst = k.Severity.append(dst)
	dst = appendString(dst, f.Severity)
	dst = k.Entity.append(dst)
	dst = d.q.id(dst, f.Entity)
	dst = k.Message.append(dst)
	dst = appendString(dst, f.Message)
	dst = k.File.append(dst)
	dst = appendString(dst, f.Pos.File)
	dst = k.Line.append(dst)
	dst = strconv.AppendInt(dst, int64(f.Pos.Line), 10)
	dst = k.Column.append(dst)
	dst = strconv.AppendInt(dst, int64(f.Pos.Col), 10)
	if f.Incident != nil {
		dst = k.Incident.append(dst)
		dst = appendString(dst, f.Incident.ID)
	}
	return append(dst, '}')
}
