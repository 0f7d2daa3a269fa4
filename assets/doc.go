// Package assets embeds everything Sitrep needs at run time so that the one binary works on an
// air-gapped machine: the app icon, the bundled demo data (with its provenance README) and the
// map outlines (world.map.gz, written by gen_map.go from two npm packages; see its doc
// comment for the command).
package assets
