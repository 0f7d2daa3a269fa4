// Command excelizerows reads every cell of every sheet of a workbook with excelize's streaming
// f.Rows and raw cell values, and prints the rows and non-empty cells it read. It is the
// "excelize alone" baseline of bench/run.sh: what reading costs before Sitrep parses anything.
package main

import (
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: excelizerows FILE.xlsx")
		os.Exit(2)
	}
	rows, cells, err := readAll(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "excelizerows: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("rows=%d cells=%d\n", rows, cells)
}

func readAll(path string) (nrows, ncells int, err error) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return 0, 0, fmt.Errorf("sheet %s: %w", sheet, err)
		}
		for rows.Next() {
			cols, err := rows.Columns()
			if err != nil {
				rows.Close()
				return 0, 0, fmt.Errorf("sheet %s: %w", sheet, err)
			}
			nrows++
			for _, c := range cols {
				if c != "" {
					ncells++
				}
			}
		}
		if err := rows.Close(); err != nil {
			return 0, 0, err
		}
	}
	return nrows, ncells, nil
}
