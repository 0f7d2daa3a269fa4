package xlsxfast

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// fakeRows is a SheetRows producing numbered rows, failing after failAt rows
// when failAt > 0, endless when limit < 0.
type fakeRows struct {
	limit, failAt int
	n             int
	nextCalls     atomic.Int64
	closed        atomic.Bool
	err           error
}

var errFake = errors.New("fake read error")

func (f *fakeRows) Next() bool {
	f.nextCalls.Add(1)
	if f.closed.Load() {
		panic("Next after Close")
	}
	if f.failAt > 0 && f.n == f.failAt {
		f.err = errFake
		return false
	}
	if f.limit >= 0 && f.n >= f.limit {
		return false
	}
	f.n++
	return true
}

func (f *fakeRows) Row() (int, []string) {
	return 2 * f.n, []string{fmt.Sprint(f.n), "x"}
}
func (f *fakeRows) Err() error { return f.err }
func (f *fakeRows) Close() error {
	f.closed.Store(true)
	return nil
}

// TestPrefetchIdentical checks that Prefetch yields exactly the rows of the
// reader it wraps, for several chunk sizes, on a real workbook.
func TestPrefetchIdentical(t *testing.T) {
	p := filepath.Join(t.TempDir(), "incidents.xlsx")
	if err := writeIncidentWorkbook(p, 2500); err != nil {
		t.Fatal(err)
	}
	wb, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	want, err := fastRows(wb, "Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{0, 1, 7, 1000, 5000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			rs, err := wb.Rows("Sheet1")
			if err != nil {
				t.Fatal(err)
			}
			pf := Prefetch(rs, size)
			got, err := collect(pf)
			if err != nil {
				t.Fatal(err)
			}
			if err := pf.Close(); err != nil {
				t.Fatal(err)
			}
			if d := firstDiff(want, got); d != "" {
				t.Fatal(d)
			}
			if pf.Next() {
				t.Error("Next after Close returned true")
			}
		})
	}
}

// TestPrefetchEarlyClose checks that closing before the end stops the
// reading goroutine, closes the source and calls nothing on it afterwards.
func TestPrefetchEarlyClose(t *testing.T) {
	before := runtime.NumGoroutine()
	src := &fakeRows{limit: -1}
	pf := Prefetch(src, 16)
	for i := 1; i <= 40; i++ {
		if !pf.Next() {
			t.Fatalf("Next false at row %d: %v", i, pf.Err())
		}
		n, cells := pf.Row()
		if n != 2*i || cells[0] != fmt.Sprint(i) {
			t.Fatalf("row %d: got %d %q", i, n, cells)
		}
	}
	if err := pf.Close(); err != nil {
		t.Fatal(err)
	}
	if err := pf.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if !src.closed.Load() {
		t.Fatal("source not closed")
	}
	calls := src.nextCalls.Load()
	runtime.Gosched()
	if src.nextCalls.Load() != calls {
		t.Fatal("source read after Close")
	}
	// The source never reads more than the chunks in flight ahead.
	if calls > 40+3*16+1 {
		t.Errorf("source read %d rows ahead of 40 consumed", calls)
	}
	waitGoroutines(t, before)
}

// TestPrefetchError checks that the source's error arrives after its rows.
func TestPrefetchError(t *testing.T) {
	pf := Prefetch(&fakeRows{limit: -1, failAt: 37}, 10)
	defer pf.Close()
	rows, err := collect(pf)
	if !errors.Is(err, errFake) {
		t.Fatalf("Err() = %v, want errFake", err)
	}
	if len(rows) != 37 || rows[36].Num != 74 {
		t.Fatalf("%d rows, last %v", len(rows), rows[len(rows)-1])
	}
}

// TestRowsEarlyClose checks that closing a sheet mid-way stops the
// inflating goroutine.
func TestRowsEarlyClose(t *testing.T) {
	p := filepath.Join(t.TempDir(), "incidents.xlsx")
	if err := writeIncidentWorkbook(p, 20000); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	wb, err := Open(p, Options{BufferSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := wb.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	pf := Prefetch(rs, 64)
	for i := 0; i < 100 && pf.Next(); i++ {
	}
	if err := pf.Close(); err != nil {
		t.Fatal(err)
	}
	if err := wb.Close(); err != nil {
		t.Fatal(err)
	}
	waitGoroutines(t, before)
}

// waitGoroutines waits until no more goroutines run than before (exiting
// goroutines may need to be scheduled once more).
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	for range 2000 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
}
