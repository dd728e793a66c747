import { readXlsxSheet } from '../../src/imports/xlsx-reader';
import { readFileTable } from '../../src/imports/file-rows';
import { xlsxFile } from '../helpers/xlsx-file';

const book = xlsxFile({
  Notes: [['nothing here']],
  'Placement & Co': [
    ['accountNumber', 'debtorLastName', 'balance', 'chargeOffDate', 'active'],
    ['A-1', 'Doe <Jr>', { formula: 'SUM(100,23.5)', value: 123.5 }, 46112, true],
    [null, null, null, null, null],
    ['A-2', { formula: 'UPPER("smith")', value: 'SMITH' }, 7, null, false],
  ],
});

describe('readXlsxSheet', () => {
  it('reads the first sheet by default', () => {
    expect(readXlsxSheet(book, null)).toEqual([{ row: 1, cells: ['nothing here'] }]);
  });

  it('reads a named sheet: shared strings, numbers, booleans and formulas as their values', () => {
    expect(readXlsxSheet(book, 'Placement & Co')).toEqual([
      { row: 1, cells: ['accountNumber', 'debtorLastName', 'balance', 'chargeOffDate', 'active'] },
      { row: 2, cells: ['A-1', 'Doe <Jr>', 123.5, 46112, true] },
      { row: 3, cells: [] },
      { row: 4, cells: ['A-2', 'SMITH', 7, null, false] },
    ]);
  });

  it.each([
    ['a sheet that is not there', () => readXlsxSheet(book, 'Nope'), 'NO_SUCH_SHEET'],
    ['a damaged archive', () => readXlsxSheet(Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(40)]), null), 'UNREADABLE_FILE'],
  ])('refuses %s with a code', (_label, read, code) => {
    expect(read).toThrow(expect.objectContaining({ code }));
  });

  it('gives a file table with blank rows dropped, whichever the format', () => {
    const table = readFileTable(book, 'Placement & Co');
    expect([table.format, table.headers, [...table.rows].map((r) => r.row)]).toEqual(['xlsx', ['accountNumber', 'debtorLastName', 'balance', 'chargeOffDate', 'active'], [2, 4]]);
  });
});
