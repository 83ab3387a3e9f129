#!/usr/bin/env bash
# Regenerates the pictures of the review report that README.md and docs/report.md show, from the
# shipped inventories, in headless Chromium (the browser tests' harness, internal/out/review):
#   docs/report.png          the first screen of inventories/telephony-before at 1280 px
#   docs/report-shared.png   a shared dependency, described once for the services that inherit it
#   docs/report-whatif.png   the what-if panel after clicking hostco
#   docs/report-print.png    the printed page (A4) with the support line's diagram
# Needs the Debian packages chromium and poppler-utils (pdftoppm). Run from anywhere:
#   scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install chromium fonts-liberation)" >&2; exit 1; }
command -v pdftoppm >/dev/null || { echo "pdftoppm is not installed (apt-get install poppler-utils)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go test ./internal/out/review -run '^TestScreenshots$' -count=1 -args -screenshots="$out"
for f in report.png report-shared.png report-whatif.png; do
	cp "$out/$f" "docs/$f"
done
# The printed page with the support line's diagram (its caption), at about the size of a screen.
pages=$(pdfinfo "$out/report-print.pdf" | awk '/^Pages:/ { print $2 }')
page=1
for ((i = 1; i <= pages; i++)); do
	if pdftotext -f "$i" -l "$i" "$out/report-print.pdf" - | tr '\n' ' ' | grep -q 'support-line and everything it depends on'; then
		page=$i
		break
	fi
done
pdftoppm -png -r 80 -f "$page" -l "$page" -singlefile "$out/report-print.pdf" docs/report-print
ls -l docs/report*.png
