// Package importers reads messy Excel and CSV files into Sitrep records, with an audit of
// every row: what was read, how, and what could not be.
//
// # How a file flows through
//
//	detect -> read -> classify -> map -> parse -> write
//
// Detect (detect.go) looks at the first bytes, not the extension: a zip is an .xlsx/.xlsm
// (an .ods zip, a zip without a workbook, a truncated zip are refused); an OLE2 container is
// an encrypted workbook when it holds the EncryptionInfo and EncryptedPackage streams
// ("is password-protected; pass --password"; Options.Password opens it through excelize),
// and a legacy .xls otherwise ("save it as .xlsx"); text is CSV unless it is named like a
// workbook. Before excelize opens a zip, prescanZip bounds what it may unpack to (total size,
// per-part size, compression ratio, part count: zip bombs) and refuses any XML part that
// declares a DOCTYPE or ENTITY (entity bombs). A plain workbook is then opened with xlsxfast
// (a byte-level streaming reader of worksheet XML and shared strings, differentially tested
// against excelize), which also gives the sheet list, visibility and the 1904 flag; excelize
// is opened only when xlsxfast cannot open the workbook, or meets XML it does not handle in a
// sheet (it then takes over mid-sheet, skipping the rows already read), and for encrypted
// workbooks, which it decrypts. It opens with UnzipSizeLimit and UnzipXMLSizeLimit set, so big
// sheets stream from temporary files. Why excelize took over goes to Options.Debugf, or to
// stderr with SITREP_DEBUG=1.
// Refusals are *FileError values naming the file and wrapping a sentinel (ErrLegacyExcel,
// ErrODS, ErrPasswordRequired, ErrWrongPassword, ErrCorrupt, ErrEmpty, ErrHostile,
// ErrUnsupported).
//
// Read (rowsource.go, csv.go, workbook.go) goes through the SheetRows interface, so that a
// faster reader replaces excelize's without touching the rest. The excelize reader uses
// f.Rows with raw cell values and always closes rows and file; rows are ragged, and every
// index is guarded. Merged ranges are found by scanning the sheet XML for mergeCell elements
// (without loading the sheet) and the top-left value is copied into the range's other cells,
// so a date merged down three rows dates all three. Formulas give their cached values; error
// cells (#N/A, #DIV/0!) come through as text and become problems where a value is needed;
// rich text and inline strings are plain text. The workbook's 1904 flag is read for serial
// dates. Hidden sheets are skipped (and said) unless Options.IncludeHidden or --sheet names
// them. CSV may be UTF-8 with or without BOM, or UTF-16 LE/BE with BOM; the delimiter
// (comma, semicolon, tab, pipe) is the one that splits the first lines most consistently;
// quoted line breaks are kept; bare quotes switch the reader to lazy quoting. CSV rows are
// numbered by record, as Excel numbers them.
//
// Classify and map (header.go, plan.go): Inspect scans the first 30 non-empty rows of each
// sheet for the row whose cells map best to a kind (incidents, statements or tallies), so the
// header need not be row 1; a group row above it may be stacked onto it ("Killed" over
// "min | max"); an HXL tag row under it ("#date", "#affected+killed") is skipped and maps the
// columns the headers left. Headers are compared after Normalize (lower case, every run of
// punctuation or space one space) against synonyms per kind, best first; parenthesised
// parts are dropped as a fallback ("Date (MM-DD-YYYY)" is a date, and says month first).
// Count columns are recognised generically: min/minimum/max/maximum words and filler words
// (people, total, number of, reported) are removed before the rest is looked up, so "Minimum
// total people killed" is killed_min; "Minimum civilians reported killed" is read by meaning
// (below) as the lowest figure of the category "civilians".
//
// # Reading a header by meaning (meaning.go, content.go)
//
// The columns of an incident sheet that no synonym maps are read as words, the way an analyst
// reads a header. A header is split into words at spaces, punctuation, case changes and digits
// ("SideADeaths": side a deaths; "StartYear1": start year 1; parenthesised parts dropped), and
// each word is one of:
//
//   - a measure: killed (killed, deaths, dead, died, fatalities, deceased; Spanish muertos,
//     muertes, fallecidos, asesinados; French tués, morts, décès), injured (injured, wounded,
//     heridos, lesionados, blessés), missing (missing, desaparecidos, disparus), survivors
//     (survivors, rescued, sobrevivientes, survivants); and "victims" (víctimas, victimes), a
//     weak word: it counts the dead only when no column names them more precisely (beside
//     "fatalities", "total_victims" is the dead and the injured together, and is left alone);
//   - an end of a range: min (min, minimum, low, lowest), max (max, maximum, high, highest),
//     best (best, estimate), total (total, sum, all, overall);
//   - filler that says nothing (people, number of, reported, casualties, de, des...);
//   - anything else: the population or side counted (civilians, children, side A, unknown).
//
// A measure alone (or with "total"/"best") is the figure; with min/max it is that end of the
// figure's range; with a population it is a category ("killed/civilians"; a lone letter is a
// side: "deaths_a" is "side A"). A header that is only population words ("Civilians") is a
// category of killed when the sheet has a killed column. A bare end word ("low", "best",
// "high", as UCDP writes them) belongs to the sheet's one measure: best is the figure (or a
// "best estimate" category when the measure has its own column), low and high are kept as
// "lowest estimate" and "highest estimate" beside it, never summed. Words such as ratio,
// percent, rate, average, code or id make a header something other than a count. Other
// words read by meaning: a count of events (strikes, raids, attacks, events, blasts, casos;
// plural, or with "number of": "No_of_Strike"; a bare "number" too) weights the row in strike
// counts; administrative levels (province, state, governorate, departamento, division:
// admin1; district, county, municipio, municipality, commune: admin2); date parts (year, año,
// année; month, mes, mois; day, día, jour; start/end, with an episode number, of which only
// the first is read), used when no column holds whole dates; a weekday column is never a
// date. Spanish and French date and country headers (fecha, fecha hecho, pais, pays) are
// synonyms.
//
// Numeric content confirms or vetoes (checkContent, over the preview rows): a column read as
// a count by its words whose values are mostly not numbers is unmapped ("type_of_casualty":
// "Fatality"); a count of events that runs 1, 2, 3 is a row number; a date column whose
// values would put most rows in 1900 or before 1800 (a "Day" column of day-of-month numbers
// read as Excel serials) is not a date column, and date parts are looked for instead; a
// column of Hijri dates is said to be left as text. A date series without places whose killed
// column never decreases over at least 8 rows is a running total: the sheet becomes tallies
// (as of the date, claimant from the header's parentheses, "Civilian casualties(OHCHR)", else
// the file's name). A sheet that names casualties in a header ("casualty_id",
// "type_of_casualty") but has no count column is one person per row: each row counts one
// death, or one injured or missing when that column says so (SheetPlan.PerRow; clear it to
// import the rows without a figure).
//
// HXL tag rows decide before any header: a column whose tag Sitrep knows (#date, #date+end,
// #date+year, #country+name, #adm1+name, #adm2+name, #loc+name, #geo+lat, #geo+lon,
// #geo+coord, #affected+killed, #affected+injured, #affected+missing (with a population
// attribute, a category), #event+id, #org, #description, #meta+source) takes that field; a
// column with a tag Sitrep does not use (#region+name, #group+name) is not guessed from its
// header; untagged columns are read from their headers.
//
// The casualty rule, per measure: when the measure has its own column (the total) and
// categories, the total is the figure and the categories are kept on the record
// (data.Incident.Casualties); the audit says in how many rows the total is at least each
// category and equals their sum. When there are only categories (deaths per side), they are
// disjoint and the figure is their sum; a row where some category is unknown gets the sum of
// the known ones as a minimum. Codebook codes in count columns (negative numbers such as -7,
// -8, -9, and 999 or 9999) are unknown, never figures; the audit names the values and how
// many cells held them. A min greater than its max is read as the max, with a note.
// Incidents with no theatre take their country, else their admin1, else their admin2 as
// theatre, so that a file with only a province column groups by province; Options.Set
// (--set theatre=Yemen) gives every row of a file a theatre, country or admin1.
//
// A kind is chosen only when its required columns are there (incidents: a date and a place,
// target or figure; statements: a date, an actor and a stance, quote, speaker or topic;
// tallies: an as-of date, a claimant and a figure). The canonical headers of the demo data
// map with no configuration. Options.Map (--map field=Header or field=C), Options.Sheets
// (--sheet) and SheetPlan.SetKind/SetMapping override; Plan.RememberMappings stores a changed
// mapping in the store's settings under a hash of the normalised header row, and the next
// file with the same layout is mapped that way. Columns that map to no field go to the
// record's Extra map under their header (made unique: "location (column H)"), so nothing is
// lost; coordinates that cannot be read are kept there too. An incident with no theatre
// takes its country as theatre, so that per-country strike lists chart by country.
//
// Parse (dates.go, counts.go, parse.go) turns cells into values:
//
//   - Dates: a 4-digit number from 1000 to 2200 is a year; other numbers are Excel serials
//     (with the 1904 flag); ISO dates with or without a time and zone keep the date as
//     written; text dates are tokenised ("9-Aug-22", "Aug 9, 2022", "Tuesday, 2 September
//     2025", "March 2020", "2020"), with ranges on an en dash, em dash, hyphen or "to"
//     ("March 15–17, 2020", "May 29–June 3, 2018", "15-17 March 2020", "Dec 30 – Jan 2,
//     2020") giving Date and DateEnd. Month-only and year-only dates keep their precision.
//     Two-digit years follow Excel: 00-29 are 2000-2029, 30-99 are 1930-1999.
//   - The date-order rule: numeric dates (05/06/2018) are read per column. An order given
//     by the user (--day-first, --month-first) wins; else a header that names it ("Date
//     (MM-DD-YYYY)"); else the first value that settles it: a number above 12 in the first
//     place means day first, in the second place month first. Rows whose date could be
//     either way round wait (in memory, up to 200,000 rows) until the order is settled; if
//     nothing settles it by the end of the sheet, day-first is assumed. The audit says which
//     order each date column used and why; values that contradict it are problems that say
//     so ("month 14 does not exist (the column reads month-first: from the header ...)").
//   - Counts (data.Count ranges): "3", " 1,234 ", "3.0" are exact; "2-4", "2–4", "2 to 4",
//     "between 2 and 4" are ranges; "10+", "10 or more", "at least 10" are {10, unknown};
//     "more than 70", "over 70", ">70" are {71, unknown}; "up to 5" is {unknown, 5}, "fewer
//     than 5" {unknown, 4}; "about 10", "~10" read as 10 with a note; blank, "-", "unknown",
//     "unkn", "n/a", "?" are unknown, never 0; "none", "zero", "no" are 0; number words up to
//     twenty are exact.
//   - The number-word rule: a plural unit means at least two of it: "dozens" is {24,
//     unknown}, "scores" {40, unknown}, "hundreds" {200, unknown}, "thousands" {2000,
//     unknown}; a singular unit is exact: "a dozen" 12, "a score" 20, "a hundred" 100; a vague
//     quantity means at least the least it can mean: "a few", "some", "many", "multiple",
//     "numerous" are {2, unknown}, "several" and "a handful" {3, unknown}. Each such reading is
//     reported as a note on its cell. When a sheet has both a single figure and a min/max
//     pair, the pair is used.
//   - Stance words go through the vocabulary (store.Vocabulary()): a known word or synonym
//     becomes its canonical word ("Condemned" -> "condemns"); an unknown word is kept as
//     written and noted.
//   - Ids: from an id column (a bare number is prefixed with the file's name, "airwars:12",
//     since such ids are only unique within their file); otherwise a stable natural key:
//     a hash of the kind, the dates and the normalised key fields (incidents: country,
//     theatre, location, coordinates, actor, target; statements: actor, speaker, topic,
//     quote; tallies: claimant, scope) and the occurrence index of identical keys within the
//     file. Figures are not part of the key, so a changed figure is the same record with a
//     new revision, and re-importing a file is idempotent. An id met twice in one file is a
//     duplicate: skipped with a note when its facts agree, rejected as a problem naming what
//     differs when they do not.
//
// Write (run.go): Run reads in one goroutine and parses and writes in another, so that
// storing overlaps reading. Records go to a Sink (*data.Batch): one file is one batch, all
// or nothing. Rows with problems are skipped and listed; with Options.Strict any rejected
// row aborts the whole file. A cancel (context) or an I/O error aborts too. A dry run writes
// through a batch begun with ImportInfo.DryRun, which counts without writing.
//
// The audit (report.go): Report is what `sitrep import` prints, as text or JSON, and what the
// GUI shows: per file and sheet the kind, header row, mapping, rows read, inserted, updated,
// unchanged and rejected, the date rule and order, the casualty rule (a sentence), the
// ignored headers, what the content decided (Reading), the codebook codes read as unknown,
// and every problem as
// "FILE: sheet S, row R, column C (Header): value "v": reason" (notes say "note:").
//
// For a GUI preview: Inspect returns a Plan whose sheets carry their detected kind, header
// row, mapping, first rows and an estimate of their size (RowsEstimate, for a progress bar);
// change them with SetKind, SetMapping and the DateOrder field, then call Run (or ImportPlan)
// with a context (for Cancel) and a Progress callback, which is told the rows read so far.
package importers
