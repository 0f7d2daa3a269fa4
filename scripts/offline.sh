#!/usr/bin/env bash
# The dynamic half of "offline, proven" (issue 8): runs the CLI's demo, import (an .xlsx and a
# .csv), chart (PNG, SVG, PDF) and export commands in a network namespace with no network
# (`unshare -n`: not even loopback is up), and checks what they write. Needs root (or user
# namespaces). Usage: scripts/offline.sh [BINARY [STATS_JSON]] (default ./sitrep); with
# STATS_JSON, `stats --json` of the re-imported store is copied there for .ci/checkstats.
set -euo pipefail
bin=$(realpath "${1:-./sitrep}")
stats_copy=${2:+$(realpath -m "$2")}
unshare -n true || { echo "offline: unshare -n is not available here (needs root)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export LANG=C
off() { echo "+ unshare -n sitrep $*" >&2; unshare -n "$bin" "$@"; }
magic() { # FILE PREFIX
  head -c 512 "$1" | grep -q "$2" || { echo "offline: $1 does not start like a ${1##*.} file" >&2; exit 1; }
}

off demo --db a.db >/dev/null
off export --db a.db --out all.xlsx
off export --db a.db --kind incidents --out incidents.csv
magic all.xlsx PK
# A fresh store from the exported workbook, then the CSV again (unchanged rows).
off import --db b.db all.xlsx >/dev/null
off import --db b.db incidents.csv >/dev/null
off stats --db b.db --json > stats.json
for f in png svg pdf; do
  off chart --db b.db --kind deaths --out "deaths.$f"
  off chart --db b.db --kind strikes --period month --out "strikes.$f"
done
magic deaths.png PNG
magic deaths.svg '<svg'
magic deaths.pdf '%PDF'
off positions --db b.db >/dev/null
ls -l
echo "offline: all commands ran without a network"
if [ -n "$stats_copy" ]; then cp stats.json "$stats_copy"; fi
