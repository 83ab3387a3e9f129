// Package gen writes realistic synthetic spof inventories of any size, for benchmarks and tests.
//
// An inventory of N entities is made, deterministically from a seed, in one of two shapes. The
// default (Domains) is made of:
//
//   - providers (about 0.5%, at least 8): hosting, cloud, carrier, saas, dns and isp providers;
//   - components (about 6%): data-centre sites (`type = "site"`, on a hosting provider) and cloud
//     regions (also sites, on a cloud provider); hypervisor clusters on each data-centre site; per
//     site a pair of ISP links, switches, firewalls and load balancers and a few storage arrays;
//     SIP trunks on the carriers; and assorted appliances (NAS, backup, HSM, mail and VPN gateways…);
//   - VMs (the rest, about 53%), each on a cluster (`host`, `provider`) or in a cloud region
//     (`site`, `provider`); a few are spare and used by nothing;
//   - services (35%), grouped in domains owned by a team: a few platform domains (DNS, identity,
//     databases, messaging…) that everything may use, then business domains, some of them shared
//     back ends. Tiers are 5% critical, 15% high, 50% medium (`tier` sometimes left to its default)
//     and 30% low; most have an owner. A service runs on one VM, on an `any_of` pair of VMs (on the
//     same cluster, on two clusters of a site, or on two sites), on an `at_least = 2` quorum of
//     three VMs, on the container platform, or on nothing (SaaS based). It depends on 0–3 lower
//     services, SaaS and DNS providers, load balancers, appliances or SIP trunks, sometimes through
//     `any_of` groups. Dependencies between services point to lower layers, so the graph is a DAG
//     except for the planted cycles, and the set of entities a service transitively needs stays
//     bounded (its domain, a few shared domains and the platform) whatever N is;
//   - phone numbers (5%) with unique E.164 numbers in six countries, on one carrier or an `any_of`
//     pair of carriers, routed to telephony or customer-facing services;
//   - Options.Cycles small dependency cycles of 2–4 services; each is closed by an `any_of` group
//     whose other member is outside the cycle, so only the least fixed point keeps it up.
//
// The Dense shape (dense.go) has no domains: every service may depend on any earlier one, so that
// what a service transitively needs grows with the platform.
//
// Every reference resolves to an entity of an allowed kind, IDs are unique and readable
// (`prov-saas-03`, `site-07`, `cl-0042`, `vm-004217`, `svc-001234`, `num-000042`), and the same
// seed and entity count give byte-identical output, however the inventory is split into files.
package gen

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// MinEntities is the smallest inventory Write and Generate make.
const MinEntities = 100

// MaxEntities is the largest inventory Write and Generate make.
const MaxEntities = 50_000_000

// Options controls a synthetic inventory.
type Options struct {
	// Entities is the total number of entities; the inventory has exactly this many
	// (at least MinEntities).
	Entities int
	// Seed selects the inventory; the same seed gives the same bytes.
	Seed uint64
	// Files is the number of .toml files Write spreads the entities over. 0 means files of at
	// most 2,000 entities, one kind per file; 1 means a single inventory.toml; otherwise each
	// of the seven groups (providers, sites, clusters, components, services, vms, numbers) gets
	// at least one file, so there are max(Files, 7) files. Generate ignores it.
	Files int
	// Cycles is the number of dependency cycles to plant: 0 means the default (3 plus one per
	// 50,000 entities), a negative number means none. It is capped at one per 8 business services.
	// The dense shape has none.
	Cycles int
	// Shape is the platform's shape: Domains (the default) or Dense.
	Shape Shape
}

// Shape is how the services of an inventory depend on each other.
type Shape uint8

// Shapes.
const (
	// Domains is the shape described above: services in domains and layers, so that the set of
	// entities a service transitively needs stays bounded whatever the size.
	Domains Shape = iota
	// Dense makes closures grow with the platform (see dense.go).
	Dense
)

var shapeNames = [...]string{"domains", "dense"}

// String returns the shape's name: domains or dense.
func (s Shape) String() string { return shapeNames[s] }

// ParseShape returns the shape named s.
func ParseShape(s string) (Shape, bool) {
	for i, name := range shapeNames {
		if name == s {
			return Shape(i), true
		}
	}
	return 0, false
}

// ShapeNames returns the names of the shapes, the default first.
func ShapeNames() []string { return shapeNames[:] }

// Stats describes a written inventory.
type Stats struct {
	Entities int
	Files    int
	// ByKind counts entities by table: providers, components, vms, services, numbers.
	ByKind map[string]int
	// Cycles is the number of planted dependency cycles: the inventory's service graph has
	// exactly this many non-trivial strongly connected components.
	Cycles int
	// Bytes is the total size written.
	Bytes int64
}

// Generate writes the inventory as one TOML document to w. Its bytes are those of the single
// inventory.toml that Write makes with Files = 1.
func Generate(w io.Writer, o Options) (Stats, error) {
	m, err := newModel(o)
	if err != nil {
		return Stats{}, err
	}
	e := newEmitter(w)
	m.header(e, "", 0, 0)
	for gi := range m.groups {
		g := &m.groups[gi]
		e.raw("\n# ---- " + g.name + " ----\n")
		for i := 0; i < g.count; i++ {
			g.emit(e, i)
			if e.err != nil {
				return Stats{}, e.err
			}
		}
	}
	if err := e.flush(); err != nil {
		return Stats{}, err
	}
	st := m.stats()
	st.Files = 1
	st.Bytes = e.n
	return st, nil
}

// Write writes the inventory into dir, which it creates; dir must not already hold files.
// A group in one file is written as GROUP.toml, a group in several as GROUP/NNN.toml.
func Write(dir string, o Options) (Stats, error) {
	m, err := newModel(o)
	if err != nil {
		return Stats{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, err
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return Stats{}, err
	}
	if len(ents) > 0 {
		return Stats{}, fmt.Errorf("%s is not empty: refusing to mix a generated inventory with other files", dir)
	}
	st := m.stats()
	if o.Files == 1 {
		s, err := writeFile(filepath.Join(dir, "inventory.toml"), func(w io.Writer) (int64, error) {
			s, err := Generate(w, o)
			return s.Bytes, err
		})
		st.Files, st.Bytes = 1, s
		return st, err
	}
	chunks := m.fileCounts(o.Files)
	e := newEmitter(nil)
	for gi := range m.groups {
		g := &m.groups[gi]
		k := chunks[gi]
		width := max(3, len(strconv.Itoa(k)))
		if k > 1 {
			if err := os.Mkdir(filepath.Join(dir, g.name), 0o755); err != nil {
				return Stats{}, err
			}
		}
		for j := 0; j < k; j++ {
			lo, hi := g.count*j/k, g.count*(j+1)/k
			path := filepath.Join(dir, g.name+".toml")
			if k > 1 {
				path = filepath.Join(dir, g.name, pad(j+1, width)+".toml")
			}
			n, err := writeFile(path, func(w io.Writer) (int64, error) {
				e.w.Reset(w)
				e.n = 0
				m.header(e, g.name, j+1, k)
				for i := lo; i < hi; i++ {
					g.emit(e, i)
				}
				err := e.flush()
				return e.n, err
			})
			if err != nil {
				return Stats{}, err
			}
			st.Files++
			st.Bytes += n
		}
	}
	return st, nil
}

func writeFile(path string, body func(io.Writer) (int64, error)) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	n, err := body(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// fileCounts is the number of files of each group.
func (m *model) fileCounts(files int) []int {
	out := make([]int, len(m.groups))
	if files <= 0 {
		for i, g := range m.groups {
			out[i] = max(1, (g.count+1999)/2000)
		}
		return out
	}
	files = max(files, len(m.groups))
	// Proportional shares, at least one file per group and at most one per entity, then the
	// largest remainders take what is left.
	total := 0
	for i, g := range m.groups {
		out[i] = max(1, min(g.count, files*g.count/m.n))
		total += out[i]
	}
	for total != files {
		best, bestScore := -1, 0.0
		for i, g := range m.groups {
			ideal := float64(files) * float64(g.count) / float64(m.n)
			score := ideal - float64(out[i])
			if total < files && out[i] < g.count && (best < 0 || score > bestScore) {
				best, bestScore = i, score
			}
			if total > files && out[i] > 1 && (best < 0 || score < bestScore) {
				best, bestScore = i, score
			}
		}
		if best < 0 {
			break
		}
		if total < files {
			out[best]++
			total++
		} else {
			out[best]--
			total--
		}
	}
	return out
}

func (m *model) header(e *emitter, group string, part, parts int) {
	e.raw("# Synthetic spof inventory written by spof-gen (seed ")
	e.raw(strconv.FormatUint(m.seed, 10))
	e.raw(", ")
	e.raw(strconv.Itoa(m.n))
	e.raw(" entities). Do not edit: regenerate.\n")
	if group != "" {
		e.raw("# " + group + ", part " + strconv.Itoa(part) + " of " + strconv.Itoa(parts) + ".\n")
	}
}

func (m *model) stats() Stats {
	st := Stats{Entities: m.n, Cycles: len(m.cycles), ByKind: map[string]int{
		"providers":  m.nProv,
		"components": m.nComp,
		"vms":        m.nVM,
		"services":   m.nSvc,
		"numbers":    m.nNum,
	}}
	return st
}

var errTooSmall = errors.New("gen: too few entities")

// rng streams, one per group, so that a group's content does not depend on the others'.
const (
	streamPlan = iota + 1
	streamProviders
	streamSites
	streamClusters
	streamComponents
	streamServices
	streamVMs
	streamNumbers
)

func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x5f0f_9e37_79b9_7f4a^stream*0x9e3779b97f4a7c15))
}
