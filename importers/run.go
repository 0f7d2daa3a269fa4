package importers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"sitrep/data"
)

// Sink receives the records of one file's import, all or nothing; *data.Batch satisfies it.
// A record passed to a Put method is only valid during the call (Run reuses it): a Sink
// that keeps it keeps a copy, as *data.Batch does.
// Run commits it when the file was read (rows with problems are skipped and listed), and
// aborts it when the file fails: an I/O error, a cancel, or any problem under Strict.
type Sink interface {
	PutIncident(r *data.Incident) error
	PutStatement(r *data.Statement) error
	PutTally(r *data.Tally) error
	Commit() (data.ImportResult, error)
	Abort() error
}

// abortSink aborts sink, telling it why when it can keep the reason (data.Batch keeps it in
// the import log, so the Imports list says why the import failed).
func abortSink(sink Sink, why error) error {
	if errors.Is(why, context.Canceled) {
		why = errors.New("cancelled before it finished")
	}
	if b, ok := sink.(interface{ AbortBecause(error) error }); ok {
		return b.AbortBecause(why)
	}
	return sink.Abort()
}

// *data.Batch is the Sink the CLI and the GUI use.
var _ Sink = (*data.Batch)(nil)

// Progress is told how many data rows have been read so far. Run calls it from its own
// goroutine (a GUI must hop to its main thread).
type Progress func(rowsRead int)

// ErrNothingToImport is wrapped by the error of a file none of whose sheets is recognised.
var ErrNothingToImport = errors.New("has no sheet Sitrep recognises as incidents, statements or tallies")

// ErrStrict is wrapped by the error of a file rejected under Options.Strict.
var ErrStrict = errors.New("rejected because rows have problems (--strict)")

// rawRow is a row handed from the reading goroutine to the parsing one.
type rawRow struct {
	num   int
	cells []string
}

// chunk is a batch of rows of one sheet, or the end of a sheet, or an error.
type chunk struct {
	sheet int
	rows  []rawRow
	end   bool
	err   error
	bad   []csvBadRow
	// damage names cells the workbook contradicts (a missing shared string): read as empty.
	damage []string
}

const chunkRows = 512

// maxParked bounds the rows held back while a date column's day/month order is unknown; past
// it the order is assumed.
const maxParked = 200000

// seenID remembers where an id was first read, for duplicate detection.
type seenID struct {
	sheet   uint16
	natural bool // the id is a natural id (from the row's content, not an id column)
	row     int32
	content packedContent
}

// runState is the state of one Run across sheets.
type runState struct {
	p       *Plan
	sink    Sink
	report  *FileReport
	seen    *idTable
	repeats map[uint64]int32 // natural keys read more than once: how many repeats so far
	strict  bool
	dry     bool
	failed  bool // a row was rejected under strict: stop writing
	written int
}

// Run reads every selected sheet of the plan, turns rows into records, writes them to sink and
// commits it. Reading runs in its own goroutine, parsing and writing in the caller's, so that
// storing overlaps reading. On an I/O error, a cancel or (with Strict) any rejected row, Run
// aborts the sink and returns the report with Status "failed" and the error. A nil sink reads
// and reports only, counting every record it would write as inserted. For a dry run, pass a
// sink that writes nothing (a batch begun with ImportInfo.DryRun).
func Run(ctx context.Context, p *Plan, sink Sink, progress Progress) (*FileReport, error) {
	rep := &FileReport{Path: p.Path, Status: StatusImported, DryRun: p.opts.DryRun, csv: p.Format == FormatCSV}
	if strings.HasPrefix(p.Encoding, legacyEncoding) || strings.HasPrefix(p.Encoding, "UTF-16") || strings.HasSuffix(p.Encoding, nulNote) {
		rep.Encoding = p.Encoding
	}
	if idr, ok := sink.(interface{ ID() string }); ok && !p.opts.DryRun {
		rep.ImportID = idr.ID()
	}
	if p.src == nil {
		err := fmt.Errorf("%s: the plan is closed", p.File)
		rep.fail(err)
		return rep, err
	}
	// The id table is sized from the sheets' estimated rows (their <dimension>), so that it
	// does not grow and rehash a million entries at a time.
	hint := 0
	for _, sp := range p.Sheets {
		if !sp.Skip && sp.Kind != KindIgnored && sp.Kind != "" {
			hint += sp.RowsEstimate
		}
	}
	hint = min(hint, 4<<20)
	st := &runState{p: p, sink: sink, report: rep, seen: newIDTable(hint), repeats: map[uint64]int32{},
		strict: p.opts.Strict, dry: sink == nil}
	var work []int
	for i, sp := range p.Sheets {
		sr := &SheetReport{Name: sp.Name, Kind: string(sp.Kind), HeaderRow: sp.HeaderRow, Mapping: sp.MappingByHeader(), Ignored: []string{},
			Problems: []Problem{}, Note: sp.Note, Hidden: sp.Hidden, Remembered: sp.Remembered}
		rep.Sheets = append(rep.Sheets, sr)
		if sp.Skip {
			sr.Kind = string(KindIgnored)
			continue
		}
		if sp.Kind == KindIgnored || sp.Kind == "" {
			continue
		}
		work = append(work, i)
	}
	var err error
	if len(work) == 0 {
		hint := "map its columns with --map FIELD=HEADER"
		for _, sp := range p.Sheets {
			if sp.Hidden && sp.Skip {
				hint += ", or read a hidden sheet with --sheet NAME"
				break
			}
		}
		err = &FileError{File: p.File, Err: ErrNothingToImport, Detail: hint}
	} else {
		err = st.run(ctx, work, progress)
	}
	if err == nil && st.strict && rep.Rejected() > 0 {
		err = fmt.Errorf("%s %w: %d rejected", p.File, ErrStrict, rep.Rejected())
	}
	if err != nil {
		if sink != nil {
			if aerr := abortSink(sink, err); aerr != nil {
				err = fmt.Errorf("%w (and undoing failed: %v)", err, aerr)
			}
		}
		rep.fail(err)
		return rep, err
	}
	for _, s := range rep.Sheets {
		s.Rejected = s.rejected
	}
	if sink == nil {
		rep.setWouldWrite()
		return rep, nil
	}
	res, err := sink.Commit()
	if err != nil {
		err = fmt.Errorf("%s: %w", p.File, err)
		rep.fail(err)
		return rep, err
	}
	rep.SetCounts(res.BySheet)
	return rep, nil
}

func (st *runState) run(ctx context.Context, work []int, progress Progress) error {
	if len(work) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan chunk, 8)
	go st.read(ctx, work, ch)
	read := 0
	var parsers = map[int]*sheetParser{}
	var parked = map[int][]rawRow{}
	for c := range ch {
		if c.err != nil {
			cancel()
			for range ch {
			}
			return c.err
		}
		if err := ctx.Err(); err != nil {
			cancel()
			for range ch {
			}
			return fmt.Errorf("%s: import cancelled: %w", st.p.File, err)
		}
		sp := st.p.Sheets[c.sheet]
		sr := st.report.Sheets[c.sheet]
		sh := parsers[c.sheet]
		if sh == nil {
			sh = newSheetParser(st.p, sp)
			parsers[c.sheet] = sh
		}
		for _, rr := range c.rows {
			sr.Rows++
			read++
			if err := st.handle(sh, sr, c.sheet, rr, parked); err != nil {
				cancel()
				for range ch {
				}
				return err
			}
		}
		if len(parked[c.sheet]) > maxParked {
			st.assumeOrders(sh)
			if err := st.flush(sh, sr, c.sheet, parked); err != nil {
				cancel()
				for range ch {
				}
				return err
			}
		}
		for _, d := range c.damage {
			st.report.Warnings = append(st.report.Warnings, "sheet "+sr.Name+": "+d)
		}
		for _, b := range c.bad {
			sr.add(Problem{Row: b.row, Value: "", Message: "the line could not be read as CSV: " + b.err.Error(), Level: LevelError})
			sr.Rows++
		}
		if c.end {
			st.assumeOrders(sh)
			if err := st.flush(sh, sr, c.sheet, parked); err != nil {
				cancel()
				for range ch {
				}
				return err
			}
			sr.DateOrder = sh.orderSummary()
			sh.rules(sr)
		}
		if progress != nil && len(c.rows) > 0 {
			progress(read)
		}
	}
	// The reader stops early, without an error, when the context is done.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: import cancelled: %w", st.p.File, err)
	}
	return nil
}

// read is the reading goroutine: it streams each sheet's rows after the header in chunks.
func (st *runState) read(ctx context.Context, work []int, ch chan<- chunk) {
	defer close(ch)
	for _, si := range work {
		sp := st.p.Sheets[si]
		rows, err := st.p.src.rows(sp.Name)
		if err != nil {
			ch <- chunk{err: fmt.Errorf("%s: sheet %s: %w", st.p.File, sp.Name, err)}
			return
		}
		buf := make([]rawRow, 0, chunkRows)
		for rows.Next() {
			num, cells := rows.Row()
			if num <= sp.HeaderRow || num == sp.TagRow {
				continue
			}
			buf = append(buf, rawRow{num: num, cells: slices.Clone(cells)})
			if len(buf) == chunkRows {
				select {
				case ch <- chunk{sheet: si, rows: buf}:
				case <-ctx.Done():
					rows.Close()
					return
				}
				buf = make([]rawRow, 0, chunkRows)
			}
		}
		err = rows.Err()
		var bad []csvBadRow
		if cr, ok := rows.(*csvRows); ok {
			bad = cr.badRows
		}
		var damage []string
		if d, ok := rows.(interface{ Damage() []string }); ok {
			damage = d.Damage()
		}
		if cerr := rows.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			ch <- chunk{err: fmt.Errorf("%s: sheet %s: %w", st.p.File, sp.Name, err)}
			return
		}
		select {
		case ch <- chunk{sheet: si, rows: buf, end: true, bad: bad, damage: damage}:
		case <-ctx.Done():
			return
		}
	}
}

// handle parses one row; a row whose date order is not yet known is parked until it is.
func (st *runState) handle(sh *sheetParser, sr *SheetReport, si int, rr rawRow, parked map[int][]rawRow) error {
	before := sh.unsettled()
	r := sh.parse(rr.num, rr.cells)
	if r.pending {
		parked[si] = append(parked[si], rr)
	} else if err := st.emit(sh, sr, si, r); err != nil {
		return err
	}
	if before > 0 && sh.unsettled() < before && len(parked[si]) > 0 {
		return st.flush(sh, sr, si, parked)
	}
	return nil
}

// flush re-parses parked rows now that an order is known.
func (st *runState) flush(sh *sheetParser, sr *SheetReport, si int, parked map[int][]rawRow) error {
	rows := parked[si]
	parked[si] = nil
	for _, rr := range rows {
		r := sh.parse(rr.num, rr.cells)
		if r.pending {
			parked[si] = append(parked[si], rr)
			continue
		}
		if err := st.emit(sh, sr, si, r); err != nil {
			return err
		}
	}
	return nil
}

// unsettled counts the date columns whose order is still unknown.
func (sh *sheetParser) unsettled() int {
	n := 0
	for _, o := range sh.orders {
		if o.order == DateOrderAuto {
			n++
		}
	}
	return n
}

// assumeOrders settles every unknown order as day-first (the documented default).
func (st *runState) assumeOrders(sh *sheetParser) {
	for _, o := range sh.orders {
		if o.order == DateOrderAuto {
			o.order = DateOrderDayFirst
			o.source = "assumed: no value settles it; pass --month-first if wrong"
		}
	}
}

// orderSummary describes the date orders used, for the report.
func (sh *sheetParser) orderSummary() string {
	s := ""
	for _, f := range []Field{FieldDate, FieldDateEnd, FieldAsOf} {
		c, ok := sh.col[f]
		if !ok {
			continue
		}
		o := sh.orders[c]
		if o == nil || o.source == "" || o.numeric == 0 {
			continue
		}
		if s != "" {
			s += "; "
		}
		s += fmt.Sprintf("%s: %s (%s)", oneLineText(sh.sp.Header(c)), o.order, o.source)
	}
	return s
}

// emit gives a parsed row its id, checks duplicates and writes it.
func (st *runState) emit(sh *sheetParser, sr *SheetReport, si int, r *rowResult) error {
	for _, p := range r.problems {
		sr.add(p)
	}
	if r.rejected {
		sr.rejected++
		st.failed = st.failed || st.strict
		return nil
	}
	id := r.recordID()
	var h uint64
	checked := false // h was looked up in st.seen and not found
	if !r.idFromColumn {
		// The n-th repeat of a natural key gets occurrence n in its id. Whether the key was
		// read before shows in the table of ids: its first occurrence's id is there, from a
		// natural row. Only repeated keys are counted, in a small map.
		prefix := idPrefix(sh.kind)
		id = naturalID(prefix, r.natural, 0)
		h = idHash(sh.kind, id)
		if prev, ok := st.seen.get(h); !ok {
			checked = true // most rows: a new key, whose id is not in the table
		} else {
			// repeats counts the key's rows after the first; when the first occurrence's id was
			// taken by an id column's value, it counts them all.
			k := fnv64a(r.natural)
			c := st.repeats[k]
			st.repeats[k] = c + 1
			n := c
			if prev.natural {
				n++
			}
			if n > 0 {
				id = naturalID(prefix, r.natural, int(n))
				h = idHash(sh.kind, id)
			}
		}
		r.setID(id)
	} else {
		h = idHash(sh.kind, id)
	}
	var prev seenID
	dup := false
	if !checked {
		prev, dup = st.seen.get(h)
	}
	if dup {
		where := fmt.Sprintf("row %d", prev.row)
		if !sh.sp.csv {
			where = fmt.Sprintf("sheet %s, row %d", st.p.Sheets[prev.sheet].Name, prev.row)
		}
		idCol := -1
		if c, ok := sh.col[FieldID]; ok {
			idCol = c
		}
		var diff []string
		for i, part := range contentParts[sh.kind] {
			a, b := prev.content.part(i), r.content.part(i)
			if part != "" && a != 0 && b != 0 && a != b {
				diff = append(diff, part)
			}
		}
		if len(diff) == 0 {
			sh.problem(r, idCol, id, LevelNote, "the same record as %s; skipped", where)
			sr.add(r.problems[len(r.problems)-1])
			sr.Duplicates++
			return nil
		}
		sh.problem(r, idCol, id, LevelError, "id already read from %s with a different %s; this row is skipped", where, strings.Join(diff, " and "))
		sr.add(r.problems[len(r.problems)-1])
		sr.rejected++
		st.failed = st.failed || st.strict
		return nil
	}
	st.seen.put(h, seenID{sheet: uint16(si), natural: !r.idFromColumn, row: int32(r.row), content: r.content})
	sr.written++
	if st.dry || st.failed {
		return nil
	}
	var err error
	switch {
	case r.incident != nil:
		err = st.sink.PutIncident(r.incident)
	case r.statement != nil:
		err = st.sink.PutStatement(r.statement)
	case r.tally != nil:
		err = st.sink.PutTally(r.tally)
	}
	if err != nil {
		if errors.Is(err, data.ErrInvalid) || errors.Is(err, data.ErrDuplicateID) {
			sr.written--
			sr.rejected++
			sr.add(Problem{Row: r.row, Value: id, Message: err.Error(), Level: LevelError})
			st.failed = st.failed || st.strict
			return nil
		}
		return fmt.Errorf("%s: sheet %s, row %d: writing: %w", st.p.File, sh.sp.Name, r.row, err)
	}
	st.written++
	return nil
}

// idPrefix starts the natural ids of a kind.
func idPrefix(k data.Kind) string {
	switch k {
	case data.KindStatement:
		return "st"
	case data.KindTally:
		return "tal"
	}
	return "inc"
}

// fnv64a is hash/fnv's 64-bit FNV-1a of s, without allocating.
func fnv64a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func (r *rowResult) recordID() string {
	switch {
	case r.incident != nil:
		return r.incident.ID
	case r.statement != nil:
		return r.statement.ID
	case r.tally != nil:
		return r.tally.ID
	}
	return ""
}

func (r *rowResult) setID(id string) {
	switch {
	case r.incident != nil:
		r.incident.ID = id
	case r.statement != nil:
		r.statement.ID = id
	case r.tally != nil:
		r.tally.ID = id
	}
}
