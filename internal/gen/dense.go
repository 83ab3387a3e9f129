package gen

import "strconv"

// The dense shape (Options.Shape = Dense) is the opposite of the domains shape in one respect: the
// set of entities a service transitively needs grows with the platform. It is made of
//
//   - providers (about 0.4%, at least 4): a third hosting, the rest SaaS;
//   - sites (about 0.1%, at least 2), each on a hosting provider;
//   - hypervisor clusters (about 2.5%, at least 4), each on a random site;
//   - VMs (the rest, about 54%), each on a random cluster;
//   - services (43%): each runs on one VM (half), an any_of pair (30%) or an at_least = 2 quorum of
//     three (20%) random VMs, and depends on 0–3 services chosen uniformly among those declared
//     before it, sometimes also on a SaaS provider or on an any_of of two earlier services. A
//     quarter have an slo.
//
// So closures grow with the platform, many services share many redundancy groups, and a late
// service's SPOF list has hundreds of entries: the shape that makes availability hard (issue 15).
// There are no cycles: dependencies point to earlier services.

// denseProvAvail are the availabilities given to dense providers, by type (hosting, then SaaS).
var denseProvAvail = [2][]string{{"0.9995", "0.9999", "0.999"}, {"0.999", "0.9995", "0.9999", "0.995"}}

// newDense lays out a dense inventory of o.Entities entities.
func newDense(o Options) *model {
	n := o.Entities
	m := &model{seed: o.Seed, n: n}
	nProv := max(4, n/250)
	nHost := max(2, nProv/3)
	nSite := max(2, n/1000)
	nCl := max(4, n/40)
	m.nSvc = n * 43 / 100
	m.nProv = nProv
	m.provStart[pHosting+1] = nHost // provider types as the domains shape numbers them
	for t := pHosting + 2; t <= nProvTypes; t++ {
		m.provStart[t] = nHost
	}
	m.provStart[pSaaS+1] = nProv
	for t := pSaaS + 2; t <= nProvTypes; t++ {
		m.provStart[t] = nProv
	}
	m.nDC, m.nCl = nSite, nCl
	m.nComp = nSite + nCl
	m.nVM = n - nProv - m.nComp - m.nSvc
	m.rProv = newRand(o.Seed, streamProviders)
	m.rSite = newRand(o.Seed, streamSites)
	m.rCl = newRand(o.Seed, streamClusters)
	m.rSvc = newRand(o.Seed, streamServices)
	m.rVM = newRand(o.Seed, streamVMs)
	m.groups = []group{
		{"providers", nProv, m.emitDenseProvider},
		{"sites", nSite, m.emitDenseSite},
		{"clusters", nCl, m.emitDenseCluster},
		{"services", m.nSvc, m.emitDenseService},
		{"vms", m.nVM, m.emitDenseVM},
	}
	return m
}

func (m *model) emitDenseProvider(e *emitter, i int) {
	r := m.rProv
	t, k := pHosting, i
	if i >= m.provStart[pHosting+1] {
		t, k = pSaaS, i-m.provStart[pSaaS]
	}
	name, _ := provName(t, k)
	e.table("providers", provRef(t, k))
	e.str("type", provTypes[t])
	e.str("name", name)
	if r.IntN(10) < 8 {
		e.num("availability", pick(r, denseProvAvail[min(t, 1)]))
	}
	e.end()
}

func (m *model) emitDenseSite(e *emitter, i int) {
	r := m.rSite
	e.table("components", ref{kSite, int32(i)})
	e.str("type", "site")
	e.str("name", siteName(i))
	e.ref("provider", provRef(pHosting, i%m.provCount(pHosting)))
	e.num("availability", pick(r, []string{"0.9999", "0.99995", "0.9998"}))
	e.end()
}

func (m *model) emitDenseCluster(e *emitter, c int) {
	r := m.rCl
	e.table("components", ref{kCluster, int32(c)})
	e.str("type", "hypervisor-cluster")
	e.ref("site", ref{kSite, int32(r.IntN(m.nDC))})
	e.num("availability", pick(r, []string{"0.9995", "0.999", "0.9998"}))
	e.end()
}

func (m *model) emitDenseVM(e *emitter, v int) {
	r := m.rVM
	e.table("vms", ref{kVM, int32(v)})
	e.ref("host", ref{kCluster, int32(r.IntN(m.nCl))})
	if r.IntN(2) == 0 {
		e.num("availability", pick(r, []string{"0.999", "0.9995", "0.9999"}))
	}
	e.end()
}

func (m *model) emitDenseService(e *emitter, i int) {
	r := m.rSvc
	si := int32(i)
	e.table("services", ref{kSvc, si})
	e.strParts("name", ' ', "service", strconv.Itoa(i+1))
	switch x := r.IntN(100); {
	case x < 5:
		e.str("tier", "critical")
	case x < 20:
		e.str("tier", "high")
	case x < 70:
	default:
		e.str("tier", "low")
	}
	if r.IntN(10) < 8 {
		e.str("owner", "team-"+pad(i%97+1, 2))
	}
	if r.IntN(4) == 0 {
		e.num("slo", pick(r, []string{"0.99", "0.995", "0.999", "0.9995"}))
	}
	vm := func(taken []ref) ref {
		for {
			v := ref{kVM, int32(r.IntN(m.nVM))}
			if !contains(taken, v) {
				return v
			}
		}
	}
	switch x := r.IntN(100); {
	case x < 50 || m.nVM < 3:
		e.ref("runs_on", vm(nil))
	case x < 80:
		a := vm(nil)
		e.reqs("runs_on", []req{anyOf(a, vm([]ref{a}))})
	default:
		a := vm(nil)
		b := vm([]ref{a})
		e.reqs("runs_on", []req{quorum(2, a, b, vm([]ref{a, b}))})
	}
	m.reqs, m.used = m.reqs[:0], m.used[:0]
	add := func(q req) {
		for j := 0; j < int(q.n); j++ {
			if contains(m.used, q.m[j]) || contains(q.m[:j], q.m[j]) {
				return
			}
		}
		m.used = append(m.used, q.m[:q.n]...)
		m.reqs = append(m.reqs, q)
	}
	if i > 0 {
		for range r.IntN(4) {
			add(single(ref{kSvc, int32(r.IntN(i))}))
		}
		if i > 1 && r.IntN(10) == 0 {
			add(anyOf(ref{kSvc, int32(r.IntN(i))}, ref{kSvc, int32(r.IntN(i))}))
		}
	}
	if r.IntN(7) == 0 {
		add(single(m.prov(r, pSaaS)))
	}
	e.reqs("depends_on", m.reqs)
	if r.IntN(10) < 3 {
		e.num("availability", pick(r, []string{"0.999", "0.9995", "0.99", "0.995"}))
	}
	e.end()
}
