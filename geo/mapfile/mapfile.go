// Package mapfile is the format of Sitrep's embedded map data: layers of named areas
// (countries, seas) whose rings are stored once as quantized arcs, delta- and varint-encoded
// and gzipped. assets/gen_map.go writes it with Encode; package geo reads it with Decode.
package mapfile

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Point is a position in degrees: longitude east, latitude north.
type Point struct{ Lon, Lat float64 }

// Rect is a longitude-latitude box.
type Rect struct{ Min, Max Point }

// Empty reports whether r holds no point.
func (r Rect) Empty() bool { return r.Min.Lon > r.Max.Lon || r.Min.Lat > r.Max.Lat }

// Contains reports whether p lies in r (edges included).
func (r Rect) Contains(p Point) bool {
	return p.Lon >= r.Min.Lon && p.Lon <= r.Max.Lon && p.Lat >= r.Min.Lat && p.Lat <= r.Max.Lat
}

// Extend returns r grown to hold p.
func (r Rect) Extend(p Point) Rect {
	if r.Empty() {
		return Rect{p, p}
	}
	return Rect{Point{math.Min(r.Min.Lon, p.Lon), math.Min(r.Min.Lat, p.Lat)}, Point{math.Max(r.Max.Lon, p.Lon), math.Max(r.Max.Lat, p.Lat)}}
}

// Union returns the box holding r and o.
func (r Rect) Union(o Rect) Rect {
	if o.Empty() {
		return r
	}
	return r.Extend(o.Min).Extend(o.Max)
}

// Intersects reports whether r and o overlap.
func (r Rect) Intersects(o Rect) bool {
	return !r.Empty() && !o.Empty() && r.Min.Lon <= o.Max.Lon && o.Min.Lon <= r.Max.Lon && r.Min.Lat <= o.Max.Lat && o.Min.Lat <= r.Max.Lat
}

// NoRect is the empty box that Extend starts from.
var NoRect = Rect{Point{math.Inf(1), math.Inf(1)}, Point{math.Inf(-1), math.Inf(-1)}}

// Polygon is an outer ring followed by its holes. Outer rings run counter-clockwise (in
// longitude-latitude) and holes clockwise, so a non-zero fill draws the holes.
type Polygon [][]Point

// FeatureKind says what a feature outlines.
type FeatureKind uint8

// The kinds of feature in the atlas.
const (
	KindCountry FeatureKind = 1
	KindSea     FeatureKind = 2
)

// Feature is a named area: a country (with its ISO 3166 codes) or a sea.
type Feature struct {
	Kind FeatureKind
	// Name is the name shown ("Venezuela", "Caribbean Sea").
	Name string
	// ISO2 and ISO3 are the ISO 3166-1 codes of a country ("" for seas and the few
	// disputed areas without one).
	ISO2, ISO3 string
	// Names are other names and spellings it is known by, as written.
	Names    []string
	Polygons []Polygon
	Bounds   Rect
}

// Layer is one set of features at one level of detail.
type Layer struct {
	Name     string
	Features []Feature
}

// EncLayer is a layer as the generator hands it to Encode: a TopoJSON-like topology of
// quantized arcs that the features' rings reference.
type EncLayer struct {
	Name string
	// Scale is the size of one quantization step in degrees: a point (x, y) is at
	// longitude x*Scale-180, latitude y*Scale-90.
	Scale float64
	// Arcs are polylines of absolute quantized points.
	Arcs [][][2]int32
	// Features reference the arcs.
	Features []EncFeature
}

// EncFeature is a feature whose rings are lists of arc references: i is arc i, ^i (that is
// -i-1) arc i reversed, as in TopoJSON.
type EncFeature struct {
	Kind             FeatureKind
	Name, ISO2, ISO3 string
	Names            []string
	Polygons         [][][]int
}

// magic starts the atlas file (inside its gzip stream).
const magic = "SITREPMAP1"

// ErrAtlas is wrapped by errors decoding an atlas file.
var ErrAtlas = errors.New("bad map data")

// Encode writes layers to w in the atlas format: gzip of a magic string and, per layer,
// its arcs as zigzag-varint deltas and its features as arc references.
func Encode(w io.Writer, layers []EncLayer) error {
	var b bytes.Buffer
	b.WriteString(magic)
	uv := func(v uint64) { b.Write(binary.AppendUvarint(nil, v)) }
	sv := func(v int64) { b.Write(binary.AppendVarint(nil, v)) }
	str := func(s string) { uv(uint64(len(s))); b.WriteString(s) }
	uv(uint64(len(layers)))
	for _, l := range layers {
		str(l.Name)
		var f [8]byte
		binary.LittleEndian.PutUint64(f[:], math.Float64bits(l.Scale))
		b.Write(f[:])
		uv(uint64(len(l.Arcs)))
		for _, a := range l.Arcs {
			uv(uint64(len(a)))
			var px, py int32
			for _, p := range a {
				sv(int64(p[0] - px))
				sv(int64(p[1] - py))
				px, py = p[0], p[1]
			}
		}
		uv(uint64(len(l.Features)))
		for _, ft := range l.Features {
			b.WriteByte(byte(ft.Kind))
			str(ft.Name)
			str(ft.ISO2)
			str(ft.ISO3)
			uv(uint64(len(ft.Names)))
			for _, n := range ft.Names {
				str(n)
			}
			uv(uint64(len(ft.Polygons)))
			for _, poly := range ft.Polygons {
				uv(uint64(len(poly)))
				for _, ring := range poly {
					uv(uint64(len(ring)))
					for _, ref := range ring {
						if ref >= len(l.Arcs) || ^ref >= len(l.Arcs) {
							return fmt.Errorf("feature %s references arc %d of %d: %w", ft.Name, ref, len(l.Arcs), ErrAtlas)
						}
						sv(int64(ref))
					}
				}
			}
		}
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing map data: %w", err)
	}
	return zw.Close()
}

// Decode reads an atlas file written by Encode into layers of polygons in degrees.
func Decode(r io.Reader) ([]Layer, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAtlas, err)
	}
	br := bufio.NewReader(zr)
	d := &decoder{r: br}
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, fmt.Errorf("not a Sitrep map file: %w", ErrAtlas)
	}
	n := d.count(64)
	layers := make([]Layer, 0, n)
	for range n {
		l := Layer{Name: d.str()}
		var f [8]byte
		d.read(f[:])
		scale := math.Float64frombits(binary.LittleEndian.Uint64(f[:]))
		arcs := make([][]Point, d.count(1<<22))
		for i := range arcs {
			pts := make([]Point, d.count(1<<24))
			var x, y int64
			for j := range pts {
				x += d.varint()
				y += d.varint()
				pts[j] = Point{float64(x)*scale - 180, float64(y)*scale - 90}
			}
			arcs[i] = pts
		}
		l.Features = make([]Feature, d.count(1<<20))
		for i := range l.Features {
			ft := &l.Features[i]
			ft.Kind = FeatureKind(d.byte())
			ft.Name, ft.ISO2, ft.ISO3 = d.str(), d.str(), d.str()
			ft.Names = make([]string, d.count(1<<10))
			for j := range ft.Names {
				ft.Names[j] = d.str()
			}
			ft.Bounds = NoRect
			ft.Polygons = make([]Polygon, d.count(1<<20))
			for j := range ft.Polygons {
				poly := make(Polygon, d.count(1<<20))
				for k := range poly {
					refs := d.count(1 << 20)
					var ring []Point
					for range refs {
						ref := int(d.varint())
						idx := ref
						if ref < 0 {
							idx = ^ref
						}
						if idx >= len(arcs) {
							d.err = fmt.Errorf("arc %d of %d: %w", idx, len(arcs), ErrAtlas)
							break
						}
						a := arcs[idx]
						start := len(ring)
						if ref >= 0 {
							ring = append(ring, a...)
						} else {
							for m := len(a) - 1; m >= 0; m-- {
								ring = append(ring, a[m])
							}
						}
						if start > 0 && len(ring) > start && ring[start] == ring[start-1] {
							ring = append(ring[:start], ring[start+1:]...)
						}
					}
					for _, p := range ring {
						ft.Bounds = ft.Bounds.Extend(p)
					}
					poly[k] = ring
				}
				ft.Polygons[j] = poly
			}
		}
		if d.err != nil {
			return nil, fmt.Errorf("layer %q: %w", l.Name, d.err)
		}
		layers = append(layers, l)
	}
	if d.err != nil {
		return nil, d.err
	}
	return layers, nil
}

type decoder struct {
	r   *bufio.Reader
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %w", ErrAtlas, err)
	}
}

func (d *decoder) read(p []byte) {
	if d.err != nil {
		return
	}
	if _, err := io.ReadFull(d.r, p); err != nil {
		d.fail(err)
	}
}

func (d *decoder) byte() byte {
	var b [1]byte
	d.read(b[:])
	return b[0]
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(d.r)
	if err != nil {
		d.fail(err)
	}
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadVarint(d.r)
	if err != nil {
		d.fail(err)
	}
	return v
}

// count reads a length and refuses one above limit (a damaged file must not allocate
// gigabytes).
func (d *decoder) count(limit uint64) int {
	v := d.uvarint()
	if v > limit {
		d.fail(fmt.Errorf("count %d above %d", v, limit))
		return 0
	}
	return int(v)
}

func (d *decoder) str() string {
	n := d.count(1 << 16)
	if n == 0 {
		return ""
	}
	b := make([]byte, n)
	d.read(b)
	return string(b)
}
