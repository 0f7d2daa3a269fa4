package xlsxfast_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"sitrep/importers/xlsxfast"
)

// Example shows the intended use in the importer: the fast reader, falling
// back to excelize for a sheet it does not understand, read ahead in a
// second goroutine while the caller parses and stores.
func Example() {
	dir, _ := os.MkdirTemp("", "xlsxfast-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "incidents.xlsx")
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Date", "Country", "Killed"})
	f.SetSheetRow("Sheet1", "A3", &[]any{45000, "Yemen", 4})
	if err := f.SaveAs(path); err != nil {
		log.Fatal(err)
	}
	f.Close()

	wb, err := xlsxfast.Open(path, xlsxfast.Options{})
	if err != nil {
		log.Fatal(err) // the importer falls back to excelize for the whole file
	}
	defer wb.Close()
	for _, sheet := range wb.Sheets() {
		rows, err := wb.Rows(sheet)
		if err != nil {
			log.Fatal(err) // the importer falls back to excelize for the sheet
		}
		slow := func() (xlsxfast.SheetRows, error) {
			return nil, fmt.Errorf("the importer opens its excelize row source here")
		}
		src := xlsxfast.Prefetch(xlsxfast.WithFallback(rows, slow, log.Printf), 1024)
		for src.Next() {
			num, cells := src.Row()
			fmt.Println(num, cells)
		}
		if err := src.Err(); err != nil {
			log.Fatal(err)
		}
		src.Close()
	}
	fmt.Println("1904 dates:", wb.Date1904())
	// Output:
	// 1 [Date Country Killed]
	// 3 [45000 Yemen 4]
	// 1904 dates: false
}
