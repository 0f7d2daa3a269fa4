#!/usr/bin/env bash
# Release rows of the benchmark table (issue 8), written to bench/RELEASE.md as table rows in the
# same shape as bench/README.md's (measure | Sitrep | others | machine | command), so that
# bench/run.sh can append them to its one table (see the note at the end of RELEASE.md):
#   - GUI startup on a 1M-incident store (SITREP_STARTUP_TRACE=1, under Xvfb): time to the
#     store being open and to the first painted frame, median of RUNS
#   - aggregation over 1M incidents: the store's deaths-per-week Aggregate (data benchmark)
#   - chart rendering against matplotlib: bench/chart.sh (same data, same run)
# Usage: bench/release.sh [RUNS]   (default 3). Reuses bench/out/chart_1m.db from bench/chart.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
out=$PWD/bench/out
mkdir -p "$out"
machine="$(nproc) cores $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(uname -sr), load $(cut -d' ' -f1 /proc/loadavg)"
date=$(date -u +%Y-%m-%d)
command -v xvfb-run >/dev/null || { echo "release bench: xvfb-run missing (apt-get install xvfb)" >&2; exit 1; }

echo "== chart rendering vs matplotlib: bench/chart.sh $runs (also builds the 1M store)"
bench/chart.sh "$runs" | tee "$out/release_chart.txt"

echo "== GUI startup on the 1M store, $runs runs under Xvfb"
go build -o "$out/sitrep" .
db=$out/chart_1m.db
incidents=$("$out/sitrep" stats --db "$db" --json | sed -n 's/^  "incidents": \([0-9]*\),/\1/p')
opens=() frames=()
for i in $(seq "$runs"); do
  log=$out/release_gui_$i.log
  # Its own process group (setsid), so that the app and its Xvfb end together by that id.
  SITREP_DB=$db SITREP_STARTUP_TRACE=1 LANG=C setsid timeout 120 xvfb-run -a "$out/sitrep" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do grep -q 'first frame' "$log" && break; sleep 0.1; done
  kill -- -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  sleep 1 # let the store's lock go
  opens+=("$(sed -n 's/.*store open \(.*\) after process start/\1/p' "$log")")
  frames+=("$(sed -n 's/.*first frame \(.*\) after process start/\1/p' "$log")")
  echo "run $i: store open ${opens[-1]:-?}, first frame ${frames[-1]:-?}"
done
median() { printf '%s\n' "$@" | grep -v '^$' | go run ./bench/release_median 2>/dev/null || echo "?"; }

echo "== aggregation over 1M incidents: go test ./bench/storebench -bench 'AggregateWeek1M' -benchtime ${runs}x"
agg=$(go test ./bench/storebench -run '^$' -bench '^BenchmarkAggregateWeek1M$' -benchtime "${runs}x" -count=1 | awk '/^BenchmarkAggregateWeek1M/ {printf "%.1f ms", $3/1e6}')

chart_go=$(awk '/^BenchmarkDeathsPerWeek1MStore\/build\+png/ {printf "%.0f ms", $3/1e6; exit}' "$out/release_chart.txt")
chart_mpl=$(sed -n 's/^plot+png  median \([0-9]* ms\) wall.*/\1/p' "$out/release_chart.txt" | head -1)

# secs turns "370ms", "1.2s" or "9.3 ms" into seconds with three decimals ("" when unknown).
secs() {
  echo "$1" | awk '{ v = $0; gsub(/ /, "", v); u = v; sub(/^[0-9.]+/, "", u); sub(/[a-zµ]+$/, "", v)
    if (v == "") exit; f = (u == "ms") ? 0.001 : (u == "µs" || u == "us") ? 0.000001 : 1; printf "%.4f", v * f }'
}
# The same measurements as rows of bench/README.md's one table (Rows | Reader | Median s | Best s
# | CPU s | Peak RSS MB | vs openpyxl | Notes); bench/run.sh --release appends them.
{
  n=${incidents:-1000000}; [ "$n" = 1000000 ] && n=1M
  echo "| $n incidents | Sitrep app: start to first frame (store open after $(median "${opens[@]}")) | $(secs "$(median "${frames[@]}")") | | | | | median of $runs under Xvfb: \`SITREP_DB=bench/out/chart_1m.db SITREP_STARTUP_TRACE=1 xvfb-run -a sitrep\` |"
  echo "| 1M incidents | Sitrep store: deaths per ISO week (rollup) | $(secs "${agg:-}") | | | | | \`go test ./bench/storebench -bench AggregateWeek1M -benchtime ${runs}x\` |"
  echo "| 1M incidents | Sitrep chart: deaths per week from the store, 1920x1080 PNG | $(secs "${chart_go:-}") | | | | | median of $runs: \`bench/chart.sh $runs\` |"
  echo "| 1M incidents | matplotlib: the same chart from the same weekly sums | $(secs "${chart_mpl:-}") | | | | | same run: \`bench/chart.sh $runs\` (bench/chart_mpl.py) |"
} > "$out/release_rows.md"

{
  echo "# Release rows (bench/release.sh)"
  echo
  echo "Run: \`bench/release.sh $runs\`, $date, $machine. Wall times (shared machine)."
  echo
  echo "| measure | Sitrep | others | machine | command |"
  echo "| --- | --- | --- | --- | --- |"
  echo "| GUI startup, ${incidents:-1M}-incident store: store open / first frame (median of $runs, Xvfb) | $(median "${opens[@]}") / $(median "${frames[@]}") | – | $machine | \`SITREP_DB=bench/out/chart_1m.db SITREP_STARTUP_TRACE=1 xvfb-run -a sitrep\` |"
  echo "| aggregation: deaths per ISO week over 1M incidents (store rollup) | ${agg:-?} | – | $machine | \`go test ./bench/storebench -bench AggregateWeek1M -benchtime ${runs}x\` |"
  echo "| chart: deaths per week from 1M incidents, 1920x1080 PNG, from the store | ${chart_go:-?} | matplotlib, plot + PNG from the same weekly sums: ${chart_mpl:-?} | $machine | \`bench/chart.sh $runs\` |"
  echo
  echo "\`bench/run.sh --release\` runs this script and puts the same figures in the one table of"
  echo "bench/README.md, under the import rows."
} > bench/RELEASE.md
cat bench/RELEASE.md
