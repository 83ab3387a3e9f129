#!/bin/sh
# Adversarial inventories for the memory and time measurements of issue 14 (BENCHMARKS.md):
#   scripts/adversarial.sh chain N          services s0…: s_i depends_on s_{i+1}
#   scripts/adversarial.sh ring N           the same, the last on the first (a cycle declared forwards)
#   scripts/adversarial.sh backring N       s_i depends_on s_{i-1}, the first on the last
#   scripts/adversarial.sh nested N         one service whose depends_on nests N groups, any_of of a
#                                           VM and the next group
#   scripts/adversarial.sh quorum N [K]     one critical service needing at_least K (default N/2) of
#                                           N VMs
# IDs are zero-padded to six digits; the inventory goes to standard output.
set -eu
shape=$1 n=$2
case $shape in
chain|ring|backring)
	awk -v n="$n" -v shape="$shape" 'BEGIN {
		for (i = 0; i < n; i++) {
			printf "[services.s%06d]\n", i
			if (shape == "chain" && i + 1 < n) printf "depends_on = \"s%06d\"\n", i + 1
			if (shape == "ring") printf "depends_on = \"s%06d\"\n", (i + 1) % n
			if (shape == "backring") printf "depends_on = \"s%06d\"\n", (i + n - 1) % n
		}
	}' ;;
nested)
	awk -v n="$n" 'BEGIN {
		printf "[services.s]\ndepends_on = "
		for (i = 0; i < n; i++) printf "{ any_of = [\"v%06d\", ", i
		printf "\"v%06d\"", n
		for (i = 0; i < n; i++) printf "] }"
		printf "\n"
		for (i = 0; i <= n; i++) printf "[vms.v%06d]\n", i
	}' ;;
quorum)
	awk -v n="$n" -v k="${3:-$((n / 2))}" 'BEGIN {
		printf "[services.q]\ntier = \"critical\"\ndepends_on = { at_least = %d, of = [", k
		for (i = 0; i < n; i++) printf "%s\"v%06d\"", (i ? ", " : ""), i
		printf "] }\n"
		for (i = 0; i < n; i++) printf "[vms.v%06d]\n", i
	}' ;;
*)
	echo "usage: $0 chain|ring|backring|nested|quorum N [K]" >&2
	exit 2 ;;
esac
