#!/usr/bin/env bash
# Regenerates the pictures of the review report that README.md and docs/report.md show, from the
# shipped inventories, in headless Chromium (the browser tests' harness, internal/out/review):
#   docs/report.png          the first screen of inventories/telephony-before at 1280 px
#   docs/report-shared.png   a shared dependency, described once for the services that inherit it
#   docs/report-whatif.png   the what-if panel after clicking hostco
#   docs/report-print.png    page 1 of the report printed to PDF (A4)
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
# The first page of the printed report, at about the size of a screen.
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$out/report-print.pdf" docs/report-print
ls -l docs/report*.png
