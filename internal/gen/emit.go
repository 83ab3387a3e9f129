package gen

import (
	"bufio"
	"io"
	"strconv"
)

// Kinds of reference, each with its own ID prefix.
const (
	kProv = iota
	kSite
	kRegion
	kCluster
	kLink
	kSwitch
	kFirewall
	kLB
	kSan
	kTrunk
	kFill
	kVM
	kSvc
	kNum
)

// ref names an entity by kind and index.
type ref struct {
	kind uint8
	idx  int32
}

// req is a requirement: one entity, or an any_of / at_least group of up to three.
type req struct {
	op uint8 // opOne, opAny, opAtLeast
	k  uint8 // at_least count
	n  uint8 // members
	m  [3]ref
}

const (
	opOne = iota
	opAny
	opAtLeast
)

func single(a ref) req   { return req{op: opOne, n: 1, m: [3]ref{a}} }
func anyOf(a, b ref) req { return req{op: opAny, n: 2, m: [3]ref{a, b}} }
func quorum(k int, a, b, c ref) req {
	return req{op: opAtLeast, k: uint8(k), n: 3, m: [3]ref{a, b, c}}
}

// fill appliance types: TOML type and ID prefix.
var fillTypes = []struct{ typ, prefix, name string }{
	{"nas", "nas", "NAS"},
	{"backup-appliance", "bkp", "backup appliance"},
	{"hsm", "hsm", "HSM"},
	{"mail-gateway", "mgw", "mail gateway"},
	{"vpn-gateway", "vpn", "VPN gateway"},
	{"ups", "ups", "UPS"},
	{"tape-library", "tape", "tape library"},
	{"database-appliance", "dbx", "database appliance"},
}

// emitter builds one entity at a time in a scratch buffer and streams it through a bufio.Writer.
type emitter struct {
	w   *bufio.Writer
	b   []byte
	n   int64
	err error
}

func newEmitter(w io.Writer) *emitter {
	return &emitter{w: bufio.NewWriterSize(w, 256<<10), b: make([]byte, 0, 1024)}
}

func (e *emitter) raw(s string) { e.b = append(e.b, s...); e.end() }

// end writes the scratch buffer out.
func (e *emitter) end() {
	if e.err == nil {
		var k int
		k, e.err = e.w.Write(e.b)
		e.n += int64(k)
	}
	e.b = e.b[:0]
}

func (e *emitter) flush() error {
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.err
}

// table starts [table.id].
func (e *emitter) table(table string, id ref) {
	e.b = append(e.b, "\n["...)
	e.b = append(e.b, table...)
	e.b = append(e.b, '.')
	e.b = appendRef(e.b, id)
	e.b = append(e.b, "]\n"...)
}

func (e *emitter) str(key, val string) {
	e.b = append(e.b, key...)
	e.b = append(e.b, " = \""...)
	e.b = append(e.b, val...)
	e.b = append(e.b, "\"\n"...)
}

// strParts writes key = "a b c…" from parts joined by sep.
func (e *emitter) strParts(key string, sep byte, parts ...string) {
	e.b = append(e.b, key...)
	e.b = append(e.b, " = \""...)
	for i, p := range parts {
		if i > 0 {
			e.b = append(e.b, sep)
		}
		e.b = append(e.b, p...)
	}
	e.b = append(e.b, "\"\n"...)
}

func (e *emitter) num(key, val string) {
	e.b = append(e.b, key...)
	e.b = append(e.b, " = "...)
	e.b = append(e.b, val...)
	e.b = append(e.b, '\n')
}

func (e *emitter) tags(tags ...string) {
	e.b = append(e.b, "tags = ["...)
	for i, t := range tags {
		if i > 0 {
			e.b = append(e.b, ", "...)
		}
		e.b = append(e.b, '"')
		e.b = append(e.b, t...)
		e.b = append(e.b, '"')
	}
	e.b = append(e.b, "]\n"...)
}

func (e *emitter) ref(key string, r ref) { e.reqs(key, []req{single(r)}) }

// reqs writes key = requirement: a string or group when there is one, else an array.
func (e *emitter) reqs(key string, rs []req) {
	if len(rs) == 0 {
		return
	}
	e.b = append(e.b, key...)
	e.b = append(e.b, " = "...)
	if len(rs) == 1 {
		e.b = appendReq(e.b, rs[0])
	} else {
		e.b = append(e.b, '[')
		for i, r := range rs {
			if i > 0 {
				e.b = append(e.b, ", "...)
			}
			e.b = appendReq(e.b, r)
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '\n')
}

func appendReq(b []byte, r req) []byte {
	switch r.op {
	case opOne:
		return appendQuoted(b, r.m[0])
	case opAny:
		b = append(b, "{ any_of = ["...)
	default:
		b = append(b, "{ at_least = "...)
		b = strconv.AppendInt(b, int64(r.k), 10)
		b = append(b, ", of = ["...)
	}
	for i := 0; i < int(r.n); i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendQuoted(b, r.m[i])
	}
	return append(b, "] }"...)
}

func appendQuoted(b []byte, r ref) []byte {
	b = append(b, '"')
	b = appendRef(b, r)
	return append(b, '"')
}

// appendRef appends the ID of r. Indices are 0-based, IDs 1-based.
func appendRef(b []byte, r ref) []byte {
	i := int(r.idx) + 1
	switch r.kind {
	case kProv:
		// numbered within their type: idx is type<<24 | index
		b = append(b, "prov-"...)
		b = append(b, provTypes[r.idx>>24]...)
		return appendPad(append(b, '-'), int(r.idx&0xffffff)+1, 2)
	case kSite:
		return appendPad(append(b, "site-"...), i, 2)
	case kRegion:
		return appendPad(append(b, "region-"...), i, 2)
	case kCluster:
		return appendPad(append(b, "cl-"...), i, 4)
	case kLink:
		return appendPad(append(b, "link-"...), i, 4)
	case kSwitch:
		return appendPad(append(b, "sw-"...), i, 4)
	case kFirewall:
		return appendPad(append(b, "fw-"...), i, 4)
	case kLB:
		return appendPad(append(b, "lb-"...), i, 4)
	case kSan:
		return appendPad(append(b, "san-"...), i, 4)
	case kTrunk:
		return appendPad(append(b, "trunk-"...), i, 3)
	case kFill:
		f := fillTypes[int(r.idx)%len(fillTypes)]
		b = append(b, f.prefix...)
		return appendPad(append(b, '-'), i, 4)
	case kVM:
		return appendPad(append(b, "vm-"...), i, 6)
	case kSvc:
		return appendPad(append(b, "svc-"...), i, 6)
	case kNum:
		return appendPad(append(b, "num-"...), i, 6)
	}
	panic("gen: bad ref kind")
}

func appendPad(b []byte, v, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for k := len(s); k < width; k++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func pad(v, width int) string { return string(appendPad(nil, v, width)) }
