/**
 * What the Imports page reads of a file before it is sent: the header and the first rows of a
 * CSV or TSV, decoded and split by cms's own readers (the same encodings and delimiters the
 * import accepts), so that the preview shows the columns exactly as the import will see them.
 * A workbook is not read here: its headers come back with the dry run. Pure.
 */
import { decodeText } from '@cms/imports/file-decoding';
import { detectDelimiter, readRecords } from '@cms/imports/delimited-text';

/** How much of a file the preview reads: a header and a few rows fit many times over. */
export const PREVIEW_BYTES = 256 * 1024;
export const PREVIEW_ROWS = 5;

export type FilePreview =
  | { format: 'text'; headers: string[]; rows: string[][]; encoding: string; delimiter: string }
  | { format: 'xlsx' }
  | { format: 'empty' };

/** An XLSX file is a ZIP archive: "PK\x03\x04". */
export const isWorkbook = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/**
 * `bytes`: the file's first PREVIEW_BYTES, `truncated` when the file goes on. A cut file ends at
 * its last line break (a UTF-8 character cut in half would read as Windows-1252), and its last
 * record, which a quoted newline may have split, is not shown.
 */
export function previewFile(bytes: Uint8Array, truncated: boolean, rowsWanted = PREVIEW_ROWS): FilePreview {
  if (bytes.length === 0) return { format: 'empty' };
  if (isWorkbook(bytes)) return { format: 'xlsx' };
  let head = bytes;
  if (truncated) {
    const lastBreak = bytes.lastIndexOf(0x0a);
    // UTF-16 LE writes a line break as 0A 00: keep the pair whole.
    if (lastBreak > 0) head = bytes.subarray(0, lastBreak + 1 + (bytes[lastBreak + 1] === 0 ? 1 : 0));
  }
  const { text, encoding } = decodeText(head);
  if (text.trim() === '') return { format: 'empty' };
  const delimiter = detectDelimiter(text);
  const records: string[][] = [];
  let more = false;
  for (const r of readRecords(text, delimiter)) {
    if (records.length === rowsWanted + 1) {
      more = true;
      break;
    }
    records.push(r.cells);
  }
  // The cut fell inside a quoted newline: the last record read is a piece of one, with fewer cells than the header.
  if (truncated && !more && records.length > 1 && records[records.length - 1].length < records[0].length) records.pop();
  const [header = [], ...rows] = records;
  return { format: 'text', headers: header.map((h) => h.trim()), rows: rows.slice(0, rowsWanted), encoding, delimiter: delimiter === '\t' ? 'tab' : delimiter };
}
