import { decodeText } from './file-decoding';
import { detectDelimiter, readRecords } from './delimited-text';
import { readXlsxSheet, isXlsx } from './xlsx-reader';
import { ImportFileError } from './row-problem';
import type { Cell } from './cell-values';

/** One data row of a file: its row number as a person finds it (the header is row 1) and its cells. */
export type FileRow = { row: number; cells: Cell[] };
export type FileTable = { headers: string[]; rows: Iterable<FileRow>; format: 'csv' | 'xlsx'; encoding?: string };

/**
 * The header and data rows of a CSV, TSV or XLSX file, whichever it is. An
 * empty file, or one with a header and nothing else, is refused as a whole.
 */
export function readFileTable(bytes: Uint8Array, sheet?: string | null): FileTable {
  if (bytes.length === 0) throw new ImportFileError('EMPTY_FILE', 'The file is empty');
  if (isXlsx(bytes)) {
    const rows = readXlsxSheet(bytes, sheet ?? null);
    const header = rows.findIndex((r) => r.cells.some((c) => c !== null && String(c).trim() !== ''));
    if (header < 0) throw new ImportFileError('EMPTY_FILE', 'The spreadsheet has no rows');
    return { headers: rows[header].cells.map((c) => (c === null ? '' : String(c).trim())), rows: rows.slice(header + 1).filter((r) => r.cells.some((c) => c !== null && String(c).trim() !== '')), format: 'xlsx' };
  }
  const { text, encoding } = decodeText(bytes);
  if (text.trim() === '') throw new ImportFileError('EMPTY_FILE', 'The file is empty');
  const delimiter = detectDelimiter(text);
  const records = readRecords(text, delimiter);
  const first = records.next();
  if (first.done) throw new ImportFileError('EMPTY_FILE', 'The file is empty');
  const headers = first.value.cells.map((h) => h.trim());
  function* rows(): Generator<FileRow> {
    for (const r of records) yield { row: r.line, cells: r.cells };
  }
  return { headers, rows: rows(), format: 'csv', encoding };
}
