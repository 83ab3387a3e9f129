#!/usr/bin/env bash
# Measures spof against the floor (decoding the same TOML files into map[string]any on one core) on
# generated inventories, and prints the Markdown table of BENCHMARKS.md.
#
#   scripts/bench.sh            # 10k and 100k entities
#   scripts/bench.sh 1000000    # other sizes
#
# Needs GNU time (/usr/bin/time). Figures are wall seconds (user CPU seconds in brackets) and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/" ./cmd/...
spof="$work/bin/spof"

# run CMD...: prints "wall (user) rss" of one run, output discarded. Exit status 1 (check's "policy
# violated") counts as a run.
run() {
	local rc=0
	/usr/bin/time -f "%e %U %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || rc=$?
	[ "$rc" -le 1 ] || { cat "$work/err" >&2; exit 1; }
	read -r wall user rss < <(tail -n 1 "$work/time")
	printf '%s s (%s) %d MB' "$wall" "$user" $((rss / 1024))
}

floor() {
	local ns
	ns=$(SPOF_BENCH_DIR="$1" GOMAXPROCS=1 go test -run '^$' -bench 'DecodeFloorDir$' -benchtime 3x ./internal/inventory |
		awk '/BenchmarkDecodeFloorDir/ { print $3 }')
	awk -v ns="$ns" 'BEGIN { printf "%.2f s", ns / 1e9 }'
}

# analyze runs with --availability=false: this table is about SPOFs, tolerance and cut sets;
# scripts/shapes.sh measures analyze with availability, on both shapes.
echo "| entities | files | decode floor (1 core) | validate | check | analyze --max-order 1 --format json | analyze (order 3) | analyze --format json | report (md) |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
	dir="$work/inv-$n"
	"$work/bin/spof-gen" -n "$n" -o "$dir" 2>/dev/null
	files=$(find "$dir" -name '*.toml' | wc -l)
	row="| $n | $files | $(floor "$dir") | $(run "$spof" validate "$dir") | $(run "$spof" check "$dir") | $(run "$spof" analyze --availability=false --max-order 1 --format json "$dir")"
	if [ "$n" -le 200000 ]; then
		row="$row | $(run "$spof" analyze --availability=false "$dir") | $(run "$spof" analyze --availability=false --format json "$dir") | $(run "$spof" report "$dir") |"
	else
		row="$row | – | – | – |"
	fi
	echo "$row"
done
echo
echo "Machine: $(nproc) cores, $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
