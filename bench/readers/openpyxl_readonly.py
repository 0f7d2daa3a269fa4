"""Reads every cell of every sheet with openpyxl in read-only mode (values only) and prints
the rows and non-empty cells read. Part of bench/run.sh; run with Debian's /usr/bin/python3."""
import sys

import openpyxl


def main(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            rows += 1
            cells += sum(1 for v in row if v is not None and v != "")
    wb.close()
    print(f"rows={rows} cells={cells}")


if __name__ == "__main__":
    main(sys.argv[1])
