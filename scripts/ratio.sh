#!/usr/bin/env bash
# Measures a spof command against the decode floor on one generated inventory, alternating the two
# RUNS times (default 9) so that both see the same machine, and prints each pair and the median
# ratio: the figure the targets of issues 7 and 15 are about.
#
#   scripts/ratio.sh                                  # 100,000 entities, 9 pairs, analyze --format json
#   scripts/ratio.sh 10000 5
#   SHAPE=dense scripts/ratio.sh 100000 5 analyze --format json --availability=false
#   scripts/ratio.sh 100000 5 check
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${2:-9}
shift $(($# < 2 ? $# : 2))
cmd=("$@")
[ ${#cmd[@]} -gt 0 ] || cmd=(analyze --format json)
shape=${SHAPE:-domains}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/" ./cmd/spof ./cmd/spof-gen
go test -c -o "$work/inventory.test" ./internal/inventory
"$work/bin/spof-gen" -shape "$shape" -n "$n" -o "$work/inv" 2>/dev/null
echo "spof ${cmd[*]} on $n entities ($shape shape)"
for _ in $(seq "$runs"); do
	floor=$(SPOF_BENCH_DIR="$work/inv" GOMAXPROCS=1 "$work/inventory.test" -test.run '^$' \
		-test.bench 'DecodeFloorDir$' -test.benchtime 1x | awk '/DecodeFloorDir/ { print $3 / 1e9 }')
	rc=0
	/usr/bin/time -f "%e %M" -o "$work/time" "$work/bin/spof" "${cmd[@]}" "$work/inv" >/dev/null 2>"$work/err" || rc=$?
	[ "$rc" -le 1 ] || { cat "$work/err" >&2; exit 1; }
	read -r wall rss < <(tail -n 1 "$work/time")
	awk -v f="$floor" -v a="$wall" -v m="$rss" 'BEGIN { printf "floor %.2f s  spof %.2f s  ratio %.2f  peak RSS %d MB\n", f, a, a / f, m / 1024 }'
done | tee "$work/pairs"
sort -k8 -n "$work/pairs" | awk '{ r[NR] = $8 } END { printf "median ratio %.2f over %d pairs (%s to %s)\n", r[int((NR + 1) / 2)], NR, r[1], r[NR] }'
