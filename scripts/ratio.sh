#!/usr/bin/env bash
# Measures analyze --format json against the decode floor on one generated inventory, alternating
# the two RUNS times (default 9) so that both see the same machine, and prints each pair and the
# median ratio: the figure issue 7's target is about (2x at 100,000 entities).
#
#   scripts/ratio.sh              # 100,000 entities, 9 pairs
#   scripts/ratio.sh 10000 5
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${2:-9}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/" ./cmd/spof ./cmd/spof-gen
go test -c -o "$work/inventory.test" ./internal/inventory
"$work/bin/spof-gen" -n "$n" -o "$work/inv" 2>/dev/null
for _ in $(seq "$runs"); do
	floor=$(SPOF_BENCH_DIR="$work/inv" GOMAXPROCS=1 "$work/inventory.test" -test.run '^$' \
		-test.bench 'DecodeFloorDir$' -test.benchtime 1x | awk '/DecodeFloorDir/ { print $3 / 1e9 }')
	/usr/bin/time -f "%e" -o "$work/time" "$work/bin/spof" analyze --availability=false --format json "$work/inv" >/dev/null
	awk -v f="$floor" -v a="$(tail -n 1 "$work/time")" 'BEGIN { printf "floor %.2f s  analyze %.2f s  ratio %.2f\n", f, a, a / f }'
done | tee "$work/pairs"
sort -k8 -n "$work/pairs" | awk '{ r[NR] = $8 } END { printf "median ratio %.2f over %d pairs (%s to %s)\n", r[int((NR + 1) / 2)], NR, r[1], r[NR] }'
