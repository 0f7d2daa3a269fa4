#!/usr/bin/env bash
# scripts/screenshots.sh: every screen of the app, at a laptop's 1366x768 and at 1920x1080, in
# the light and the dark theme, on a store holding the demo data, into docs/screenshots/
# (SCREEN-WxH-THEME.png). Runs each under Xvfb with /work/shared/tools/screenshot.sh (or
# $SCREENSHOT) with a window filling the screen, as a maximised window would.
#   scripts/screenshots.sh [SCREEN ...]      (default: every screen)
set -euo pipefail
cd "$(dirname "$0")/.."
shot=${SCREENSHOT:-/work/shared/tools/screenshot.sh}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/sitrep" .
"$work/sitrep" demo --db "$work/demo.db" >/dev/null
screens=${*:-overview incidents statements tallies charts map positions imports}
for screen in $screens; do
  for size in 1366x768 1920x1080; do
    for theme in light dark; do
      out=docs/screenshots/$screen-$size-$theme.png
      # Preferences (window size, last screen) in a folder of their own, not the user's.
      XDG_CONFIG_HOME=$work/config SITREP_DB=$work/demo.db SITREP_SCREEN=$screen SITREP_THEME=$theme \
        SITREP_SIZE=$size SITREP_SELECT=${SELECT:-} \
        "$shot" -w "${WAIT:-7}" -s "$size" "$out" "$work/sitrep" >/dev/null
      rm -f "${out%.png}.log"
      echo "$out"
    done
  done
done
