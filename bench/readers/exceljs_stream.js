// Reads every cell of every sheet with exceljs's streaming WorkbookReader and prints the rows
// and non-empty cells read. Part of bench/run.sh.
'use strict';
const ExcelJS = require('exceljs');

async function main(file) {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache', // needed to see date cells as dates
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let rows = 0;
  let cells = 0;
  for await (const ws of reader) {
    for await (const row of ws) {
      rows++;
      const vals = row.values; // sparse, 1-based
      for (let i = 1; i < vals.length; i++) {
        if (vals[i] !== undefined && vals[i] !== null && vals[i] !== '') cells++;
      }
    }
  }
  console.log(`rows=${rows} cells=${cells}`);
}

main(process.argv[2]).catch((err) => {
  console.error(`exceljs_stream: ${err.message}`);
  process.exit(1);
});
