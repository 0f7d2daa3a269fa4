#!/usr/bin/env bash
# bench/tablegui.sh: the GUI side of the table benchmark. Starts a sitrep binary under Xvfb on a
# store with the Incidents screen open (SITREP_SCREEN=incidents), samples its resident memory
# every 0.25 s and screenshots the window at 0.3 s, 1 s, 3 s and 10 s after start; prints when
# the app reports the first rows and the whole table (SITREP_STARTUP_TRACE lines) and the
# memory at the end. Usage:
#   bench/tablegui.sh BINARY STORE OUTDIR [SECONDS]
# e.g. go run ./bench/tablestore && go build -o /tmp/sitrep . &&
#      bench/tablegui.sh /tmp/sitrep bench/out/table_1m.db bench/out/gui 20
set -euo pipefail
bin=$1 db=$2 out=$3 secs=${4:-20}
mkdir -p "$out"
display=
for n in $(seq 140 180); do
  if [ ! -e /tmp/.X$n-lock ] && [ ! -e /tmp/.X11-unix/X$n ]; then display=:$n; break; fi
done
[ -n "$display" ] || { echo "no free X display number" >&2; exit 1; }
Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
sleep 1
DISPLAY=$display LANG=C.UTF-8 SITREP_DB=$db SITREP_SCREEN=incidents SITREP_STARTUP_TRACE=1 \
  "$bin" >"$out/app.log" 2>&1 &
app=$!
start=$(date +%s.%N)
shots="0.3 1 3 10"
: >"$out/rss.tsv"
while :; do
  now=$(date +%s.%N)
  t=$(echo "$now - $start" | bc)
  if ! kill -0 "$app" 2>/dev/null; then echo "app exited; see $out/app.log" >&2; exit 1; fi
  awk -v t="$t" '/^(VmRSS|RssAnon|RssFile):/ {v[$1]=$2} END {printf "%.2f\t%d\t%d\t%d\n", t, v["VmRSS:"]/1024, v["RssAnon:"]/1024, v["RssFile:"]/1024}' \
    /proc/$app/status >>"$out/rss.tsv"
  for s in $shots; do
    if [ "$(echo "$t >= $s" | bc)" = 1 ]; then
      DISPLAY=$display import -window root "$out/at-${s}s.png" 2>/dev/null || true
      shots=$(echo "$shots" | sed "s/^$s *//")
    fi
  done
  [ "$(echo "$t >= $secs" | bc)" = 1 ] && break
  sleep 0.25
done
echo "t(s)	VmRSS	RssAnon	RssFile (MB)"
awk 'NR==1 || NR%8==0' "$out/rss.tsv"
tail -1 "$out/rss.tsv"
echo "peak VmRSS $(sort -t$'\t' -k2 -n "$out/rss.tsv" | tail -1 | cut -f2) MB"
grep -i "sitrep:" "$out/app.log" || true
