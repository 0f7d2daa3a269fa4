#!/usr/bin/env bash
# Deaths-per-week chart of 1M incidents: Sitrep (gonum/plot) against matplotlib, same data,
# same run. Usage: bench/chart.sh [RUNS]   (from the repository root or anywhere)
# Writes its data, the 1M store (bench/out/chart_1m.db, kept between runs) and both PNGs to
# bench/out/ (git-ignored). Results go in bench/CHARTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=$PWD/bench/out
mkdir -p "$out"

if ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  echo "installing Debian's python3-matplotlib"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-matplotlib >/dev/null
fi

echo "== machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== writing the 1M synthetic incidents, their weekly sums and the Go chart to bench/out"
CHARTBENCH_OUT=$out CHARTBENCH_DB=$out/chart_1m.db \
  go test ./bench/chartbench -run 'TestWriteBenchData|TestStoreChartMatchesFake' -count=1 -v 2>&1 |
  grep -E '^(--- |chartbench:|ok|FAIL)' || true

echo "== Go: go test ./bench/chartbench -bench . -benchtime ${runs}x"
CHARTBENCH_DB=$out/chart_1m.db go test ./bench/chartbench -run XXX -bench . -benchtime "${runs}x" -count=1 |
  grep -E '^Benchmark|^ok'

echo "== matplotlib: /usr/bin/python3 bench/chart_mpl.py bench/out $runs"
/usr/bin/python3 bench/chart_mpl.py "$out" "$runs"
