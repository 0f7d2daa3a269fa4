# Release tasks for Sitrep (issue 8). The two everyday commands stay those of the README:
# `go run .` and `go test ./...`.
.PHONY: build test dist dist-windows offline checknet race fuzz ci clean

build:
	go build -o sitrep .

test:
	go test ./...

# Linux archive (fyne package: binary + .desktop + icon) in dist/, version and commit stamped.
dist:
	scripts/dist.sh

# Windows sitrep.exe cross-built with mingw-w64 (gcc-mingw-w64-x86-64), checked with debug/pe.
dist-windows:
	scripts/dist.sh --windows --no-linux

# The CLI in a network namespace with no network (needs root), and the import check.
offline: build
	scripts/offline.sh ./sitrep
checknet:
	go run ./scripts/checknet

race:
	go test -race ./...

fuzz:
	scripts/fuzz.sh

ci:
	bash .ci/run

clean:
	rm -rf dist sitrep sitrep.exe
