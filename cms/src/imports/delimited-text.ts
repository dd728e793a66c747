export type Delimiter = ',' | ';' | '\t';
const CANDIDATES: Delimiter[] = [',', ';', '\t'];

/** One record of the file: its cells and the 1-based line it starts on (what a person finds in an editor). */
export type TextRecord = { line: number; cells: string[] };

/**
 * The delimiter of the header line: the candidate that occurs most often outside
 * quotes. A one-column file has none; it is read as comma-separated.
 */
export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c as Delimiter)) counts.set(c as Delimiter, counts.get(c as Delimiter)! + 1);
  }
  let best: Delimiter = ',';
  for (const d of CANDIDATES) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * RFC 4180 records, lenient where real files are: quoted cells may hold
 * delimiters, doubled quotes and newlines; CRLF, LF and CR all end a record;
 * blank lines (a record of one empty cell) are dropped. A generator, so a
 * large file is read as it is consumed.
 */
export function* readRecords(text: string, delimiter: Delimiter): Generator<TextRecord> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  const endRecord = function* (): Generator<TextRecord> {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0].trim() === '')) yield { line: recordLine, cells };
    cells = [];
    cell = '';
  };
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      if (c === '\n') line++;
      else if (c === '\r' && text[i + 1] !== '\n') line++;
      cell += c; i++; continue;
    }
    if (c === '"' && cell.trim() === '') { quoted = true; cell = ''; i++; continue; }
    if (c === delimiter) { cells.push(cell); cell = ''; i++; continue; }
    if (c === '\r' || c === '\n') {
      yield* endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    cell += c; i++;
  }
  if (cell !== '' || cells.length > 0) yield* endRecord();
}
