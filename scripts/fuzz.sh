#!/usr/bin/env bash
# Runs every fuzz target of the importers (and any other package that has one) for a bounded
# time each: FUZZTIME (default 15s) per target. Targets are found by grep, so new ones join in.
# Usage: scripts/fuzz.sh [PACKAGE_DIR...] (default: importers)
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-15s}
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(importers)
n=0
for d in "${dirs[@]}"; do
  for name in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$d"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "fuzz: $d $name for $fuzztime"
    out=$(mktemp)
    if ! go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" "./$d" >"$out" 2>&1; then
      cat "$out"   # the whole output: the failing input and why, not only the last lines
      rm -f "$out"
      exit 1
    fi
    tail -3 "$out"
    rm -f "$out"
    n=$((n + 1))
  done
done
echo "fuzz: $n targets ran without a failure"
