package model

import (
	"time"

	"github.com/spofhq/spof/internal/diag"
)

// IncidentsTable is the top-level table that records past incidents, one [incidents.<id>] table each.
// Incident IDs are a space of their own: an incident may share its ID with an entity.
const IncidentsTable = "incidents"

// Incident is a past outage as a post-incident review recorded it: when it happened, the entities that
// failed and the services that were observed down. A record describes and never requires: no entity
// goes down because of it. Replaying it is simulating the failure of Failed on the inventory of the
// day, which is how spof checks that the same failure cannot take the same services down again.
type Incident struct {
	ID    string
	Title string
	// Started and Ended bound the outage; Ended is after Started. Both keep the offset they were
	// written with.
	Started, Ended time.Time
	// Failed are the entities that failed, at least one; Impacted the services observed down, maybe
	// none (a near miss). Both are ascending and without duplicates, and FailedPos and ImpactedPos
	// give where each is written.
	Failed      []int32
	Impacted    []int32
	FailedPos   []diag.Pos
	ImpactedPos []diag.Pos
	// Report is a link or path to the write-up; Notes are free text. Both may be empty.
	Report string
	Notes  string
	// Pos is where the incident's table is declared.
	Pos diag.Pos
}

// Duration is how long the outage lasted.
func (in *Incident) Duration() time.Duration { return in.Ended.Sub(in.Started) }

// Observed reports whether service s is among the services the incident was observed to take down.
func (in *Incident) Observed(s int32) bool {
	for _, x := range in.Impacted {
		if x == s {
			return true
		}
	}
	return false
}
