// Reads every cell of every sheet with SheetJS (npm "xlsx"), which loads the whole workbook
// into memory, and prints the rows and non-empty cells read. Part of bench/run.sh.
'use strict';
const XLSX = require('xlsx');

function main(file) {
  const wb = XLSX.readFile(file, { cellDates: true });
  let rows = 0;
  let cells = 0;
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (ws === undefined) {
      // SheetJS drops a sheet whose XML it could not hold, e.g. one longer than V8's
      // maximum string length (about 512 MB).
      throw new Error(`no data for sheet ${name} (sheet XML too large for SheetJS?)`);
    }
    if (!ws['!ref']) continue;
    const range = XLSX.utils.decode_range(ws['!ref']);
    rows += range.e.r - range.s.r + 1;
    for (const key in ws) {
      if (key[0] === '!') continue;
      const v = ws[key].v;
      if (v !== undefined && v !== null && v !== '') cells++;
    }
  }
  console.log(`rows=${rows} cells=${cells}`);
}

try {
  main(process.argv[2]);
} catch (err) {
  console.error(`sheetjs: ${err.message}`);
  process.exit(1);
}
