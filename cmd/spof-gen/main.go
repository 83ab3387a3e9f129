// Command spof-gen writes a realistic synthetic spof inventory, for benchmarks and tests.
//
// Usage:
//
//	spof-gen -o DIR [-n ENTITIES] [-seed SEED] [-files FILES] [-cycles CYCLES] [-shape SHAPE]
//
// It writes an inventory of exactly ENTITIES entities (default 10000, at least 100) into DIR,
// which it creates and which must not already hold files, then prints a one-line summary on
// standard error. The inventory is deterministic: the same -n and -seed (default 1) give
// byte-identical files, and the same entities however they are split.
//
// Content: providers (about 0.5%: hosting, cloud, carrier, saas, dns, isp); components (about 6%:
// data-centre sites and cloud regions, hypervisor clusters, ISP links, switches, firewalls, load
// balancers, storage arrays, SIP trunks, appliances); VMs (about 53%, on clusters or in cloud
// regions); services (35%, tiers 5% critical, 15% high, 50% medium, 30% low; running on one VM,
// an any_of pair, a 2-of-3 quorum or the container platform; depending on lower services, SaaS
// and DNS providers, load balancers, appliances and SIP trunks); phone numbers (5%, unique E.164
// numbers on one carrier or an any_of pair, routed to services); and a few dependency cycles of
// 2–4 services, each closed through an any_of group. Some redundancy is real and some is false
// (two VMs on one cluster, two links on one ISP, two trunks of one carrier…). That is the domains
// shape, where what a service transitively needs stays bounded whatever the size.
//
// The dense shape (-shape dense) has providers, sites, hypervisor clusters on random sites, VMs on
// random clusters and services (43%) that run on one VM, an any_of pair or a 2-of-3 quorum of random
// VMs and depend on 0–3 services chosen uniformly among those declared before them (sometimes also
// on a SaaS provider or an any_of of two earlier services): closures grow with the platform, and a
// late service has hundreds of SPOFs.
//
// Flags:
//
//	-o DIR       output folder (required)
//	-n N         number of entities (default 10000)
//	-seed S      seed (default 1)
//	-files F     number of files: 0 (default) writes files of at most 2,000 entities, one kind
//	             per file (providers.toml, sites.toml, clusters.toml, components.toml,
//	             services/NNN.toml, vms/NNN.toml, numbers.toml…); 1 writes a single
//	             inventory.toml; otherwise max(F, 7) files, at least one per kind
//	-cycles C    number of dependency cycles: 0 (default) means 3 plus one per 50,000
//	             entities, a negative number none (the dense shape has none)
//	-shape S     domains (default) or dense
//
// Exit status: 0 on success, 1 if writing fails, 2 on a usage error.
//
// Example:
//
//	go run ./cmd/spof-gen -n 100000 -o /tmp/inv100k && go run ./cmd/spof analyze /tmp/inv100k
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/gen"
)

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("spof-gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 10000, "number of entities")
	seed := fs.Uint64("seed", 1, "seed")
	files := fs.Int("files", 0, "number of files (0: at most 2,000 entities per file; 1: one inventory.toml)")
	cycles := fs.Int("cycles", 0, "number of dependency cycles (0: default, negative: none)")
	out := fs.String("o", "", "output folder (required)")
	shapeName := fs.String("shape", gen.Domains.String(), "shape of the platform: "+strings.Join(gen.ShapeNames(), " or "))
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: spof-gen -o DIR [-n ENTITIES] [-seed SEED] [-files FILES] [-cycles CYCLES] [-shape SHAPE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	usage := func(msg string) int {
		fmt.Fprintln(stderr, "spof-gen: "+msg)
		fs.Usage()
		return 2
	}
	switch {
	case fs.NArg() > 0:
		return usage(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *out == "":
		return usage("-o DIR is required")
	case *n < gen.MinEntities || *n > gen.MaxEntities:
		return usage(fmt.Sprintf("-n must be between %d and %d", gen.MinEntities, gen.MaxEntities))
	case *files < 0:
		return usage("-files must not be negative")
	}
	shape, ok := gen.ParseShape(*shapeName)
	if !ok {
		return usage(fmt.Sprintf("unknown -shape %q: want %s", *shapeName, strings.Join(gen.ShapeNames(), " or ")))
	}
	start := time.Now()
	st, err := gen.Write(*out, gen.Options{Entities: *n, Seed: *seed, Files: *files, Cycles: *cycles, Shape: shape})
	if err != nil {
		fmt.Fprintln(stderr, "spof-gen:", err)
		return 1
	}
	fmt.Fprintf(stderr, "spof-gen: wrote %d entities (%d providers, %d components, %d vms, %d services, %d numbers; %d cycles) in %d files, %.1f MB, to %s in %.2fs\n",
		st.Entities, st.ByKind["providers"], st.ByKind["components"], st.ByKind["vms"], st.ByKind["services"], st.ByKind["numbers"],
		st.Cycles, st.Files, float64(st.Bytes)/1e6, *out, time.Since(start).Seconds())
	return 0
}
