package assets

import _ "embed"

//go:generate go run gen_map.go

//go:embed world.map.gz
var worldMap []byte

// WorldMap returns the embedded map data (see gen_map.go and package geo/mapfile): country
// outlines at 1:110m and 1:50m from Natural Earth, and named seas cut from OpenStreetMap's
// water polygons. About 210 KB; package geo decodes it once, on first use.
func WorldMap() []byte { return worldMap }
