import JSZip from 'jszip';

/** RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks inside. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Header and rows as objects keyed by column. */
export function records(rows: Array<Array<string | number | boolean | null>>): Array<Record<string, any>> {
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [String(h), r[i]])));
}

const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** The cells of every sheet of an XLSX file, read with a ZIP reader independent of the writer. */
export async function parseXlsx(buffer: Buffer): Promise<{ files: string[]; sheets: Array<Array<Array<string | number | boolean | null>>> }> {
  const zip = await JSZip.loadAsync(buffer);
  const files = Object.keys(zip.files).sort();
  const sheets = [];
  for (const name of files.filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f)).sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))) {
    const xml = await zip.file(name)!.async('string');
    const rows = [...xml.matchAll(/<row>(.*?)<\/row>/gs)].map(([, row]) =>
      [...row.matchAll(/<c(?: t="(\w+)")?(?:\/>|>(.*?)<\/c>)/gs)].map(([, t, inner]) => {
        if (inner === undefined) return null;
        if (t === 'inlineStr') return unescapeXml(/<t[^>]*>(.*?)<\/t>/s.exec(inner)![1]);
        const v = /<v>(.*?)<\/v>/s.exec(inner)![1];
        return t === 'b' ? v === '1' : Number(v);
      }),
    );
    sheets.push(rows);
  }
  return { files, sheets };
}

export function parseNdjson(text: string): Array<Record<string, any>> {
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** supertest: keep the body as bytes whatever its type. */
export function binary(res: any, callback: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}
