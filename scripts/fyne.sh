#!/usr/bin/env bash
# Runs the pinned fyne packaging tool (fyne.io/tools/cmd/fyne v1.7.4) without adding it to the
# module's go.mod. The first run installs it into the user cache from the Go module proxy (or
# from the module cache, so it also works offline once fetched); later runs reuse the binary.
# Usage: scripts/fyne.sh ARGS...
set -euo pipefail
FYNE_TOOLS_VERSION=v1.7.4
dir=${SITREP_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/sitrep-tools}/fyne-$FYNE_TOOLS_VERSION
if [ ! -x "$dir/fyne" ]; then
  mkdir -p "$dir"
  modcache=$(go env GOMODCACHE)
  # The module cache first: no network needed when the module was fetched before.
  (cd "$dir" && GOBIN="$dir" GOFLAGS=-buildvcs=false GOPROXY="file://$modcache/cache/download,$(go env GOPROXY)" \
    go install "fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION")
fi
exec "$dir/fyne" "$@"
