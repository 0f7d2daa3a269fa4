package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"time"
	"unsafe"
)

// encodingName names the record encoding below; it is written to the meta bucket so that a
// future version can tell which decoder a file needs.
const encodingName = "sitrep-bin-v1"

// A stored record version is
//
//	uvarint g        import number that wrote it (0: an edit in Sitrep)
//	uvarint bodyLen  length of the body
//	body             the record's fields (kind-specific, see encodeBody)
//	provenance       import id, file, sheet (strings), row (uvarint), then optional
//	                 tagged fields (encodeProvExt): edit time, origin store id and name
//	checksum         the last tagged field (tag 4, length 4): CRC-32C (Castagnoli), big
//	                 endian, of every byte after g up to the tag (appendSum). Versions
//	                 written before it existed have none and still decode; a version whose
//	                 sum does not match is refused as damaged (errSum), never returned garbled.
//
// Strings are a uvarint length and the bytes; dates a precision byte then (when not zero) a
// zigzag year, a month byte and a day byte; counts a flag byte (1: min known, 2: max known) and
// the known ends as zigzag varints; maps their length and sorted key/value pairs. Comparing
// two bodies byte for byte tells whether a record changed, ignoring its provenance.

var errDecode = fmt.Errorf("damaged record: %w", ErrCorrupt)

type enc struct{ b []byte }

func (e *enc) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) byte1(v byte)     { e.b = append(e.b, v) }

func (e *enc) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *enc) strs(ss []string) {
	e.uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *enc) strmap(m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.str(k)
		e.str(m[k])
	}
}

func (e *enc) date(d Date) {
	e.byte1(byte(d.Precision))
	if !d.IsZero() {
		e.varint(int64(d.Year))
		e.byte1(byte(d.Month))
		e.byte1(byte(d.Day))
	}
}

func (e *enc) count(c Count) {
	var f byte
	if c.MinKnown {
		f |= 1
	}
	if c.MaxKnown {
		f |= 2
	}
	e.byte1(f)
	if c.MinKnown {
		e.varint(int64(c.Min))
	}
	if c.MaxKnown {
		e.varint(int64(c.Max))
	}
}

func (e *enc) float(f float64) {
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(f))
}

type dec struct {
	b   []byte
	err error
	// owned says b is a private copy that nothing will modify, so strings may point into it
	// instead of each being copied.
	owned bool
}

func (d *dec) fail() {
	if d.err == nil {
		d.err = errDecode
	}
	d.b = nil
}

func (d *dec) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) byte1() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

// raw returns the next n bytes without copying.
func (d *dec) raw(n uint64) []byte {
	if uint64(len(d.b)) < n {
		d.fail()
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// str returns the next string. Unless the buffer is owned, it copies the bytes out, since the
// buffer may belong to a bbolt transaction.
func (d *dec) str() string {
	b := d.raw(d.uvarint())
	if len(b) == 0 {
		return ""
	}
	if d.owned {
		return unsafe.String(&b[0], len(b))
	}
	return string(b)
}

func (d *dec) strs() []string {
	n := d.uvarint()
	if n == 0 || n > uint64(len(d.b)) {
		if n > uint64(len(d.b)) {
			d.fail()
		}
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *dec) strmap() map[string]string {
	n := d.uvarint()
	if n == 0 || n > uint64(len(d.b)) {
		if n > uint64(len(d.b)) {
			d.fail()
		}
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

func (d *dec) date() Date {
	p := Precision(d.byte1())
	if p == PrecisionNone {
		return Date{}
	}
	y := int(d.varint())
	m := time.Month(d.byte1())
	day := int(d.byte1())
	return Date{Year: y, Month: m, Day: day, Precision: p}
}

func (d *dec) count() Count {
	f := d.byte1()
	var c Count
	if f&1 != 0 {
		c.Min, c.MinKnown = int(d.varint()), true
	}
	if f&2 != 0 {
		c.Max, c.MaxKnown = int(d.varint()), true
	}
	return c
}

func (d *dec) float() float64 {
	b := d.raw(8)
	if b == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// record is what the store needs of the three record kinds.
type record interface {
	kind() Kind
	recID() string
	// span is the first and last day the record covers, for the date index.
	span() (first Date, last Date)
	encodeBody(e *enc)
	prov() *Provenance
	validate() error
}

func (r *Incident) kind() Kind          { return KindIncident }
func (r *Incident) recID() string       { return r.ID }
func (r *Incident) span() (Date, Date)  { return r.Date, r.DateEnd }
func (r *Incident) prov() *Provenance   { return &r.Provenance }
func (r *Incident) validate() error     { return r.Validate() }
func (r *Statement) kind() Kind         { return KindStatement }
func (r *Statement) recID() string      { return r.ID }
func (r *Statement) span() (Date, Date) { return r.Date, Date{} }
func (r *Statement) prov() *Provenance  { return &r.Provenance }
func (r *Statement) validate() error    { return r.Validate() }
func (r *Tally) kind() Kind             { return KindTally }
func (r *Tally) recID() string          { return r.ID }
func (r *Tally) span() (Date, Date)     { return r.AsOf, Date{} }
func (r *Tally) prov() *Provenance      { return &r.Provenance }
func (r *Tally) validate() error        { return r.Validate() }
func (r *Incident) encodeBody(e *enc)   { encodeIncident(e, r) }
func (r *Statement) encodeBody(e *enc)  { encodeStatement(e, r) }
func (r *Tally) encodeBody(e *enc)      { encodeTally(e, r) }

func spanOf(r record) (first, last int, d Date) {
	d, end := r.span()
	first = d.DayNumber()
	last = first
	if !d.IsZero() {
		last = d.LastDayNumber()
		if !end.IsZero() && end.LastDayNumber() > last {
			last = end.LastDayNumber()
		}
	}
	return first, last, d
}

func encodeIncident(e *enc, r *Incident) {
	e.str(r.ID)
	e.date(r.Date)
	e.date(r.DateEnd)
	e.str(r.Theatre)
	e.str(r.Country)
	e.str(r.Location)
	if r.HasCoords {
		e.byte1(1)
		e.float(r.Lat)
		e.float(r.Lon)
	} else {
		e.byte1(0)
	}
	e.str(r.Actor)
	e.str(r.Target)
	e.count(r.Vessels)
	e.str(r.AllegedAffiliation)
	e.count(r.Killed)
	e.count(r.Survivors)
	e.count(r.Missing)
	e.count(r.Injured)
	e.str(r.AnnouncedBy)
	e.str(r.Confidence)
	e.str(r.Source)
	e.str(r.Notes)
	e.strmap(r.Extra)
	encodeIncidentExt(e, r)
}

// Incident extension tags. The extension section follows the last field of the first
// version of the encoding (Extra) and is written only when one of its fields is set, so that
// an incident without them encodes byte for byte as before and stores need no migration.
// Each entry is a tag byte, a uvarint payload length and the payload; a decoder skips the
// tags it does not know, so later versions may add tags (never reuse one).
const (
	extAdmin1     byte = 1 // string bytes
	extAdmin2     byte = 2 // string bytes
	extCasualties byte = 3 // uvarint n, then n times: measure, category (strings), flags byte (1: estimate), count
	extEvents     byte = 4 // uvarint
)

func encodeIncidentExt(e *enc, r *Incident) {
	if r.Admin1 == "" && r.Admin2 == "" && len(r.Casualties) == 0 && r.Events == 0 {
		return
	}
	var p enc
	entry := func(tag byte, payload []byte) {
		e.byte1(tag)
		e.uvarint(uint64(len(payload)))
		e.b = append(e.b, payload...)
	}
	if r.Admin1 != "" {
		entry(extAdmin1, []byte(r.Admin1))
	}
	if r.Admin2 != "" {
		entry(extAdmin2, []byte(r.Admin2))
	}
	if len(r.Casualties) > 0 {
		p.b = p.b[:0]
		p.uvarint(uint64(len(r.Casualties)))
		for _, c := range r.Casualties {
			p.str(c.Measure)
			p.str(c.Category)
			var f byte
			if c.Estimate {
				f |= 1
			}
			p.byte1(f)
			p.count(c.Count)
		}
		entry(extCasualties, p.b)
	}
	if r.Events > 0 {
		p.b = p.b[:0]
		p.uvarint(uint64(r.Events))
		entry(extEvents, p.b)
	}
}

func decodeIncidentExt(d *dec, r *Incident) {
	for len(d.b) > 0 && d.err == nil {
		tag := d.byte1()
		payload := d.raw(d.uvarint())
		if d.err != nil {
			return
		}
		sub := dec{b: payload, owned: d.owned}
		switch tag {
		case extAdmin1:
			r.Admin1 = sub.text(payload)
		case extAdmin2:
			r.Admin2 = sub.text(payload)
		case extCasualties:
			n := sub.uvarint()
			if n > uint64(len(sub.b)) {
				sub.fail()
				break
			}
			r.Casualties = make([]CategoryCount, n)
			for i := range r.Casualties {
				c := &r.Casualties[i]
				c.Measure = sub.str()
				c.Category = sub.str()
				c.Estimate = sub.byte1()&1 != 0
				c.Count = sub.count()
			}
		case extEvents:
			r.Events = int(sub.uvarint())
		}
		if sub.err != nil {
			d.err = sub.err
			return
		}
	}
}

// text returns b as a string, sharing it when the buffer is owned (see str).
func (d *dec) text(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if d.owned {
		return unsafe.String(&b[0], len(b))
	}
	return string(b)
}

func decodeIncidentBody(d *dec, r *Incident) {
	r.ID = d.str()
	r.Date = d.date()
	r.DateEnd = d.date()
	r.Theatre = d.str()
	r.Country = d.str()
	r.Location = d.str()
	if d.byte1() == 1 {
		r.HasCoords = true
		r.Lat = d.float()
		r.Lon = d.float()
	}
	r.Actor = d.str()
	r.Target = d.str()
	r.Vessels = d.count()
	r.AllegedAffiliation = d.str()
	r.Killed = d.count()
	r.Survivors = d.count()
	r.Missing = d.count()
	r.Injured = d.count()
	r.AnnouncedBy = d.str()
	r.Confidence = d.str()
	r.Source = d.str()
	r.Notes = d.str()
	r.Extra = d.strmap()
	decodeIncidentExt(d, r)
}

func encodeStatement(e *enc, r *Statement) {
	e.str(r.ID)
	e.date(r.Date)
	e.str(r.Actor)
	e.str(r.Speaker)
	e.str(r.Role)
	e.str(r.Topic)
	e.str(r.Stance)
	e.str(r.Quote)
	e.str(r.Channel)
	e.str(r.Source)
	e.str(r.Notes)
	e.strs(r.IncidentIDs)
	e.strmap(r.Extra)
}

func decodeStatementBody(d *dec, r *Statement) {
	r.ID = d.str()
	r.Date = d.date()
	r.Actor = d.str()
	r.Speaker = d.str()
	r.Role = d.str()
	r.Topic = d.str()
	r.Stance = d.str()
	r.Quote = d.str()
	r.Channel = d.str()
	r.Source = d.str()
	r.Notes = d.str()
	r.IncidentIDs = d.strs()
	r.Extra = d.strmap()
}

func encodeTally(e *enc, r *Tally) {
	e.str(r.ID)
	e.date(r.AsOf)
	e.str(r.Claimant)
	e.str(r.Scope)
	e.count(r.Strikes)
	e.count(r.Killed)
	e.count(r.Survivors)
	e.str(r.Source)
	e.str(r.Notes)
	e.strmap(r.Extra)
}

func decodeTallyBody(d *dec, r *Tally) {
	r.ID = d.str()
	r.AsOf = d.date()
	r.Claimant = d.str()
	r.Scope = d.str()
	r.Strikes = d.count()
	r.Killed = d.count()
	r.Survivors = d.count()
	r.Source = d.str()
	r.Notes = d.str()
	r.Extra = d.strmap()
}

// encodeRecord encodes r as a stored version written by import number g.
func encodeRecord(r record, g uint64) []byte { return encodeRecordScratch(r, g, &enc{}) }

// encodeRecordScratch is encodeRecord with a reusable buffer for the body.
func encodeRecordScratch(r record, g uint64, body *enc) []byte {
	body.b = body.b[:0]
	r.encodeBody(body)
	p := r.prov()
	e := enc{b: make([]byte, 0, len(body.b)+24+len(p.ImportID)+len(p.File)+len(p.Sheet))}
	e.uvarint(g)
	e.uvarint(uint64(len(body.b)))
	e.b = append(e.b, body.b...)
	e.str(p.ImportID)
	e.str(p.File)
	e.str(p.Sheet)
	e.uvarint(uint64(max(p.Row, 0)))
	encodeProvExt(&e, p)
	return appendSum(e.b, uvarintLen(g))
}

func uvarintLen(v uint64) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], v)
}

// crcTable is CRC-32C (Castagnoli): the CPU computes it (SSE 4.2, ARMv8), several GB/s.
var crcTable = crc32.MakeTable(crc32.Castagnoli)

// errSum is a stored version whose checksum does not match its bytes: a byte of the file
// changed under it (bbolt has no checksums of its own).
var errSum = fmt.Errorf("damaged record (its checksum does not match: a byte of it changed on disk): %w", ErrCorrupt)

// appendSum ends a stored version with its checksum: provenance tag provTagSum, length 4, the
// CRC-32C of b[from:]. from skips the import number, which an undo rewrites (withHeader) and
// which is not part of what the sum protects.
func appendSum(b []byte, from int) []byte {
	sum := crc32.Checksum(b[from:], crcTable)
	b = append(b, provTagSum, 4)
	return binary.BigEndian.AppendUint32(b, sum)
}

// verifySum checks the checksum of a stored version. It walks the version's structure (so an
// old version whose last bytes happen to look like a checksum is not mistaken for one) and
// reports whether the version has a checksum; err is errSum when it does not match, or the
// decoding error when the structure itself is broken.
func verifySum(v []byte) (has bool, err error) {
	_, n := binary.Uvarint(v)
	if n <= 0 {
		return false, errDecode
	}
	d := dec{b: v[n:]}
	d.raw(d.uvarint()) // body
	for range 3 {      // import id, file, sheet
		d.raw(d.uvarint())
	}
	d.uvarint() // row
	for len(d.b) > 0 && d.err == nil {
		at := len(v) - len(d.b)
		tag := d.uvarint()
		val := d.raw(d.uvarint())
		if d.err == nil && tag == provTagSum {
			if len(val) != 4 || len(d.b) != 0 || crc32.Checksum(v[n:at], crcTable) != binary.BigEndian.Uint32(val) {
				return true, errSum
			}
			return true, nil
		}
	}
	return false, d.err
}

// Provenance extension tags (see the codec notes): after Row come optional fields, each a
// uvarint tag, a uvarint length and the bytes, written only when set, so that a version
// without them is byte-identical to one written before the extension existed. Decoders skip
// tags they do not know.
const (
	provTagAt        = 1 // zigzag varint unix nanoseconds: when an edit wrote the version
	provTagStore     = 2 // id of the store the version came from (merge, store export)
	provTagStoreName = 3 // that store's name when it came over
	provTagSum       = 4 // CRC-32C of the version (see appendSum): always the last field
)

func encodeProvExt(e *enc, p *Provenance) {
	if !p.At.IsZero() {
		var t enc
		t.varint(p.At.UnixNano())
		e.uvarint(provTagAt)
		e.uvarint(uint64(len(t.b)))
		e.b = append(e.b, t.b...)
	}
	for _, f := range []struct {
		tag uint64
		v   string
	}{{provTagStore, p.Store}, {provTagStoreName, p.StoreName}} {
		if f.v != "" {
			e.uvarint(f.tag)
			e.str(f.v)
		}
	}
}

func decodeProvExt(d *dec, p *Provenance) {
	for len(d.b) > 0 && d.err == nil {
		tag := d.uvarint()
		v := d.raw(d.uvarint())
		if d.err != nil {
			return
		}
		switch tag {
		case provTagAt:
			ns, n := binary.Varint(v)
			if n <= 0 {
				d.fail()
				return
			}
			p.At = time.Unix(0, ns).UTC()
		case provTagStore:
			p.Store = string(v)
		case provTagStoreName:
			p.StoreName = string(v)
		}
	}
}

// version is a parsed stored version; body points into the source buffer.
type version struct {
	g    uint64
	body []byte
	rest []byte // provenance
}

func splitVersion(v []byte) (version, error) {
	d := dec{b: v}
	g := d.uvarint()
	n := d.uvarint()
	body := d.raw(n)
	if d.err != nil {
		return version{}, d.err
	}
	return version{g: g, body: body, rest: d.b}, nil
}

// versionG returns only the import number of a stored version.
func versionG(v []byte) uint64 {
	g, n := binary.Uvarint(v)
	if n <= 0 {
		return 0
	}
	return g
}

func decodeProv(d *dec) Provenance {
	var p Provenance
	p.ImportID = d.str()
	p.File = d.str()
	p.Sheet = d.str()
	p.Row = int(d.uvarint())
	decodeProvExt(d, &p)
	return p
}

// decodeAny decodes a stored version of the given kind into a new record. It copies v once
// (v may belong to a transaction) and the record's strings share that copy: one allocation
// for all of them rather than one each, which matters when scanning a million records.
func decodeAny(k Kind, v []byte) (record, error) {
	if _, err := verifySum(v); err != nil {
		if errors.Is(err, errSum) {
			return nil, sumError(k, v)
		}
		return nil, err
	}
	return decodeUnchecked(k, v)
}

// decodeUnchecked is decodeAny without the checksum test.
func decodeUnchecked(k Kind, v []byte) (record, error) {
	ver, err := splitVersion(bytes.Clone(v))
	if err != nil {
		return nil, err
	}
	d := dec{b: ver.body, owned: true}
	var r record
	switch k {
	case KindIncident:
		x := &Incident{}
		decodeIncidentBody(&d, x)
		r = x
	case KindStatement:
		x := &Statement{}
		decodeStatementBody(&d, x)
		r = x
	case KindTally:
		x := &Tally{}
		decodeTallyBody(&d, x)
		r = x
	default:
		return nil, fmt.Errorf("unknown kind %q", k)
	}
	if d.err != nil {
		return nil, fmt.Errorf("%s record: %w", k, d.err)
	}
	pd := dec{b: ver.rest, owned: true}
	*r.prov() = decodeProv(&pd)
	if pd.err != nil {
		return nil, fmt.Errorf("%s %s: provenance: %w", k, r.recID(), pd.err)
	}
	return r, nil
}

// sumError is errSum naming the record as far as its damaged bytes still tell its id.
func sumError(k Kind, v []byte) error {
	if r, err := decodeUnchecked(k, v); err == nil && r.recID() != "" {
		return fmt.Errorf("%s %q: %w", singular(k), r.recID(), errSum)
	}
	return fmt.Errorf("%s: %w", singular(k), errSum)
}

func decodeIncident(v []byte) (Incident, error) {
	r, err := decodeAny(KindIncident, v)
	if err != nil {
		return Incident{}, err
	}
	return *r.(*Incident), nil
}

// totals encoding for the rollup: zigzag varints. The first eight are those of the first
// version (incidents, vessels min/max, killed min/max/unknown, survivors min/max); schema 2
// appends injured min/max/unknown, survivors unknown, vessels unknown and the strikes beyond
// one per incident. An entry with only the first eight decodes with zeros for the rest (and
// so one strike per incident).
func encodeTotals(t Totals) []byte {
	e := enc{b: make([]byte, 0, 32)}
	for _, v := range []int{t.Incidents, t.VesselsMin, t.VesselsMax, t.KilledMin, t.KilledMax,
		t.KilledUnknown, t.SurvivorsMin, t.SurvivorsMax,
		t.InjuredMin, t.InjuredMax, t.InjuredUnknown, t.SurvivorsUnknown, t.VesselsUnknown, t.Strikes - t.Incidents} {
		e.varint(int64(v))
	}
	return e.b
}

func decodeTotals(b []byte) (Totals, error) {
	d := dec{b: b}
	var t Totals
	for _, p := range []*int{&t.Incidents, &t.VesselsMin, &t.VesselsMax, &t.KilledMin, &t.KilledMax,
		&t.KilledUnknown, &t.SurvivorsMin, &t.SurvivorsMax} {
		*p = int(d.varint())
	}
	extra := 0
	for _, p := range []*int{&t.InjuredMin, &t.InjuredMax, &t.InjuredUnknown, &t.SurvivorsUnknown, &t.VesselsUnknown, &extra} {
		if len(d.b) == 0 {
			break
		}
		*p = int(d.varint())
	}
	t.Strikes = t.Incidents + extra
	return t, d.err
}

// rollupDelta is a Totals in 32 bits per figure (in field order), for the change an import
// makes to one rollup entry: half the size of a Totals, which matters when a big import
// touches a million entries. One import's change to one day, theatre, actor and confidence
// stays far below 2^31.
type rollupDelta [14]int32

func (t *Totals) fields() [14]*int {
	return [14]*int{&t.Incidents, &t.Strikes, &t.VesselsMin, &t.VesselsMax, &t.VesselsUnknown, &t.KilledMin,
		&t.KilledMax, &t.KilledUnknown, &t.InjuredMin, &t.InjuredMax, &t.InjuredUnknown, &t.SurvivorsMin,
		&t.SurvivorsMax, &t.SurvivorsUnknown}
}

func (d *rollupDelta) add(t Totals) {
	for i, p := range t.fields() {
		d[i] += int32(*p)
	}
}

func (d rollupDelta) totals() Totals {
	var t Totals
	for i, p := range t.fields() {
		*p = int(d[i])
	}
	return t
}

func (t Totals) negate() Totals {
	var z Totals
	z.Merge(t)
	n := Totals{}
	n.Incidents, n.Strikes = -z.Incidents, -z.Strikes
	n.VesselsMin, n.VesselsMax, n.VesselsUnknown = -z.VesselsMin, -z.VesselsMax, -z.VesselsUnknown
	n.KilledMin, n.KilledMax, n.KilledUnknown = -z.KilledMin, -z.KilledMax, -z.KilledUnknown
	n.InjuredMin, n.InjuredMax, n.InjuredUnknown = -z.InjuredMin, -z.InjuredMax, -z.InjuredUnknown
	n.SurvivorsMin, n.SurvivorsMax, n.SurvivorsUnknown = -z.SurvivorsMin, -z.SurvivorsMax, -z.SurvivorsUnknown
	return n
}

func (t Totals) isZero() bool { return t == Totals{} }
