#!/usr/bin/env bash
# Measures spof on both shapes of generated inventories (spof-gen's domains shape and the dense
# shape of issue 15) and prints, per shape, the Markdown table of BENCHMARKS.md: for each size, the
# decode floor (the TOML files decoded into map[string]any on one core) and, for analyze --format
# json with availability, without it, report and check, the wall time, its ratio to the floor, user
# CPU and peak RSS; then the share of services whose availability is exact and the widest interval.
#
# Every figure is the median of RUNS runs (default 3), each command run right after a run of the
# floor, so that ratios compare runs that saw the same machine: on a shared machine only ratios
# taken side by side mean something.
#
#   scripts/shapes.sh                       # both shapes, 1k 5k 10k 100k, 3 runs
#   RUNS=5 scripts/shapes.sh dense 5000 10000
#
# Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
shapes=(domains dense)
if [ $# -gt 0 ] && { [ "$1" = domains ] || [ "$1" = dense ]; }; then
	shapes=("$1")
	shift
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000 10000 100000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/" ./cmd/spof ./cmd/spof-gen
go test -c -o "$work/inventory.test" ./internal/inventory
spof="$work/bin/spof"

# floor DIR: seconds to decode DIR's files on one core.
floor() {
	SPOF_BENCH_DIR="$1" GOMAXPROCS=1 "$work/inventory.test" -test.run '^$' -test.bench 'DecodeFloorDir$' \
		-test.benchtime 1x | awk '/DecodeFloorDir/ { printf "%.3f", $3 / 1e9 }'
}

# measure NAME CMD...: runs CMD (output to $work/NAME.out, exit status 1 counted as a run) after a
# run of the floor, RUNS times; appends "floor wall user rss" lines to $work/NAME.runs.
measure() {
	local name=$1
	shift
	: >"$work/$name.runs"
	for _ in $(seq "$runs"); do
		local f rc=0
		f=$(floor "$dir")
		/usr/bin/time -f "%e %U %M" -o "$work/time" "$@" >"$work/$name.out" 2>"$work/err" || rc=$?
		[ "$rc" -le 1 ] || { cat "$work/err" >&2; exit 1; }
		echo "$f $(tail -n 1 "$work/time")" >>"$work/$name.runs"
	done
}

# cell NAME: "wall s (×ratio, user s) RSS MB", medians over the runs.
cell() {
	awk '{ f[NR] = $1; w[NR] = $2; u[NR] = $3; m[NR] = $4; r[NR] = $2 / $1 }
	function med(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return a[int((n + 1) / 2)]
	}
	END { printf "%.2f s (%.1f×, %.2f) %d MB", med(w, NR), med(r, NR), med(u, NR), med(m, NR) / 1024 }' "$work/$1.runs"
}

# availability OUT: "exact share | widest interval" from an analyze JSON document.
availability() {
	awk '/"availability_method":"exact"/ { exact++ }
	/"availability_method":"bounds"/ {
		bounded++
		match($0, /"availability_low":[0-9.e-]+/); lo = substr($0, RSTART + 19, RLENGTH - 19)
		match($0, /"availability_high":[0-9.e-]+/); hi = substr($0, RSTART + 20, RLENGTH - 20)
		if (hi - lo > widest) widest = hi - lo
	}
	END {
		n = exact + bounded
		printf "%.1f %% (%d of %d) | %s", n ? 100 * exact / n : 100, exact, n, bounded ? sprintf("%.2g", widest) : "–"
	}' "$1"
}

for shape in "${shapes[@]}"; do
	echo "### Shape: $shape"
	echo
	echo "| entities | decode floor | analyze --format json | … --availability=false | report | check | exact | widest interval |"
	echo "|---|---|---|---|---|---|---|---|"
	for n in "${sizes[@]}"; do
		dir="$work/$shape-$n"
		"$work/bin/spof-gen" -shape "$shape" -n "$n" -o "$dir" 2>/dev/null
		: >"$work/floors"
		for _ in $(seq "$runs"); do floor "$dir" >>"$work/floors"; echo >>"$work/floors"; done
		fl=$(sort -n "$work/floors" | awk 'NF { a[++n] = $1 } END { print a[int((n + 1) / 2)] }')
		measure avail "$spof" analyze --format json "$dir"
		measure noavail "$spof" analyze --format json --availability=false "$dir"
		measure report "$spof" report "$dir"
		measure check "$spof" check "$dir"
		echo "| $n | $fl s | $(cell avail) | $(cell noavail) | $(cell report) | $(cell check) | $(availability "$work/avail.out") |"
	done
	echo
done
echo "Machine: $(nproc) cores, $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $runs runs per cell, medians."
