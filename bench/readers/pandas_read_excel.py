"""Reads every sheet into DataFrames with pandas.read_excel (openpyxl engine) and prints the
rows and non-empty cells read (header row included). Part of bench/run.sh; run with Debian's
/usr/bin/python3."""
import sys

import pandas as pd


def main(path):
    frames = pd.read_excel(path, sheet_name=None)
    rows = cells = 0
    for df in frames.values():
        rows += len(df) + 1
        cells += int(df.count().sum()) + len(df.columns)
    print(f"rows={rows} cells={cells}")


if __name__ == "__main__":
    main(sys.argv[1])
