// Package assets embeds everything Sitrep needs at run time so that the one binary works on an
// air-gapped machine: the app icon and the bundled demo data (with its provenance README).
package assets
