package gen

import (
	"fmt"
	"math/rand/v2"
)

// Provider types, in the order of their blocks of provider indices.
const (
	pHosting = iota
	pCloud
	pCarrier
	pSaaS
	pDNS
	pISP
	nProvTypes
)

var provTypes = [nProvTypes]string{"hosting", "cloud", "carrier", "saas", "dns", "isp"}

// Share of providers of each type, in per cent, and the minimum count.
var (
	provWeight = [nProvTypes]int{15, 8, 15, 40, 8, 14}
	provMin    = [nProvTypes]int{1, 1, 2, 2, 1, 1}
)

// Layers of a domain's services.
const (
	layerData = iota
	layerBackend
	layerFront
)

type domain struct {
	theme     string
	label     string // e.g. "shop-03"
	owner     string
	start     int32
	size      int32
	platform  bool
	shared    bool // a business domain other business domains may use
	telephony bool
	cloud     bool  // runs in cloud regions rather than data centres
	home      int32 // home site (data centre) or region
	second    int32 // second site or region
}

// group is one of the inventory's sections, written in order.
type group struct {
	name  string
	count int
	emit  func(e *emitter, i int)
}

// model holds the sizes and the few per-entity decisions that later sections need. It is
// O(entities) small integers; the text is produced on the fly.
type model struct {
	seed uint64
	n    int

	nProv     int
	provStart [nProvTypes + 1]int

	nDC, nReg int
	nCl       int
	clStart   []int32 // clusters of DC site s: [clStart[s], clStart[s+1])
	sanStart  []int32 // storage arrays of DC site s
	nSan      int
	nTrunk    int
	nFill     int
	nComp     int

	nVM, nSvc, nNum int

	// services
	domains   []domain
	platEnd   int32   // services [0, platEnd) are platform services
	svcDomain []int32 // domain of each service
	shared    []int32 // shared business domains, in order
	container []int32 // container-platform services (runs_on targets)
	cycles    [][]int32
	planted   map[int32][]req

	// filled while services are written, read by VMs and numbers
	vmHost     []int32 // >= 0: cluster; < 0: -(region+1)
	vmSvc      []int32 // service that first used the VM, -1 if spare
	vmCursor   int
	custFacing []int32
	teleSvc    []int32

	groups []group
	rProv  *rand.Rand
	rSite  *rand.Rand
	rCl    *rand.Rand
	rComp  *rand.Rand
	rSvc   *rand.Rand
	rVM    *rand.Rand
	rNum   *rand.Rand
	numOff [len(countries)]uint64

	// scratch
	used []ref
	reqs []req
}

func newModel(o Options) (*model, error) {
	n := o.Entities
	if n < MinEntities {
		return nil, fmt.Errorf("%w: %d entities asked, at least %d needed", errTooSmall, n, MinEntities)
	}
	if n > MaxEntities {
		return nil, fmt.Errorf("gen: too many entities: %d asked, at most %d", n, MaxEntities)
	}
	if o.Files < 0 {
		return nil, fmt.Errorf("gen: negative number of files %d", o.Files)
	}
	if o.Shape == Dense {
		return newDense(o), nil
	}
	m := &model{seed: o.Seed, n: n}

	// Providers.
	m.nProv = max(8, (n+100)/200)
	m.nDC = 2 + n/5000
	m.nReg = 2 + n/20000
	var pc [nProvTypes]int
	rest := m.nProv
	for t := range pc {
		pc[t] = provMin[t]
		rest -= pc[t]
	}
	// Distribute the rest by weight; types that would exceed their use go to SaaS.
	caps := [nProvTypes]int{m.nDC, m.nReg, 1 << 30, 1 << 30, 1 << 30, 2 * m.nDC}
	extra := rest
	for t := range pc {
		add := extra * provWeight[t] / 100
		if t == pSaaS {
			continue
		}
		add = min(add, max(0, caps[t]-pc[t]))
		pc[t] += add
		rest -= add
	}
	pc[pSaaS] += rest
	for t := 0; t < nProvTypes; t++ {
		m.provStart[t+1] = m.provStart[t] + pc[t]
	}

	// Components.
	m.nCl = max(m.nDC, n/80)
	m.clStart = make([]int32, m.nDC+1)
	m.sanStart = make([]int32, m.nDC+1)
	for s := 0; s <= m.nDC; s++ {
		m.clStart[s] = int32(s * m.nCl / m.nDC)
	}
	for s := 0; s < m.nDC; s++ {
		cl := int(m.clStart[s+1] - m.clStart[s])
		m.sanStart[s+1] = m.sanStart[s] + int32((cl+3)/4)
	}
	m.nSan = int(m.sanStart[m.nDC])
	m.nTrunk = 2 * m.provCount(pCarrier)
	infra := m.nDC + m.nReg + m.nCl + 8*m.nDC + m.nSan + m.nTrunk
	m.nFill = max(0, n*6/100-infra)
	m.nComp = infra + m.nFill

	m.nSvc = n * 35 / 100
	m.nNum = max(2, n*5/100)
	m.nVM = n - m.nProv - m.nComp - m.nSvc - m.nNum
	if m.nVM < 3 {
		return nil, fmt.Errorf("%w: %d entities leave no room for VMs", errTooSmall, n)
	}
	for c := range countries {
		if m.nNum/len(countries)+1 > countries[c].space {
			return nil, fmt.Errorf("gen: too many phone numbers for the numbering plans")
		}
	}

	m.rProv = newRand(o.Seed, streamProviders)
	m.rSite = newRand(o.Seed, streamSites)
	m.rCl = newRand(o.Seed, streamClusters)
	m.rComp = newRand(o.Seed, streamComponents)
	m.rSvc = newRand(o.Seed, streamServices)
	m.rVM = newRand(o.Seed, streamVMs)
	m.rNum = newRand(o.Seed, streamNumbers)
	for c := range countries {
		m.numOff[c] = m.rNum.Uint64N(uint64(countries[c].space))
	}

	m.planServices(o)

	m.groups = []group{
		{"providers", m.nProv, m.emitProvider},
		{"sites", m.nDC + m.nReg, m.emitSite},
		{"clusters", m.nCl, m.emitCluster},
		{"components", m.nComp - m.nDC - m.nReg - m.nCl, m.emitComponent},
		{"services", m.nSvc, m.emitService},
		{"vms", m.nVM, m.emitVM},
		{"numbers", m.nNum, m.emitNumber},
	}
	return m, nil
}

func (m *model) provCount(t int) int { return m.provStart[t+1] - m.provStart[t] }

// prov returns a random provider of type t.
func (m *model) prov(r *rand.Rand, t int) ref {
	return provRef(t, r.IntN(m.provCount(t)))
}

// provRef is the k-th provider of type t.
func provRef(t, k int) ref {
	return ref{kProv, int32(t<<24 | k)}
}

// planServices lays out the domains, the container platform and the planted cycles.
func (m *model) planServices(o Options) {
	r := newRand(o.Seed, streamPlan)
	S := m.nSvc
	m.svcDomain = make([]int32, S)
	m.vmHost = make([]int32, m.nVM)
	m.vmSvc = make([]int32, m.nVM)
	for i := range m.vmSvc {
		m.vmSvc[i] = -1
	}

	// Platform domains: a bounded number of services whatever the size.
	per := min(40, max(1, S/250))
	np := min(len(platformThemes), max(1, S/(4*per)))
	pos := 0
	for t := 0; t < np; t++ {
		d := domain{theme: platformThemes[t], label: platformThemes[t], owner: "platform-" + platformThemes[t],
			start: int32(pos), size: int32(per), platform: true}
		m.placeDomain(r, &d, false)
		m.domains = append(m.domains, d)
		pos += per
	}
	m.platEnd = int32(pos)
	for i := int32(0); i < m.platEnd; i++ {
		d := m.domains[i/int32(per)]
		if d.theme == "containers" && int(i-d.start) >= int(d.size)/2 {
			m.container = append(m.container, i)
		}
	}

	// Business domains of 12–60 services; the first is telephony.
	themeCount := map[string]int{}
	for b := 0; pos < S; b++ {
		size := 12 + r.IntN(49)
		if S-pos < size+6 {
			size = S - pos
		}
		theme := "telephony"
		if b > 0 {
			theme = businessThemes[r.IntN(len(businessThemes))]
		}
		themeCount[theme]++
		label := theme + "-" + pad(themeCount[theme], 2)
		d := domain{theme: theme, label: label, owner: "team-" + label, start: int32(pos), size: int32(size),
			telephony: theme == "telephony", shared: b > 0 && r.IntN(4) == 0}
		m.placeDomain(r, &d, theme != "telephony" && r.IntN(5) == 0)
		if d.shared {
			m.shared = append(m.shared, int32(len(m.domains)))
		}
		m.domains = append(m.domains, d)
		pos += size
	}
	for di, d := range m.domains {
		for i := d.start; i < d.start+d.size; i++ {
			m.svcDomain[i] = int32(di)
		}
	}

	// Cycles: runs of 2–4 consecutive business services, evenly spread.
	biz := S - int(m.platEnd)
	nc := o.Cycles
	if nc == 0 {
		nc = 3 + m.n/50000
	}
	nc = max(0, min(nc, biz/8))
	m.planted = map[int32][]req{}
	for c := 0; c < nc; c++ {
		k := 2 + r.IntN(3)
		start := int(m.platEnd) + (c*biz)/nc + r.IntN(max(1, biz/nc-k))
		start = min(start, S-k)
		mem := make([]int32, k)
		for j := range mem {
			mem[j] = int32(start + j)
		}
		m.cycles = append(m.cycles, mem)
		for j := 1; j < k; j++ {
			m.planted[mem[j]] = append(m.planted[mem[j]], single(ref{kSvc, mem[j-1]}))
		}
		// The cycle is closed through an any_of whose other member lies outside it: a lower
		// service, or a SaaS provider when there is none.
		alt := m.prov(r, pSaaS)
		if mem[0] > 0 {
			alt = ref{kSvc, int32(r.IntN(int(mem[0])))}
		}
		m.planted[mem[0]] = append(m.planted[mem[0]], anyOf(ref{kSvc, mem[k-1]}, alt))
	}
}

// placeDomain chooses the home and second site (or region) of a domain.
func (m *model) placeDomain(r *rand.Rand, d *domain, cloud bool) {
	d.cloud = cloud
	n := m.nDC
	if cloud {
		n = m.nReg
	}
	d.home = int32(r.IntN(n))
	d.second = int32((int(d.home) + 1 + r.IntN(n-1)) % n)
}

var platformThemes = []string{"dns", "secrets", "identity", "database", "messaging", "storage",
	"containers", "logging", "monitoring", "backup"}

var businessThemes = []string{"shop", "billing", "crm", "erp", "hr", "payroll", "catalog", "search",
	"logistics", "support", "analytics", "mail", "intranet", "payments", "mobile", "partners",
	"booking", "marketing", "telephony", "docs"}
