package gen

import (
	"math/rand/v2"
	"sort"
	"strconv"
)

var provNames = [nProvTypes][]string{
	pHosting: {"Northwind Hosting", "Bluestone Datacenters", "Kestrel Colocation", "Harbor Hosting", "Granite DC", "Alder Hosting"},
	pCloud:   {"Nimbus Cloud", "Stratus Compute", "Cirrus Platform", "Altocumulus"},
	pCarrier: {"Telvia", "Orbis Telecom", "Meridian Voice", "Alto Carrier", "Helix Telecom", "Lumen Voice"},
	pSaaS: {"Mailspring", "Ticketly", "PayFlow", "Chatterbox", "DocuVault", "Paygate", "Relay CRM", "StatusBoard",
		"Signwell", "Pagerline", "Calendly Pro", "Ledgerly", "Smsway", "Formstack One", "Analytica", "Shipbridge"},
	pDNS: {"Quad DNS", "EdgeDNS", "Anycast Zone"},
	pISP: {"FiberLink", "MetroNet", "Transit One", "Backbone Telecom", "Urban Fibre"},
}

var provAvail = [nProvTypes][]string{
	pHosting: {"0.9995", "0.9999", "0.999"},
	pCloud:   {"0.9999", "0.99995"},
	pCarrier: {"0.9995", "0.999", "0.9999"},
	pSaaS:    {"0.999", "0.9995", "0.9999", "0.995"},
	pDNS:     {"0.99999", "0.9999"},
	pISP:     {"0.999", "0.9995", "0.998"},
}

var cities = []string{"Paris", "Lyon", "Marseille", "Lille", "Toulouse", "Frankfurt", "Amsterdam", "London",
	"Dublin", "Madrid", "Milan", "Brussels", "Zurich", "Vienna", "Warsaw", "Stockholm", "Oslo", "Copenhagen",
	"Lisbon", "Prague"}

var regions = []string{"eu-west-1", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1", "us-east-1",
	"us-west-2", "ca-central-1", "ap-southeast-1", "ap-northeast-1"}

var people = []string{"a.martin", "c.bernard", "l.dubois", "m.thomas", "s.robert", "j.richard", "n.petit",
	"e.durand", "p.leroy", "k.moreau", "h.simon", "r.laurent"}

var roles = [3][]string{
	layerData:    {"db", "cache", "queue", "search-index", "object-store", "warehouse"},
	layerBackend: {"api", "worker", "scheduler", "batch", "gateway", "sync", "notifier"},
	layerFront:   {"web", "portal", "mobile-api", "admin", "public-api"},
}

var teleRoles = [3][]string{
	layerData:    {"cdr-db", "recordings-store", "directory"},
	layerBackend: {"pbx", "ivr", "voicemail", "sbc", "acd"},
	layerFront:   {"contact-center", "softphone-portal", "callback-web"},
}

var purposes = []string{"support", "sales", "on-call", "reception", "billing", "helpdesk", "fax", "emergency"}

// countries holds the numbering plans of the generated phone numbers: a prefix and the digits
// that follow, grouped.
var countries = [...]struct {
	code   string
	groups []int // digit group sizes after the prefix
	space  int   // how many distinct numbers
}{
	{"+33 1", []int{2, 2, 2, 2}, 100_000_000},
	{"+44 20", []int{4, 4}, 100_000_000},
	{"+49 30", []int{4, 4}, 100_000_000},
	{"+34 91", []int{3, 2, 2}, 10_000_000},
	{"+32 2", []int{3, 2, 2}, 10_000_000},
	{"+1 212", []int{3, 4}, 8_000_000}, // exchanges 200–999
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (m *model) provType(i int) int {
	t := 0
	for i >= m.provStart[t+1] {
		t++
	}
	return t
}

// provName is the display name of the k-th provider of type t; slug is its DNS-style form.
func provName(t, k int) (name, slug string) {
	pool := provNames[t]
	name = pool[k%len(pool)]
	if k >= len(pool) {
		name += " " + strconv.Itoa(k/len(pool)+1)
	}
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c == ' ':
			b = append(b, '-')
		default:
			b = append(b, c)
		}
	}
	return name, string(b)
}

func (m *model) emitProvider(e *emitter, i int) {
	r := m.rProv
	t := m.provType(i)
	k := i - m.provStart[t]
	name, slug := provName(t, k)
	e.table("providers", provRef(t, k))
	e.str("type", provTypes[t])
	e.str("name", name)
	if r.IntN(10) < 8 {
		e.strParts("contact", '@', "noc", slug+".example")
	}
	if r.IntN(10) < 8 {
		e.num("availability", pick(r, provAvail[t]))
	}
	e.end()
}

// dcProvider is the hosting provider of data-centre site s.
func (m *model) dcProvider(s int) ref { return provRef(pHosting, s%m.provCount(pHosting)) }

// regionProvider is the cloud provider of region g.
func (m *model) regionProvider(g int) ref { return provRef(pCloud, g%m.provCount(pCloud)) }

func siteName(s int) string {
	return cities[s%len(cities)] + " DC" + strconv.Itoa(s/len(cities)+1)
}

func (m *model) emitSite(e *emitter, i int) {
	r := m.rSite
	if i < m.nDC {
		e.table("components", ref{kSite, int32(i)})
		e.str("type", "site")
		e.str("name", siteName(i))
		e.ref("provider", m.dcProvider(i))
		e.num("availability", pick(r, []string{"0.9999", "0.99995", "0.9998"}))
		e.tags("datacenter")
	} else {
		g := i - m.nDC
		p := m.regionProvider(g)
		pname, _ := provName(pCloud, int(p.idx&0xffffff))
		e.table("components", ref{kRegion, int32(g)})
		e.str("type", "site")
		e.strParts("name", ' ', pname, regions[g%len(regions)])
		e.ref("provider", p)
		e.num("availability", "0.9999")
		e.tags("cloud-region")
	}
	e.end()
}

// siteOfCluster is the data-centre site of cluster c.
func (m *model) siteOfCluster(c int) int {
	return sort.Search(m.nDC, func(s int) bool { return int(m.clStart[s+1]) > c })
}

func (m *model) emitCluster(e *emitter, c int) {
	r := m.rCl
	s := m.siteOfCluster(c)
	first := int(m.clStart[s])
	e.table("components", ref{kCluster, int32(c)})
	e.str("type", "hypervisor-cluster")
	e.strParts("name", ' ', siteName(s), "cluster", strconv.Itoa(c-first+1))
	e.ref("site", ref{kSite, int32(s)})
	e.ref("provider", m.dcProvider(s))
	nsan := int(m.sanStart[s+1] - m.sanStart[s])
	san := ref{kSan, m.sanStart[s] + int32((c-first)%nsan)}
	e.reqs("depends_on", []req{single(san), anyOf(ref{kSwitch, int32(2 * s)}, ref{kSwitch, int32(2*s + 1)})})
	e.num("availability", pick(r, []string{"0.9995", "0.999", "0.9998"}))
	e.tags(pick(r, []string{"vmware", "proxmox", "kvm", "hyper-v"}))
	e.end()
}

func (m *model) emitComponent(e *emitter, i int) {
	r := m.rComp
	nd := m.nDC
	ab := func(j int) string { return string(rune('a' + j%2)) }
	switch {
	case i < 2*nd: // ISP uplinks, two per site, sometimes on the same ISP
		s := i / 2
		nisp := m.provCount(pISP)
		isp := provRef(pISP, i%nisp)
		if i%2 == 1 && r.IntN(5) == 0 {
			isp = provRef(pISP, (i-1)%nisp)
		}
		e.table("components", ref{kLink, int32(i)})
		e.str("type", "link")
		e.strParts("name", ' ', siteName(s), "uplink", ab(i))
		e.ref("provider", isp)
		e.ref("site", ref{kSite, int32(s)})
		e.num("availability", "0.999")
	case i < 4*nd:
		j := i - 2*nd
		e.table("components", ref{kSwitch, int32(j)})
		e.str("type", "switch")
		e.strParts("name", ' ', siteName(j/2), "core switch", ab(j))
		e.ref("site", ref{kSite, int32(j / 2)})
	case i < 6*nd:
		j := i - 4*nd
		s := j / 2
		e.table("components", ref{kFirewall, int32(j)})
		e.str("type", "firewall")
		e.strParts("name", ' ', siteName(s), "firewall", ab(j))
		e.ref("site", ref{kSite, int32(s)})
		e.reqs("depends_on", []req{anyOf(ref{kLink, int32(2 * s)}, ref{kLink, int32(2*s + 1)})})
	case i < 8*nd:
		j := i - 6*nd
		s := j / 2
		e.table("components", ref{kLB, int32(j)})
		e.str("type", "load-balancer")
		e.strParts("name", ' ', siteName(s), "load balancer", ab(j))
		e.ref("site", ref{kSite, int32(s)})
		e.reqs("depends_on", []req{anyOf(ref{kFirewall, int32(2 * s)}, ref{kFirewall, int32(2*s + 1)})})
	case i < 8*nd+m.nSan:
		j := i - 8*nd
		s := sort.Search(nd, func(s int) bool { return int(m.sanStart[s+1]) > j })
		e.table("components", ref{kSan, int32(j)})
		e.str("type", "storage-array")
		e.strParts("name", ' ', siteName(s), "SAN", strconv.Itoa(j-int(m.sanStart[s])+1))
		e.ref("site", ref{kSite, int32(s)})
		e.num("availability", "0.9999")
	case i < 8*nd+m.nSan+m.nTrunk:
		j := i - 8*nd - m.nSan
		carrier := j / 2
		cname, _ := provName(pCarrier, carrier)
		e.table("components", ref{kTrunk, int32(j)})
		e.str("type", "sip-trunk")
		e.strParts("name", ' ', cname, "SIP trunk", ab(j))
		e.ref("provider", provRef(pCarrier, carrier))
		e.ref("site", ref{kSite, int32(j % nd)})
	default:
		j := i - 8*nd - m.nSan - m.nTrunk
		f := fillTypes[j%len(fillTypes)]
		s := (j / len(fillTypes)) % nd
		e.table("components", ref{kFill, int32(j)})
		e.str("type", f.typ)
		e.strParts("name", ' ', siteName(s), f.name, strconv.Itoa(j/len(fillTypes)/nd+1))
		e.ref("site", ref{kSite, int32(s)})
		if r.IntN(3) == 0 {
			e.str("owner", "infra-team")
		}
		if r.IntN(2) == 0 {
			e.num("availability", pick(r, []string{"0.999", "0.9995"}))
		}
	}
	e.end()
}

// fillAt returns a random appliance on DC site s, if there is one.
func (m *model) fillAt(r *rand.Rand, s int) (ref, bool) {
	nf := len(fillTypes)
	// j = nf*(s + nDC*q) + t
	base := nf * s
	if base >= m.nFill {
		return ref{}, false
	}
	rounds := (m.nFill-base-1)/(nf*m.nDC) + 1
	j := base + nf*m.nDC*r.IntN(rounds) + r.IntN(nf)
	if j >= m.nFill {
		j = base + r.IntN(min(nf, m.nFill-base))
	}
	return ref{kFill, int32(j)}, true
}

// pickCluster is a random cluster of DC site s.
func (m *model) pickCluster(r *rand.Rand, s int32) int32 {
	a, b := m.clStart[s], m.clStart[s+1]
	return a + int32(r.IntN(int(b-a)))
}

// otherCluster is a cluster of site s other than c, if the site has two.
func (m *model) otherCluster(r *rand.Rand, s, c int32) int32 {
	a, b := m.clStart[s], m.clStart[s+1]
	if b-a < 2 {
		return c
	}
	o := a + int32(r.IntN(int(b-a-1)))
	if o >= c {
		o++
	}
	return o
}

// allocVM gives service svc a VM on host (a cluster, or -(region+1)); when every VM is taken it
// reuses a random one not among taken.
func (m *model) allocVM(r *rand.Rand, host, svc int32, taken []ref) ref {
	if m.vmCursor < m.nVM {
		v := m.vmCursor
		m.vmCursor++
		m.vmHost[v] = host
		m.vmSvc[v] = svc
		return ref{kVM, int32(v)}
	}
	for {
		v := ref{kVM, int32(r.IntN(m.nVM))}
		if !contains(taken, v) {
			return v
		}
	}
}

func contains(xs []ref, x ref) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (m *model) emitService(e *emitter, i int) {
	r := m.rSvc
	si := int32(i)
	di := m.svcDomain[i]
	d := &m.domains[di]
	p := int(si - d.start)
	layer := min(2, (p*4/int(d.size)+1)/2) // quarters: data, backend, backend, front
	rolePool := roles[layer]
	if d.telephony {
		rolePool = teleRoles[layer]
	}
	e.table("services", ref{kSvc, si})
	e.strParts("name", ' ', d.label, pick(r, rolePool), strconv.Itoa(p+1))

	switch x := r.IntN(100); {
	case x < 5:
		e.str("tier", "critical")
	case x < 20:
		e.str("tier", "high")
	case x < 70:
		if r.IntN(5) < 3 {
			e.str("tier", "medium")
		}
	default:
		e.str("tier", "low")
	}
	if x := r.IntN(100); x < 80 {
		e.str("owner", d.owner)
	} else if x < 92 {
		e.strParts("owner", '@', pick(r, people), "example.com")
	}
	cf := !d.platform && layer == layerFront && r.IntN(2) == 0
	if cf {
		e.num("customer_facing", "true")
		m.custFacing = append(m.custFacing, si)
	}
	if d.telephony && layer >= layerBackend {
		m.teleSvc = append(m.teleSvc, si)
	}

	// runs_on
	var w [3]int // single, pair, quorum thresholds (cumulative per cent)
	switch layer {
	case layerData:
		w = [3]int{25, 65, 95}
	case layerBackend:
		w = [3]int{55, 83, 90}
	default:
		w = [3]int{55, 85, 85}
	}
	saasOnly := false
	m.used = m.used[:0]
	switch x := r.IntN(100); {
	case x < w[0]:
		var host int32
		if d.cloud {
			host = -(d.home + 1)
		} else {
			host = m.pickCluster(r, d.home)
		}
		e.ref("runs_on", m.allocVM(r, host, si, nil))
	case x < w[1]:
		var h1, h2 int32
		y := r.IntN(100)
		switch {
		case d.cloud && y < 40:
			h1, h2 = -(d.home + 1), -(d.home + 1)
		case d.cloud:
			h1, h2 = -(d.home + 1), -(d.second + 1)
		case y < 30: // same cluster: false redundancy
			h1 = m.pickCluster(r, d.home)
			h2 = h1
		case y < 60: // two clusters of one site
			h1 = m.pickCluster(r, d.home)
			h2 = m.otherCluster(r, d.home, h1)
		default:
			h1, h2 = m.pickCluster(r, d.home), m.pickCluster(r, d.second)
		}
		a := m.allocVM(r, h1, si, nil)
		b := m.allocVM(r, h2, si, []ref{a})
		e.reqs("runs_on", []req{anyOf(a, b)})
	case x < w[2]:
		var h [3]int32
		y := r.IntN(100)
		switch {
		case d.cloud:
			h = [3]int32{-(d.home + 1), -(d.second + 1), -int32(r.IntN(m.nReg)) - 1}
		case y < 15: // two of three on one cluster: that cluster defeats the quorum
			h[0] = m.pickCluster(r, d.home)
			h[1] = h[0]
			h[2] = m.otherCluster(r, d.home, h[0])
		case y < 55:
			h[0] = m.pickCluster(r, d.home)
			h[1] = m.otherCluster(r, d.home, h[0])
			h[2] = m.pickCluster(r, d.home)
		default:
			h[0] = m.pickCluster(r, d.home)
			h[1] = m.pickCluster(r, d.second)
			h[2] = m.pickCluster(r, int32(r.IntN(m.nDC)))
		}
		var v [3]ref
		for j := range v {
			v[j] = m.allocVM(r, h[j], si, v[:j])
		}
		e.reqs("runs_on", []req{quorum(2, v[0], v[1], v[2])})
	default:
		if nc := len(m.container); nc > 0 && !d.platform && r.IntN(10) < 6 {
			a := ref{kSvc, m.container[r.IntN(nc)]}
			if b := (ref{kSvc, m.container[r.IntN(nc)]}); b != a && r.IntN(2) == 0 {
				e.reqs("runs_on", []req{anyOf(a, b)})
				m.used = append(m.used, a, b)
			} else {
				e.ref("runs_on", a)
				m.used = append(m.used, a)
			}
		} else {
			saasOnly = true
		}
	}

	// depends_on
	self := ref{kSvc, si}
	planted := m.planted[si]
	m.used = append(m.used, self)
	for _, q := range planted {
		m.used = append(m.used, q.m[:q.n]...)
	}
	m.reqs = m.reqs[:0]
	add := func(q req) {
		for j := 0; j < int(q.n); j++ {
			if contains(m.used, q.m[j]) || contains(q.m[:j], q.m[j]) {
				return
			}
		}
		m.used = append(m.used, q.m[:q.n]...)
		m.reqs = append(m.reqs, q)
	}
	nsaas := m.provCount(pSaaS)
	if saasOnly {
		add(single(m.prov(r, pSaaS)))
	}
	var k int
	switch x := r.IntN(100); {
	case x < 20:
		k = 0
	case x < 55:
		k = 1
	case x < 85:
		k = 2
	default:
		k = 3
	}
	for j := 0; j < k; j++ {
		y := r.IntN(100)
		switch {
		case y < 50 && p > 0: // a lower service of the domain
			add(single(ref{kSvc, d.start + int32(r.IntN(p))}))
		case y < 78 && !d.platform && !d.shared && y >= 70 && m.sharedBelow(di) > 0:
			sd := &m.domains[m.shared[r.IntN(m.sharedBelow(di))]]
			half := sd.size / 2
			add(single(ref{kSvc, sd.start + half + int32(r.IntN(int(sd.size-half)))}))
		case y < 78 && si > 0: // the platform (for a platform service, a lower one)
			add(single(ref{kSvc, int32(r.IntN(int(min(si, m.platEnd))))}))
		case y < 92 && y >= 86:
			if p >= 2 && r.IntN(2) == 0 {
				a := d.start + int32(r.IntN(p))
				b := d.start + int32(r.IntN(p))
				add(anyOf(ref{kSvc, a}, ref{kSvc, b}))
			} else if nsaas >= 2 {
				add(anyOf(m.prov(r, pSaaS), m.prov(r, pSaaS)))
			}
		case y >= 92 && !d.cloud:
			if f, ok := m.fillAt(r, int(d.home)); ok {
				add(single(f))
			}
		default:
			add(single(m.prov(r, pSaaS)))
		}
	}
	if d.theme == "dns" && r.IntN(2) == 0 {
		add(single(m.prov(r, pDNS)))
	}
	if cf {
		if m.provCount(pDNS) >= 2 && r.IntN(10) < 3 {
			add(anyOf(m.prov(r, pDNS), m.prov(r, pDNS)))
		} else {
			add(single(m.prov(r, pDNS)))
		}
		if !d.cloud {
			add(anyOf(ref{kLB, 2 * d.home}, ref{kLB, 2*d.home + 1}))
		}
	}
	if d.telephony && layer >= layerBackend && r.IntN(10) < 6 {
		a := ref{kTrunk, int32(r.IntN(m.nTrunk))}
		if r.IntN(2) == 0 {
			add(single(a))
		} else {
			add(anyOf(a, ref{kTrunk, int32(r.IntN(m.nTrunk))}))
		}
	}
	m.reqs = append(m.reqs, planted...)
	e.reqs("depends_on", m.reqs)

	if r.IntN(10) < 3 {
		e.num("availability", pick(r, []string{"0.999", "0.9995", "0.99", "0.995"}))
	}
	if r.IntN(4) == 0 {
		e.tags(d.theme, "prod")
	}
	e.end()
}

// sharedBelow is the number of shared business domains before domain di.
func (m *model) sharedBelow(di int32) int {
	return sort.Search(len(m.shared), func(j int) bool { return m.shared[j] >= di })
}

func (m *model) emitVM(e *emitter, v int) {
	r := m.rVM
	host := m.vmHost[v]
	svc := m.vmSvc[v]
	if v >= m.vmCursor { // spare VM: place it anywhere
		if r.IntN(5) == 0 {
			host = -int32(r.IntN(m.nReg)) - 1
		} else {
			host = int32(r.IntN(m.nCl))
		}
	}
	e.table("vms", ref{kVM, int32(v)})
	label := "spare"
	if svc >= 0 {
		label = m.domains[m.svcDomain[svc]].label
	}
	e.strParts("name", '-', label, pad(v+1, 6))
	if host >= 0 {
		e.ref("host", ref{kCluster, host})
		e.ref("provider", m.dcProvider(m.siteOfCluster(int(host))))
	} else {
		g := int(-host - 1)
		e.ref("provider", m.regionProvider(g))
		e.ref("site", ref{kRegion, int32(g)})
	}
	if r.IntN(2) == 0 {
		e.num("availability", pick(r, []string{"0.999", "0.9995", "0.9999"}))
	}
	if r.IntN(4) == 0 {
		e.tags(pick(r, []string{"linux", "linux", "linux", "windows"}))
	}
	e.end()
}

// phone appends the i-th phone number: unique, spread over the numbering plans.
func (m *model) phone(b []byte, i int) []byte {
	c := i % len(countries)
	pl := &countries[c]
	x := int((uint64(i/len(countries))*48271 + m.numOff[c]) % uint64(pl.space))
	b = append(b, pl.code...)
	if c == 5 { // NANP exchange 200–999, then four digits
		x += 2_000_000
	}
	digits := 0
	for _, g := range pl.groups {
		digits += g
	}
	var tmp [12]byte
	s := appendPad(tmp[:0], x, digits)
	for _, g := range pl.groups {
		b = append(b, ' ')
		b = append(b, s[:g]...)
		s = s[g:]
	}
	return b
}

func (m *model) emitNumber(e *emitter, i int) {
	r := m.rNum
	e.table("numbers", ref{kNum, int32(i)})
	purpose := pick(r, purposes)
	e.strParts("name", ' ', purpose, "line", strconv.Itoa(i+1))
	e.b = append(e.b, "number = \""...)
	e.b = m.phone(e.b, i)
	e.b = append(e.b, "\"\n"...)
	e.str("purpose", purpose)
	switch {
	case purpose == "support" || purpose == "sales":
		e.num("published", strconv.FormatBool(r.IntN(5) != 0))
	case r.IntN(4) == 0:
		e.num("published", "false")
	}
	if r.IntN(100) < 85 {
		e.str("owner", "telecom-team")
	}
	nc := m.provCount(pCarrier)
	a := m.prov(r, pCarrier)
	if b := m.prov(r, pCarrier); nc >= 2 && r.IntN(5) == 0 {
		for b == a {
			b = provRef(pCarrier, r.IntN(nc))
		}
		e.reqs("carrier", []req{anyOf(a, b)})
	} else {
		e.ref("carrier", a)
	}
	target := func() ref {
		switch {
		case len(m.teleSvc) > 0 && (r.IntN(100) < 55 || len(m.custFacing) == 0):
			return ref{kSvc, pick(r, m.teleSvc)}
		case len(m.custFacing) > 0:
			return ref{kSvc, pick(r, m.custFacing)}
		}
		return ref{kSvc, int32(r.IntN(m.nSvc))}
	}
	t := target()
	if r.IntN(20) == 0 {
		if u := target(); u != t {
			e.reqs("routes_to", []req{anyOf(t, u)})
		} else {
			e.ref("routes_to", t)
		}
	} else {
		e.ref("routes_to", t)
	}
	if r.IntN(5) == 0 {
		e.num("availability", "0.9999")
	}
	e.end()
}
