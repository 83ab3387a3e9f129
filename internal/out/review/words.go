package review

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
)

// byTier holds services per tier, each list in the order given.
type byTier [len(model.Tiers)][]int32

func splitByTier(inv *model.Inventory, services []int32) byTier {
	var bt byTier
	for _, s := range services {
		if e := &inv.Entities[s]; e.Kind == model.Service {
			bt[e.Tier] = append(bt[e.Tier], s)
		}
	}
	return bt
}

func (bt *byTier) count() int {
	n := 0
	for _, l := range bt {
		n += len(l)
	}
	return n
}

// counts reads "2 critical, 4 high and 3 medium services".
func (bt *byTier) counts() string {
	var parts []string
	for t, l := range bt {
		if len(l) > 0 {
			parts = append(parts, num(len(l))+" "+model.Tier(t).String())
		}
	}
	if len(parts) == 0 {
		return "no service"
	}
	return joinAnd(parts) + " " + human.Plural(bt.count(), "service", "services")
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// idSpans lists IDs as linked code spans separated by commas, up to limit, then "and N more".
func (in *Input) idSpans(xs []int32, limit int) []Span {
	var out []Span
	for i, x := range xs {
		if limit > 0 && i == limit {
			out = append(out, txt(fmt.Sprintf(" and %d more", len(xs)-limit)))
			break
		}
		if i > 0 {
			out = append(out, txt(", "))
		}
		out = append(out, in.ref(x))
	}
	return out
}

// count reads "1 service" or "3 services".
func count(n int, one, many string) string {
	return num(n) + " " + human.Plural(n, one, many)
}

// providerNoun says what kind of provider a provider type is, for sentences: "a single carrier".
func providerNoun(typ string) string {
	switch strings.ToLower(typ) {
	case "":
		return "provider"
	case "carrier":
		return "carrier"
	case "isp":
		return "ISP"
	case "dns":
		return "DNS provider"
	case "saas":
		return "SaaS provider"
	case "hosting":
		return "hosting provider"
	case "cloud":
		return "cloud provider"
	case "cdn":
		return "CDN provider"
	case "registrar":
		return "registrar"
	case "payment":
		return "payment provider"
	}
	return typ + " provider"
}

// kindNoun names an entity's kind for sentences.
func kindNoun(e *model.Entity) string {
	switch e.Kind {
	case model.Number:
		return "phone number"
	case model.VM:
		return "VM"
	case model.Component:
		if e.Type != "" {
			return e.Type
		}
	case model.Provider:
		return providerNoun(e.Type)
	}
	return e.Kind.String()
}

// percent reads part/total as "37%", "<1%" for a small non-zero share.
func percent(part, total int) string {
	if total == 0 {
		return "0%"
	}
	p := part * 100 / total
	if p == 0 && part > 0 {
		return "<1%"
	}
	return strconv.Itoa(p) + "%"
}

// oneLine keeps a free-text field on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// num writes n with thousands separators: 100,000.
func num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
