package importers

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
	"sitrep/internal/demotest"
)

func posFillOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Fill.Color) == 0 || st.Fill.Color[0] == "" {
		return ""
	}
	return "#" + strings.TrimPrefix(strings.ToUpper(st.Fill.Color[0]), "#")
}

func TestExportPositionsDemo(t *testing.T) {
	stmts := demotest.Statements(t)
	vocab := data.DefaultVocabulary()
	opts := data.MatrixOptions{AsOf: data.MustDate("2025-11-12"), Since: data.MustDate("2025-11-01")}
	m, err := data.NewMatrix(stmts, vocab, opts)
	if err != nil {
		t.Fatal(err)
	}
	tls, err := data.NewTimelines(stmts, vocab, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ExportPositions(&buf, m, PositionsExportOptions{Demo: true, Timelines: tls}); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("SITREP_CHART_OUT"); dir != "" {
		os.WriteFile(filepath.Join(dir, "positions.xlsx"), buf.Bytes(), 0o644)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{PositionsSheet, PositionsStatementsSheet, PositionsChangesSheet}) {
		t.Fatalf("sheets = %q", got)
	}
	get := func(sheet, cell string) string {
		v, err := f.GetCellValue(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := get(PositionsSheet, "A1"); v != "Positions as of 12 Nov 2025" {
		t.Errorf("title = %q", v)
	}
	if v := get(PositionsSheet, "A2"); !strings.Contains(v, "12 Nov 2025") || !strings.Contains(v, "Demo data") || !strings.Contains(v, "1 Nov 2025") {
		t.Errorf("caption = %q", v)
	}
	// Header row 4: topic column, then the actors in the matrix's order.
	var head []string
	for j := range len(m.Actors) + 1 {
		head = append(head, get(PositionsSheet, posCellName(j+1, 4)))
	}
	if want := append([]string{"Topic"}, m.Actors...); !slices.Equal(head, want) {
		t.Errorf("header = %q, want %q", head, want)
	}
	for i, topic := range m.Topics {
		if v := get(PositionsSheet, posCellName(1, 5+i)); v != topic {
			t.Errorf("row %d topic = %q, want %q", 5+i, v, topic)
		}
		for j := range m.Actors {
			c := m.Cells[i][j]
			name := posCellName(j+2, 5+i)
			v := get(PositionsSheet, name)
			if c.State == data.CellNoStatement {
				if !strings.HasPrefix(v, "no statement") || posFillOf(t, f, PositionsSheet, name) != "" {
					t.Errorf("%s (%s/%s) = %q, fill %q; want an unfilled no statement", name, c.Actor, c.Topic, v, posFillOf(t, f, PositionsSheet, name))
				}
				continue
			}
			for _, part := range []string{c.Stance, c.Date.Label(), c.Quote, "Source: " + c.Source, c.StatementID} {
				if !strings.Contains(v, part) {
					t.Errorf("%s (%s/%s) lacks %q: %q", name, c.Actor, c.Topic, part, v)
				}
			}
			if got := posFillOf(t, f, PositionsSheet, name); got != strings.ToUpper(c.Color()) {
				t.Errorf("%s fill = %q, want %q", name, got, c.Color())
			}
			if c.ChangedFrom != nil && !strings.Contains(v, "New since 1 Nov 2025") {
				t.Errorf("%s changed cell not marked: %q", name, v)
			}
		}
	}
	// Printed landscape, one page wide.
	if lo, err := f.GetPageLayout(PositionsSheet); err != nil || lo.Orientation == nil || *lo.Orientation != "landscape" ||
		lo.FitToWidth == nil || *lo.FitToWidth != 1 {
		t.Errorf("page layout = %+v, %v", lo, err)
	}
	// The legal column of the US is filled with the "defends" colour.
	us, _ := m.Cell("United States", "Legality of the strikes")
	if us.Stance != "defends" {
		t.Fatalf("US legality = %q", us.Stance)
	}

	// Statements: one row per cell with a statement (6 of 8), no earlier ones (all changes
	// in the demo are from "no statement").
	rows, err := f.GetRows(PositionsStatementsSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 {
		t.Errorf("statements sheet has %d rows, want header + 6", len(rows))
	}
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[11])
		if !strings.HasPrefix(r[14], "statements.csv, row ") {
			t.Errorf("provenance = %q", r[14])
		}
	}
	slices.Sort(ids)
	if want := []string{"ST-02", "ST-03", "ST-05", "ST-06", "ST-07", "ST-08"}; !slices.Equal(ids, want) {
		t.Errorf("statement ids = %q, want %q", ids, want)
	}

	changes, _ := f.GetRows(PositionsChangesSheet)
	if len(changes) != 2 || changes[1][1] != "United Kingdom" || changes[1][3] != "no comment" || changes[1][4] != "concerned" {
		t.Errorf("changes sheet = %q", changes)
	}
}

func TestExportPositionsChangedAndUnscored(t *testing.T) {
	stmts := []data.Statement{
		{ID: "S1", Date: data.MustDate("2025-10-01"), Actor: "UK", Topic: "T", Stance: "defends", Quote: "yes", Source: "A"},
		{ID: "S2", Date: data.MustDate("2025-11-05"), Actor: "UK", Topic: "T", Stance: "concerned", Quote: "hmm", Source: "B"},
		{ID: "S3", Date: data.MustDate("2025-11-05"), Actor: "FR", Topic: "T", Stance: "shrugs", Quote: "?", Source: "C"},
	}
	m, err := data.NewMatrix(stmts, data.DefaultVocabulary(), data.MatrixOptions{Since: data.MustDate("2025-10-15")})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ExportPositions(&buf, m, PositionsExportOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 {
		t.Errorf("sheets = %q, want no Changes sheet without timelines", got)
	}
	uk, _ := f.GetCellValue(PositionsSheet, "B5")
	if !strings.Contains(uk, "Changed since 15 Oct 2025: was defends") {
		t.Errorf("UK cell = %q", uk)
	}
	fr, _ := f.GetCellValue(PositionsSheet, "C5")
	if !strings.Contains(fr, "shrugs (unscored") || posFillOf(t, f, PositionsSheet, "C5") != "" {
		t.Errorf("FR cell = %q", fr)
	}
	caption, _ := f.GetCellValue(PositionsSheet, "A2")
	if !strings.Contains(caption, "unscored): shrugs") || strings.Contains(caption, "Demo data") {
		t.Errorf("caption = %q", caption)
	}
	rows, _ := f.GetRows(PositionsStatementsSheet)
	// UK now, UK earlier (the changed cell's statement as of the since date), FR.
	if len(rows) != 4 || rows[2][2] != "as of 2025-10-15 (earlier)" || rows[2][11] != "S1" {
		t.Errorf("statements sheet = %q", rows)
	}
}

func TestInkOn(t *testing.T) {
	for fill, want := range map[string]string{
		data.ColorSupport: "#FFFFFF", data.ColorCondemns: "#FFFFFF", data.ColorNoComment: "#1A1A1A",
		data.ColorConcerned: "#1A1A1A", "bad": "#1A1A1A",
	} {
		if got := posInkOn(fill); got != want {
			t.Errorf("posInkOn(%s) = %s, want %s", fill, got, want)
		}
	}
}
