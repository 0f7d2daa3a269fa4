#!/usr/bin/env bash
# Map of 100k incidents with coordinates as a 1920x1080 PNG, whole process: `sitrep chart
# --kind map` on a store holding them, against matplotlib drawing the same points (plain
# scatter, sized by deaths, coloured by theatre) over the same outlines (bench/map_mpl.py),
# in the same run, rounds interleaved. Usage: bench/map.sh [RUNS] [ROWS]
# Writes the data, the store and both PNGs to bench/out/ (git-ignored); results: bench/MAP.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
rows=${2:-100000}
out=$PWD/bench/out
mkdir -p "$out"

if ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  echo "installing Debian's python3-matplotlib"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-matplotlib >/dev/null
fi

echo "== machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== python3 $(/usr/bin/python3 -c 'import sys, matplotlib; print(sys.version.split()[0], "matplotlib", matplotlib.__version__)')"
go build -o "$out/sitrep" .
go run ./bench/mapgen -rows "$rows" -csv "$out/map_$rows.csv" -outlines "$out/outlines_110m.json"
rm -f "$out/map_$rows.db"
"$out/sitrep" import --db "$out/map_$rows.db" "$out/map_$rows.csv" | head -2

sitrep_cmd=("$out/sitrep" chart --db "$out/map_$rows.db" --kind map --out "$out/map_go.png")
mpl_cmd=(/usr/bin/python3 bench/map_mpl.py "$out/map_$rows.csv" "$out/outlines_110m.json" "$out/map_mpl.png")
: >"$out/map_times.txt"
for i in $(seq "$runs"); do
  for who in sitrep matplotlib; do
    if [ "$who" = sitrep ]; then cmd=("${sitrep_cmd[@]}"); else cmd=("${mpl_cmd[@]}"); fi
    /usr/bin/time -f "$who %e %U %S %M" -a -o "$out/map_times.txt" "${cmd[@]}" >/dev/null
  done
done
echo "== $runs runs each, $rows incidents; median wall s, median CPU s (user+sys), median peak RSS MB"
awk '{ w[$1]=w[$1] " " $2; c[$1]=c[$1] " " ($3+$4); m[$1]=m[$1] " " $5 }
  function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END { printf "| %-10s | %8s | %8s | %8s |\n", "who", "wall s", "CPU s", "RSS MB"
        for (k in w) printf "| %-10s | %8.2f | %8.2f | %8.0f |\n", k, med(w[k]), med(c[k]), med(m[k]) / 1024 }' "$out/map_times.txt"
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
