import zlib from 'zlib';
import { ImportFileError } from './row-problem';
import type { Cell } from './cell-values';

/** An XLSX (Office Open XML) file is a ZIP archive: it starts with a local file header. */
export const isXlsx = (bytes: Uint8Array) => bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

function zipEntries(buf: Buffer): Map<string, () => Buffer> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new ImportFileError('UNREADABLE_FILE', 'The spreadsheet is damaged (no ZIP directory); save it again from Excel');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, () => Buffer>();
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new ImportFileError('UNREADABLE_FILE', 'The spreadsheet is damaged; save it again from Excel');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28), extraLen = buf.readUInt16LE(at + 30), commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    entries.set(name, () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return method === 8 ? zlib.inflateRawSync(data) : data;
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITIES[e]);
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
/** The text of <t> elements within, joined (rich text runs are several). */
const textOf = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescapeXml(m[1])).join('');

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

export type SheetRow = { row: number; cells: Cell[] };

/**
 * The rows of one worksheet (the first, or the one named) as cell values:
 * shared and inline strings as text, numbers as numbers (dates stay Excel
 * serials; the field decides), booleans, and a formula's cached value.
 */
export function readXlsxSheet(bytes: Uint8Array, sheetName: string | null): SheetRow[] {
  const zip = zipEntries(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const read = (name: string) => zip.get(name)?.().toString('utf8');
  const workbook = read('xl/workbook.xml');
  if (!workbook) throw new ImportFileError('UNREADABLE_FILE', 'The file is a ZIP archive but not an Excel workbook (.xlsx)');
  const sheets = [...workbook.matchAll(/<sheet\s[^>]*>/g)].map((m) => ({ name: unescapeXml(attr(m[0], 'name') ?? ''), rid: attr(m[0], 'r:id') }));
  const chosen = sheetName ? sheets.find((s) => s.name === sheetName) : sheets[0];
  if (!chosen) throw new ImportFileError('NO_SUCH_SHEET', sheetName ? `The workbook has no sheet named "${sheetName}" (it has: ${sheets.map((s) => s.name).join(', ')})` : 'The workbook has no sheets');
  const rels = read('xl/_rels/workbook.xml.rels') ?? '';
  const rel = [...rels.matchAll(/<Relationship\s[^>]*>/g)].map((m) => m[0]).find((tag) => attr(tag, 'Id') === chosen.rid);
  const target = (attr(rel ?? '', 'Target') ?? '').replace(/^\/?xl\//, '').replace(/^\//, '');
  const sheetXml = read(`xl/${target}`);
  if (!sheetXml) throw new ImportFileError('UNREADABLE_FILE', `The sheet "${chosen.name}" could not be read`);
  const shared = [...(read('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => textOf(m[1]));

  const rows: SheetRow[] = [];
  for (const r of sheetXml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const rowNumber = Number(attr(r[1], 'r')) || rows.length + 1;
    const cells: Cell[] = [];
    for (const c of (r[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const ref = attr(c[1], 'r');
      const index = ref ? columnIndex(ref) : cells.length;
      const type = attr(c[1], 't') ?? 'n';
      const body = c[2] ?? '';
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value: Cell = null;
      if (type === 's') value = v === undefined ? null : shared[Number(v)] ?? null;
      else if (type === 'inlineStr') value = textOf(body);
      else if (type === 'str') value = v === undefined ? null : unescapeXml(v);
      else if (type === 'b') value = v === '1';
      else if (type === 'e') value = null;
      else value = v === undefined ? null : Number(v);
      while (cells.length < index) cells.push(null);
      cells[index] = value;
    }
    rows.push({ row: rowNumber, cells });
  }
  return rows;
}
