#!/usr/bin/env bash
# Builds the release artefacts into dist/:
#   dist/sitrep-VERSION-linux-amd64.tar.xz   `fyne package` archive: the binary, the .desktop
#                                            file and the icon, with a Makefile to install them
#   dist/sitrep-VERSION-windows-amd64.exe    (with --windows) cross-built with mingw-w64
#   dist/SHA256SUMS
# The version comes from FyneApp.toml (or $VERSION), the commit from git; both are stamped into
# the binary (sitrep version, Help > About). GOFLAGS=-buildvcs=false may be set, so nothing
# relies on Go's own VCS stamping.
# Usage: scripts/dist.sh [--windows] [--no-linux]
set -euo pipefail
cd "$(dirname "$0")/.."
linux=1 windows=0
for a in "$@"; do
  case $a in
    --windows) windows=1 ;;
    --no-linux) linux=0 ;;
    *) echo "usage: scripts/dist.sh [--windows] [--no-linux]" >&2; exit 2 ;;
  esac
done

version=${VERSION:-$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)}
build=$(sed -n 's/^ *Build *= *\([0-9]*\)/\1/p' FyneApp.toml | head -1)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit-dirty"
fi
ldflags="-s -w -X sitrep/internal/buildinfo.version=$version -X sitrep/internal/buildinfo.commit=$commit"
echo "dist: Sitrep $version (commit $commit)"
mkdir -p dist
rm -f dist/SHA256SUMS

if [ "$linux" = 1 ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # No -trimpath here: the build shares the cache of `go build` and `go test` (minutes in CI).
  CGO_ENABLED=1 go build -ldflags "$ldflags" -o "$work/sitrep" .
  "$work/sitrep" version
  # fyne package reads FyneApp.toml (name, id, icon, Linux metadata) and wraps the stamped
  # binary; the archive lands in the current directory as Sitrep.tar.xz.
  # fyne package bumps Build in FyneApp.toml on every run; the build number is passed
  # explicitly, so the file is put back as it was.
  cp FyneApp.toml "$work/FyneApp.toml"
  scripts/fyne.sh package --target linux --release --executable "$work/sitrep" \
    --app-version "$version" --app-build "${build:-1}" >/dev/null
  cp "$work/FyneApp.toml" FyneApp.toml
  out=dist/sitrep-$version-linux-amd64.tar.xz
  mv Sitrep.tar.xz "$out"
  # The archive must hold the binary, the .desktop file and the icon.
  listing=$(tar -tJf "$out")
  for want in usr/local/bin/sitrep .desktop pixmaps/; do
    grep -q -- "$want" <<<"$listing" || { echo "dist: $out lacks $want:"; echo "$listing"; exit 1; } >&2
  done
  echo "$listing" | sed 's/^/  /'
  echo "dist: $out ($(du -h "$out" | cut -f1))"
fi

if [ "$windows" = 1 ]; then
  command -v x86_64-w64-mingw32-gcc >/dev/null || { echo "dist: x86_64-w64-mingw32-gcc missing (apt-get install gcc-mingw-w64-x86-64)" >&2; exit 1; }
  exe=dist/sitrep-$version-windows-amd64.exe
  # -H windowsgui: no console window behind the GUI; main_windows.go attaches to the parent
  # console so the CLI still prints when started from cmd.exe or PowerShell.
  CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
    go build -trimpath -ldflags "$ldflags -H windowsgui" -o "$exe" .
  go run ./scripts/checkpe "$exe"
  echo "dist: $exe ($(du -h "$exe" | cut -f1))"
fi

(cd dist && sha256sum sitrep-"$version"-* > SHA256SUMS && cat SHA256SUMS)
