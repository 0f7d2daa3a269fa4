package importers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"sitrep/data"
)

// RecordSource is what the record exports read: *data.Store satisfies it.
type RecordSource interface {
	ForEachIncident(f data.Filter, fn func(*data.Incident) error) error
	Statements(f data.Filter) ([]data.Statement, error)
	Tallies(f data.Filter) ([]data.Tally, error)
}

var _ RecordSource = (*data.Store)(nil)

// RecordKinds are the kinds of record an export holds by default, in the order of a
// workbook's sheets: the records themselves, which an import of the workbook brings back.
var RecordKinds = []data.Kind{data.KindIncident, data.KindStatement, data.KindTally}

// RecordTable reads the records of kind k that f selects from src, as the table an export
// writes (one sheet of a workbook, or a CSV file). Filters apply as data.Filter defines:
// a theatre selects incidents and tallies, not statements.
func RecordTable(src RecordSource, k data.Kind, f data.Filter) (Table, error) {
	switch k {
	case data.KindIncident:
		return IncidentTable(func(fn func(*data.Incident) error) error { return src.ForEachIncident(f, fn) })
	case data.KindStatement:
		rs, err := src.Statements(f)
		return StatementTable(rs), err
	case data.KindTally:
		rs, err := src.Tallies(f)
		return TallyTable(rs), err
	}
	return Table{}, fmt.Errorf("cannot export %s", k)
}

// ExportRecords writes the records of kinds that f selects as an xlsx workbook (format
// "xlsx": one sheet per kind) or a CSV file ("csv": one kind), and returns how many records
// of each kind it wrote. An import that changes the store meanwhile makes it fail with
// ErrChanged.
func ExportRecords(ctx context.Context, src RecordSource, format string, kinds []data.Kind, f data.Filter, w io.Writer) (map[data.Kind]int, error) {
	if format == "csv" && len(kinds) != 1 {
		return nil, fmt.Errorf("a CSV file holds one kind of record, not %d", len(kinds))
	}
	var tables []Table
	counts := map[data.Kind]int{}
	for _, k := range kinds {
		if !slices.Contains(RecordKinds, k) {
			return nil, fmt.Errorf("cannot export %s", k)
		}
		t, err := RecordTable(src, k, f)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", k, err)
		}
		counts[k] += t.Len
		tables = append(tables, t)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	var err error
	switch format {
	case "csv":
		err = WriteCSV(w, tables[0])
	case "xlsx":
		err = WriteXLSX(w, tables...)
	default:
		err = fmt.Errorf("unknown export format %q", format)
	}
	if errors.Is(err, ErrChanged) {
		err = fmt.Errorf("%w (an import ran meanwhile); export again", err)
	}
	return counts, err
}
