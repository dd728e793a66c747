import type { Writable } from 'stream';
import { cellText, csvLine, UTF8_BOM, type CellValue } from './cell-text';
import type { Batch } from './export-query';
import { writeTo } from './sink';
import { ZipStream } from './zip-stream';

export const FORMATS = ['csv', 'xlsx', 'ndjson'] as const;
export type ExportFormat = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** Writes one export file as rows arrive, waiting on the reader between batches. */
export interface FormatWriter {
  begin(columns: string[]): Promise<void>;
  /** Rows as cells, or a batch as the query yields it (whose CSV text only the CSV writer takes). */
  rows(batch: CellValue[][] | Batch): Promise<void>;
  finish(): Promise<void>;
}

/** The cells of a batch: only CSV takes text PostgreSQL wrote. */
function cellsOf(batch: CellValue[][] | Batch): CellValue[][] {
  if (Array.isArray(batch)) return batch;
  if ('cells' in batch) return batch.cells;
  throw new Error('a batch of CSV text reached a writer of another format');
}

class CsvWriter implements FormatWriter {
  constructor(private readonly out: Writable) {}
  async begin(columns: string[]) {
    // The BOM makes Excel read the file as UTF-8 rather than the system code page.
    await writeTo(this.out, UTF8_BOM + csvLine(columns));
  }
  async rows(batch: CellValue[][] | Batch) {
    if (!Array.isArray(batch) && 'csv' in batch) return writeTo(this.out, batch.csv);
    let text = '';
    for (const row of cellsOf(batch)) text += csvLine(row);
    await writeTo(this.out, text);
  }
  async finish() {}
}

class NdjsonWriter implements FormatWriter {
  private columns: string[] = [];
  constructor(private readonly out: Writable) {}
  async begin(columns: string[]) {
    this.columns = columns;
  }
  async rows(batch: CellValue[][] | Batch) {
    let text = '';
    for (const row of cellsOf(batch)) {
      const record: Record<string, CellValue> = {};
      this.columns.forEach((c, i) => (record[c] = row[i]));
      text += JSON.stringify(record) + '\n';
    }
    await writeTo(this.out, text);
  }
  async finish() {}
}

// Excel's limits: 1,048,576 rows a sheet (one is the header) and 32,767 characters a cell.
export const XLSX_ROWS_PER_SHEET = 1_048_575;
const MAX_CELL = 32_767;
// XML 1.0 forbids most control characters; a stray one would make Excel refuse the whole file.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function xmlEscape(text: string): string {
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function xlsxCell(value: CellValue): string {
  if (value === null) return '<c/>';
  if (typeof value === 'number' && Number.isFinite(value)) return `<c><v>${value}</v></c>`;
  if (typeof value === 'boolean') return `<c t="b"><v>${value ? 1 : 0}</v></c>`;
  // Strings stay strings (inline, no shared-string table to hold in memory): never a formula, and neutralised for whoever re-saves as CSV.
  const text = xmlEscape(cellText(value).slice(0, MAX_CELL));
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<c t="inlineStr"><is><t${space}>${text}</t></is></c>`;
}

const SHEET_START = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_END = '</sheetData></worksheet>';

class XlsxWriter implements FormatWriter {
  private readonly zip: ZipStream;
  private sheet: { write: (t: string) => Promise<void>; close: () => Promise<void> } | null = null;
  private sheets = 0;
  private rowsInSheet = 0;
  private header = '';

  constructor(out: Writable) {
    this.zip = new ZipStream(out);
  }

  private async nextSheet() {
    if (this.sheet) {
      await this.sheet.write(SHEET_END);
      await this.sheet.close();
    }
    this.sheets += 1;
    this.sheet = await this.zip.open(`xl/worksheets/sheet${this.sheets}.xml`);
    await this.sheet.write(SHEET_START + this.header);
    this.rowsInSheet = 0;
  }

  async begin(columns: string[]) {
    this.header = `<row>${columns.map(xlsxCell).join('')}</row>`;
    await this.nextSheet();
  }

  async rows(batch: CellValue[][] | Batch) {
    let text = '';
    for (const row of cellsOf(batch)) {
      if (this.rowsInSheet === XLSX_ROWS_PER_SHEET) {
        await (this.sheet as any).write(text);
        text = '';
        await this.nextSheet();
      }
      text += `<row>${row.map(xlsxCell).join('')}</row>`;
      this.rowsInSheet += 1;
    }
    await (this.sheet as any).write(text);
  }

  async finish() {
    if (!this.sheet) await this.nextSheet();
    await (this.sheet as any).write(SHEET_END);
    await (this.sheet as any).close();
    const numbers = Array.from({ length: this.sheets }, (_, i) => i + 1);
    const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
    await this.zip.file(
      '[Content_Types].xml',
      `${xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${numbers
        .map((n) => `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
        .join('')}</Types>`,
    );
    await this.zip.file(
      '_rels/.rels',
      `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    );
    await this.zip.file(
      'xl/workbook.xml',
      `${xml}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${numbers
        .map((n) => `<sheet name="${n === 1 ? 'Export' : `Export ${n}`}" sheetId="${n}" r:id="rId${n}"/>`)
        .join('')}</sheets></workbook>`,
    );
    await this.zip.file(
      'xl/_rels/workbook.xml.rels',
      `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${numbers
        .map((n) => `<Relationship Id="rId${n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${n}.xml"/>`)
        .join('')}<Relationship Id="rId${this.sheets + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    );
    await this.zip.file(
      'xl/styles.xml',
      `${xml}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`,
    );
    await this.zip.finish();
  }
}

export function formatWriter(format: ExportFormat, out: Writable): FormatWriter {
  if (format === 'csv') return new CsvWriter(out);
  if (format === 'xlsx') return new XlsxWriter(out);
  return new NdjsonWriter(out);
}
