import { Client } from 'pg';
import { csvField, csvLine } from '../../src/exports/cell-text';
import { csvCellSql, csvLineSql, csvTextSql } from '../../src/exports/csv-sql';

// The CSV PostgreSQL writes must be the CSV csvLine writes: both run here on the same values, on the real
// PostgreSQL of the tests (global-setup's throwaway database).
let db: Client;
beforeAll(async () => {
  db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db.end();
});

const TEXTS = [
  'plain', '', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', 'crlf\r\n', '=1+2', '=1,2', '+SUM(A1:A9)', '-2+3', '@cmd', '\t=1', '\r=1',
  '=HYPERLINK("http://x","y")', '-', '+', '+13125550101', '-12.50', '+44', '12.', '1.2.3', '+1e5', '-.5', 'a=1', 'Zoë, "Ana" Łódź', '日本語', "it's",
  ' padded ', '\\backslash', '١٢٣',
];

describe('CSV written by PostgreSQL', () => {
  it.each(TEXTS.map((t) => [t]))('text %j reads as csvField writes it', async (text) => {
    const { rows } = await db.query(`select ${csvTextSql('$1::text')} as cell`, [text]);
    expect(rows[0].cell).toBe(csvField(text));
  });

  it('writes NULL as an empty cell, numbers as Number() would, lines ending CRLF', async () => {
    const cells = [
      csvCellSql('$1::text', 'string'),
      csvCellSql('$2::numeric(12,2)', 'decimal'),
      csvCellSql('$3::numeric(12,2)', 'decimal'),
      csvCellSql('$4::integer', 'integer'),
      csvCellSql('$5::boolean', 'boolean'),
      csvCellSql('$6::boolean', 'boolean'),
      csvCellSql('$7::timestamptz', 'datetime'),
      csvCellSql('$8::date', 'date'),
      csvCellSql('$9::text', 'enumeration'),
      csvCellSql('$10::double precision', 'float'),
    ];
    const { rows } = await db.query(`select ${csvLineSql(cells)} as line`, [null, '1234.50', '-0.00', -7, true, false, '2026-01-02T03:04:05.678Z', '2026-03-04', 'connected', 0.1]);
    expect(rows[0].line).toBe(csvLine(['', 1234.5, 0, -7, true, false, '2026-01-02T03:04:05.678Z', '2026-03-04', 'connected', 0.1]));
  });

  // Declared values that need no escaping are compared, not matched: the rest (a declared value that needs
  // escaping, a value written around Strapi) must still come out as csvField writes them.
  const DECLARED = ['outbound', 'no_answer', 'a,b', '-x', "it's", 'why?', 'back\\slash'];
  it.each([...DECLARED, 'inbound', '=cmd', '+13125550101', 'say "hi"', '', 'two\nlines'].map((t) => [t]))('enumeration value %j reads as csvField writes it', async (text) => {
    const { rows } = await db.query(`select ${csvCellSql('$1::text', 'enumeration', DECLARED)} as cell`, [text]);
    expect(rows[0].cell).toBe(csvField(text));
  });

  it('refuses a type it cannot write as csvLine does', () => {
    expect(() => csvCellSql('x', 'json')).toThrow(/json/);
  });
});
