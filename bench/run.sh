#!/usr/bin/env bash
# bench/run.sh: times `sitrep import` against the spreadsheet readers an analyst would otherwise
# use, on the same generated incident workbooks, in the same run, and writes the table into
# bench/README.md (between the bench:start and bench:end markers).
#
# Usage: bench/run.sh [--big] [--release] [--runs N] [--rows "N N ..."] [--no-readme]
#   --big        also run 1,000,000 rows (slow: about 10 minutes with 3 runs)
#   --release    also run bench/release.sh (GUI startup on a 1M-incident store, aggregation over
#                1M incidents, chart rendering against matplotlib) and add its rows to the table
#   --runs N     runs per reader and size (default 3); the table gives the median and the best
#   --rows LIST  row counts to run instead of the default "10000 100000"
#   --no-readme  print the table only; leave bench/README.md alone
#
# What it runs, per size and per round (rounds interleave the readers, so a burst of load on a
# shared machine hits them alike), each under /usr/bin/time -v for wall time and peak RSS:
#   sitrep import     bench/out/sitrep import --db bench/out/bench.db FILE (fresh store each run;
#                     the binary is built from this tree; "not available" until import exists)
#   excelize f.Rows   bench/excelizerows: excelize's streaming reader alone, raw cell values
#   exceljs stream    node bench/readers/exceljs_stream.js (npm exceljs, WorkbookReader)
#   SheetJS           node bench/readers/sheetjs.js (npm xlsx, readFile)
#   openpyxl          /usr/bin/python3 bench/readers/openpyxl_readonly.py (read_only=True)
#   pandas            /usr/bin/python3 bench/readers/pandas_read_excel.py (read_excel, openpyxl)
# Every reader reads every cell and prints rows=R cells=C; a count that differs from the
# generated workbook's is flagged in the Notes column.
#
# It installs what is missing: npm packages into bench/node_modules (bench/package.json pins
# them), and Debian's python3-openpyxl and python3-pandas with apt-get (as root).
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out="$here/out"
readme="$here/README.md"
runs=3
sizes="10000 100000"
big=0
release=0
write_readme=1
cmdline="bench/run.sh${*:+ $*}"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

while [ $# -gt 0 ]; do
	case "$1" in
	--big) big=1 ;;
	--release) release=1 ;;
	--runs) runs="$2"; shift ;;
	--rows) sizes="$2"; shift ;;
	--no-readme) write_readme=0 ;;
	-h | --help) sed -n '2,25p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ "$big" = 1 ] && sizes="$sizes 1000000"
case "$runs" in '' | *[!0-9]* | 0) echo "run.sh: --runs wants a positive number" >&2; exit 2 ;; esac

mkdir -p "$out"
log() { echo "run.sh: $*" >&2; }

# ---- dependencies -------------------------------------------------------------------------
[ -x /usr/bin/time ] || { log "/usr/bin/time (GNU time) is missing: apt-get install time"; exit 1; }
PY=/usr/bin/python3

have_node=0
if command -v node >/dev/null && command -v npm >/dev/null; then
	if [ ! -d "$here/node_modules/exceljs" ] || [ ! -d "$here/node_modules/xlsx" ]; then
		log "installing exceljs and xlsx into bench/node_modules"
		(cd "$here" && npm install --no-audit --no-fund --loglevel=error >&2) || log "npm install failed"
	fi
	[ -d "$here/node_modules/exceljs" ] && [ -d "$here/node_modules/xlsx" ] && have_node=1
else
	log "node or npm not found: the exceljs and SheetJS rows will say not available"
fi

py_has() { [ -x "$PY" ] && "$PY" -c "import $1" 2>/dev/null; }
missing=""
py_has openpyxl || missing="$missing python3-openpyxl"
py_has pandas || missing="$missing python3-pandas"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "installing$missing with apt-get"
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2 ||
			log "apt-get install failed"
	else
		log "missing$missing (install them as root with apt-get)"
	fi
fi
have_openpyxl=0; py_has openpyxl && have_openpyxl=1
have_pandas=0; py_has pandas && have_pandas=1

# ---- builds -------------------------------------------------------------------------------
log "building bench/out/gen, bench/out/excelizerows and bench/out/sitrep"
(cd "$root" && go build -o "$out/gen" ./bench/gen && go build -o "$out/excelizerows" ./bench/excelizerows) ||
	{ log "cannot build the generator"; exit 1; }
have_sitrep=0
sitrep_help=""
sitrep_why="not available (the build failed)"
if (cd "$root" && go build -o "$out/sitrep" . 2>"$out/build.txt"); then
	# Capture first: with pipefail, grep -q quitting early would fail the pipe (SIGPIPE).
	sitrep_help=$("$out/sitrep" help 2>/dev/null)
	if grep -q '^ *import ' <<<"$sitrep_help"; then
		have_sitrep=1
	else
		sitrep_why="not available (this build has no import command)"
	fi
else
	cat "$out/build.txt" >&2
	sitrep_why="not available (go build failed: $(grep -m1 -v '^#' "$out/build.txt" | cut -c1-80 | tr '|' '/'))"
fi

# ---- measuring ----------------------------------------------------------------------------
# measure CMD...: one timed run. Sets m_secs (wall), m_cpu (user + system), m_kb (peak RSS),
# m_status and m_stdout (its last line).
load_samples=""
measure() {
	local tf="$out/time.txt" of="$out/stdout.txt"
	rm -f "$tf" "$of"
	load_samples="$load_samples $(cut -d' ' -f1 /proc/loadavg)"
	/usr/bin/time -v -o "$tf" timeout 1800 "$@" >"$of" 2>"$out/stderr.txt"
	m_status=$?
	m_stdout=$(tail -n 1 "$of" 2>/dev/null)
	m_secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]
		printf "%.2f", s }' "$tf")
	m_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
	m_cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$tf")
}

median() { sort -n | awk '{a[NR] = $1} END { if (NR) print a[int((NR + 1) / 2)] }'; }
best() { sort -n | head -n 1; }

readers="sitrep excelize exceljs sheetjs openpyxl pandas"
label() {
	case "$1" in
	sitrep) echo "sitrep import (read, parse, store)" ;;
	excelize) echo "excelize f.Rows (read only)" ;;
	exceljs) echo "exceljs streaming reader" ;;
	sheetjs) echo "SheetJS readFile" ;;
	openpyxl) echo "openpyxl read-only" ;;
	pandas) echo "pandas.read_excel" ;;
	esac
}
available() {
	case "$1" in
	sitrep) [ "$have_sitrep" = 1 ] ;;
	excelize) true ;;
	exceljs | sheetjs) [ "$have_node" = 1 ] ;;
	openpyxl) [ "$have_openpyxl" = 1 ] ;;
	pandas) [ "$have_pandas" = 1 ] ;;
	esac
}
run_reader() { # run_reader NAME FILE
	case "$1" in
	sitrep)
		rm -f "$out/bench.db" "$out/bench.db".*
		measure "$out/sitrep" import --db "$out/bench.db" "$2" ;;
	excelize) measure "$out/excelizerows" "$2" ;;
	exceljs) measure node "$here/readers/exceljs_stream.js" "$2" ;;
	sheetjs) measure node "$here/readers/sheetjs.js" "$2" ;;
	openpyxl) measure "$PY" "$here/readers/openpyxl_readonly.py" "$2" ;;
	pandas) measure "$PY" "$here/readers/pandas_read_excel.py" "$2" ;;
	esac
}
human() { # 10000 -> 10k
	case "$1" in
	*000000) echo "$(($1 / 1000000))M" ;;
	*000) echo "$(($1 / 1000))k" ;;
	*) echo "$1" ;;
	esac
}

rows_md=""
for n in $sizes; do
	file="$out/incidents-$(human "$n").xlsx"
	log "generating $file ($n rows)"
	"$out/gen" -rows "$n" -out "$file" || { log "generator failed"; exit 1; }
	want="rows=$((n + 1)) cells="
	declare -A times=() cpus=() kbs=() notes=()
	for r in $(seq 1 "$runs"); do
		for rd in $readers; do
			available "$rd" || continue
			[ -n "${notes[$rd]:-}" ] && case "${notes[$rd]}" in failed*) continue ;; esac
			log "$(human "$n") run $r/$runs: $rd"
			run_reader "$rd" "$file"
			if [ "$m_status" != 0 ]; then
				why=$(tail -n 1 "$out/stderr.txt" | cut -c1-80 | tr '|' '/')
				[ "$m_status" = 124 ] && why="timed out after 30 min"
				notes[$rd]="failed (exit $m_status: $why)"
				log "$rd failed: exit $m_status"
				continue
			fi
			times[$rd]="${times[$rd]:-} $m_secs"
			kbs[$rd]="${kbs[$rd]:-} $m_kb"
			cpus[$rd]="${cpus[$rd]:-} $m_cpu"
			if [ "$rd" = sitrep ]; then
				[ -z "${notes[$rd]:-}" ] && notes[$rd]="fresh store each run"
			elif [ "${m_stdout#"$want"}" = "$m_stdout" ]; then
				notes[$rd]="read $m_stdout, expected $want..."
			elif [ -z "${notes[$rd]:-}" ]; then
				notes[$rd]="${m_stdout}"
			fi
		done
	done
	if [ "$have_sitrep" = 1 ] && [ -z "${notes[sitrep]##fresh*}" ] && grep -q '^ *stats ' <<<"$sitrep_help"; then
		got=$("$out/sitrep" stats --db "$out/bench.db" --json 2>/dev/null | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["incidents"])' 2>/dev/null)
		[ -n "$got" ] && notes[sitrep]="${notes[sitrep]}; store holds $got incidents"
	fi
	ref=""
	[ -n "${times[openpyxl]:-}" ] && ref=$(echo "${times[openpyxl]}" | tr ' ' '\n' | grep . | median)
	for rd in $readers; do
		lbl=$(label "$rd")
		if ! available "$rd"; then
			why="not available"
			[ "$rd" = sitrep ] && why="$sitrep_why"
			rows_md="$rows_md| $(human "$n") | $lbl | | | | | | $why |"$'\n'
			continue
		fi
		if [ -z "${times[$rd]:-}" ]; then
			rows_md="$rows_md| $(human "$n") | $lbl | | | | | | ${notes[$rd]:-no run} |"$'\n'
			continue
		fi
		med=$(echo "${times[$rd]}" | tr ' ' '\n' | grep . | median)
		bst=$(echo "${times[$rd]}" | tr ' ' '\n' | grep . | best)
		cpu=$(echo "${cpus[$rd]}" | tr ' ' '\n' | grep . | median)
		peak=$(echo "${kbs[$rd]}" | tr ' ' '\n' | grep . | sort -n | tail -n 1)
		rel=""
		[ -n "$ref" ] && rel=$(awk -v a="$med" -v b="$ref" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
		rows_md="$rows_md| $(human "$n") | $lbl | $med | $bst | $cpu | $((peak / 1024)) | $rel | ${notes[$rd]:-} |"$'\n'
	done
	unset times cpus kbs notes
done

# ---- the release rows (bench/release.sh) -----------------------------------------------------
if [ "$release" = 1 ]; then
	log "running bench/release.sh $runs"
	if (cd "$root" && bench/release.sh "$runs") >"$out/release.log" 2>&1 && [ -s "$out/release_rows.md" ]; then
		rows_md="$rows_md$(cat "$out/release_rows.md")"$'\n'
	else
		log "bench/release.sh failed: see $out/release.log"
		rows_md="$rows_md| 1M incidents | release rows (bench/release.sh) | | | | | | failed: see bench/out/release.log |"$'\n'
	fi
fi

# ---- the table ----------------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)
ver() { "$@" 2>/dev/null | head -n 1; }
npmver() { node -p "require('$here/node_modules/$1/package.json').version" 2>/dev/null; }
table="Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($cpu), $mem RAM;
load average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg); 1-minute load
before each timed run: $(echo "$load_samples" | tr ' ' '\n' | grep . | awk '{ s += $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
	END { if (NR) printf "min %.2f, mean %.2f, max %.2f over %d runs", lo, s / NR, hi, NR }').
Command: \`$cmdline\` (runs per reader and size: $runs, rounds interleaved). Times are wall-clock
seconds; CPU is the median of user + system seconds (less sensitive to other users' load); RSS is
the largest of the runs.
Versions: $(ver go version | cut -d' ' -f3), excelize $(cd "$root" && go list -m -f '{{.Version}}' github.com/xuri/excelize/v2 2>/dev/null),
node $(ver node --version), exceljs $(npmver exceljs), xlsx $(npmver xlsx), python $(ver "$PY" --version | cut -d' ' -f2),
openpyxl $(ver "$PY" -c 'import openpyxl; print(openpyxl.__version__)'), pandas $(ver "$PY" -c 'import pandas; print(pandas.__version__)').

| Rows | Reader | Median s | Best s | CPU s | Peak RSS MB | Median vs openpyxl | Notes |
|---:|---|---:|---:|---:|---:|---:|---|
$rows_md"
printf '%s\n' "$table"

if [ "$write_readme" = 1 ]; then
	if grep -q '<!-- bench:start -->' "$readme" && grep -q '<!-- bench:end -->' "$readme"; then
		tmp=$(mktemp)
		TABLE="$table" awk '
			/<!-- bench:start -->/ { print; print ENVIRON["TABLE"]; skip = 1; next }
			/<!-- bench:end -->/ { skip = 0 }
			!skip { print }' "$readme" >"$tmp" && cat "$tmp" >"$readme"
		rm -f "$tmp"
		log "table written to bench/README.md"
	else
		log "bench/README.md has no bench:start/bench:end markers; table not written"
	fi
fi
