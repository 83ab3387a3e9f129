package analyze

import (
	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// Detection is what the analysis finds about detection and communication (docs/detection.md), in
// the JSON document when the inventory declares a service with a role. Blind spots and unwatched
// services are judged once a monitoring service is declared, silent outages once a status service
// is.
type Detection struct {
	// Monitoring, Alerting and Status are the services of each role, by ID.
	Monitoring []string `json:"monitoring"`
	Alerting   []string `json:"alerting"`
	Status     []string `json:"status"`
	// Unwatched are the critical and high services that no monitoring service watches, nor anything
	// they depend on, by ID.
	Unwatched []string `json:"unwatched"`
	// Unlisted counts, by service, the blind spots of two failures not listed (beyond
	// analysis.ReviewPairs per service).
	Unlisted []Unlisted `json:"unlisted"`
	// BlindSpots are the failures that take a critical or high service down unseen, by service then
	// failure (SPOFs, then minimal cut sets of two).
	BlindSpots []BlindSpot `json:"blind_spots" layout:"lines"`
	// SilentOutages are the entities whose failure takes down a customer-facing critical service and
	// every status service, by entity.
	SilentOutages []SilentOutage `json:"silent_outages" layout:"lines"`
}

// Unlisted is how many blind spots of two failures of Service are not listed.
type Unlisted struct {
	Service string `json:"service"`
	Count   int    `json:"count"`
}

// BlindSpot is a failure that takes Service down unseen.
type BlindSpot struct {
	Service string `json:"service"`
	// Failure is one entity, or two (a minimal cut set), by ID.
	Failure []string `json:"failure"`
	// Chain is how the failure takes Service down, Service first, as spof simulate shows it.
	Chain []string `json:"chain"`
	// Watchers are the monitoring services that watch Service or what it depends on, by ID.
	Watchers []Watcher `json:"watchers"`
}

// Watcher is a monitoring service in a blind spot: Chain is how the failure takes it down, null when
// it stays up (nothing it watches then goes down); Watches what it watches of the service's closure.
type Watcher struct {
	ID      string   `json:"id"`
	Chain   []string `json:"chain"`
	Watches []string `json:"watches"`
}

// SilentOutage is an entity whose failure alone takes down the customer-facing critical Services and
// every Status service, each with the chain that takes it down (the service first).
type SilentOutage struct {
	Entity   string    `json:"entity"`
	Services []Reached `json:"services"`
	Status   []Reached `json:"status"`
}

// Reached is a service a failure takes down, and how.
type Reached struct {
	ID    string   `json:"id"`
	Chain []string `json:"chain"`
}

// NewDetection returns the detection part of the analysis of res, nil when no service has a role.
func NewDetection(res *analysis.Result) *Detection {
	if !hasRoles(res) {
		return nil
	}
	d := res.Detection()
	out := newDetectionHead(res)
	blind, _ := d.Review()
	for i := range blind {
		out.BlindSpots = append(out.BlindSpots, newBlindSpot(res.Inv, &blind[i]))
	}
	for _, so := range d.SilentOutages() {
		out.SilentOutages = append(out.SilentOutages, newSilentOutage(res.Inv, so))
	}
	return out
}

// newDetectionHead returns the Detection of res with its short lists only.
func newDetectionHead(res *analysis.Result) *Detection {
	inv := res.Inv
	d := res.Detection()
	_, unwatched := d.Review()
	out := &Detection{Monitoring: inv.IDsOf(d.Monitoring), Alerting: inv.IDsOf(d.Alerting), Status: inv.IDsOf(d.Status),
		Unwatched: inv.IDsOf(unwatched), Unlisted: []Unlisted{}, BlindSpots: []BlindSpot{}, SilentOutages: []SilentOutage{}}
	for _, u := range d.Unlisted() {
		out.Unlisted = append(out.Unlisted, Unlisted{Service: inv.ID(u.Service), Count: u.Count})
	}
	return out
}

func newBlindSpot(inv *model.Inventory, b *analysis.BlindSpot) BlindSpot {
	bs := BlindSpot{Service: inv.ID(b.Service), Failure: inv.IDsOf(b.Failure), Chain: inv.IDsOf(b.Chain), Watchers: []Watcher{}}
	for _, w := range b.Watchers {
		wt := Watcher{ID: inv.ID(w.Entity), Watches: inv.IDsOf(w.Watches)}
		if w.Chain != nil {
			wt.Chain = inv.IDsOf(w.Chain)
		}
		bs.Watchers = append(bs.Watchers, wt)
	}
	return bs
}

func newSilentOutage(inv *model.Inventory, so analysis.SilentOutage) SilentOutage {
	reached := func(chains [][]int32) []Reached {
		rs := make([]Reached, len(chains))
		for i, c := range chains {
			rs[i] = Reached{ID: inv.ID(c[0]), Chain: inv.IDsOf(c)}
		}
		return rs
	}
	return SilentOutage{Entity: inv.ID(so.Entity), Services: reached(so.Services), Status: reached(so.Status)}
}

// hasRoles says whether some service of res has a role: the document has a detection part.
func hasRoles(res *analysis.Result) bool {
	d := res.Detection()
	return len(d.Monitoring)+len(d.Alerting)+len(d.Status) > 0
}

// writeDetection writes the Detection of res, which must have roles (see hasRoles): its lists of
// roles and unwatched services on one line, then its blind spots and silent outages one per line,
// each converted as it is written: a large platform has tens of thousands of blind spots.
func writeDetection(e *lineEncoder, res *analysis.Result) error {
	return detection.write(e.w, &detectionSrc{e: e, res: res, head: newDetectionHead(res)})
}

// detectionSrc is what the Detection is written from: the analysis and its short lists.
type detectionSrc struct {
	e    *lineEncoder
	res  *analysis.Result
	head *Detection
}

// short writes a list of the head of the Detection.
func short[T any](list func(*Detection) []T) streamer[*detectionSrc] {
	return streamer[*detectionSrc]{write: func(src *detectionSrc) error {
		src.e.value(list(src.head))
		return nil
	}}
}

var detection = bind[Detection](spaced, map[string]streamer[*detectionSrc]{
	"Monitoring": short(func(d *Detection) []string { return d.Monitoring }),
	"Alerting":   short(func(d *Detection) []string { return d.Alerting }),
	"Status":     short(func(d *Detection) []string { return d.Status }),
	"Unwatched":  short(func(d *Detection) []string { return d.Unwatched }),
	"Unlisted":   short(func(d *Detection) []Unlisted { return d.Unlisted }),
	"BlindSpots": {write: func(src *detectionSrc) error {
		blind, _ := src.res.Detection().Review()
		src.e.w.WriteByte('[')
		for i := range blind {
			src.e.item(i, newBlindSpot(src.res.Inv, &blind[i]))
		}
		src.e.end(len(blind))
		return nil
	}},
	"SilentOutages": {write: func(src *detectionSrc) error {
		silent := src.res.Detection().SilentOutages()
		src.e.w.WriteByte('[')
		for i, so := range silent {
			src.e.item(i, newSilentOutage(src.res.Inv, so))
		}
		src.e.end(len(silent))
		return nil
	}},
})
