import { decodeText } from '../../src/imports/file-decoding';
import { detectDelimiter, readRecords } from '../../src/imports/delimited-text';
import { mapColumns } from '../../src/imports/column-mapping';

const utf16 = (text: string, bom: boolean, big = false) => {
  const le = Buffer.from(text, 'utf16le');
  const body = big ? Buffer.from(le.map((_, i) => le[i % 2 === 0 ? i + 1 : i - 1])) : le;
  return Buffer.concat([bom ? Buffer.from(big ? [0xfe, 0xff] : [0xff, 0xfe]) : Buffer.alloc(0), body]);
};

describe('decodeText', () => {
  const text = 'name;city\nRené;Zürich €5';
  it.each([
    ['UTF-8', Buffer.from(text, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'utf-8'],
    ['UTF-16 LE with BOM', utf16(text, true), 'utf-16le'],
    ['UTF-16 BE with BOM', utf16(text, true, true), 'utf-16be'],
    ['UTF-16 LE without BOM', utf16(text, false), 'utf-16le'],
    ['Windows-1252', Buffer.from([...Buffer.from('name;city\nRen', 'latin1'), 0xe9, ...Buffer.from(';Z', 'latin1'), 0xfc, ...Buffer.from('rich ', 'latin1'), 0x80, 0x35]), 'windows-1252'],
  ])('%s', (_label, bytes, encoding) => {
    expect(decodeText(bytes)).toEqual({ text, encoding });
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3', ','],
    ['a;b;c\n1;2;3', ';'],
    ['a\tb\tc\n1\t2\t3', '\t'],
    ['"a;x",b,c\n', ','],
    ['"amount, usd";name;city', ';'],
    ['accountNumber', ','],
  ])('%j → %j', (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });
});

describe('readRecords', () => {
  it.each([
    ['plain LF', 'a,b\n1,2\n', [[1, ['a', 'b']], [2, ['1', '2']]]],
    ['CRLF and no final newline', 'a,b\r\n1,2', [[1, ['a', 'b']], [2, ['1', '2']]]],
    ['blank and trailing lines dropped', 'a,b\n\n1,2\n\n\n', [[1, ['a', 'b']], [3, ['1', '2']]]],
    ['quoted delimiter and quotes', 'a,b\n"x, y","say ""hi"""', [[1, ['a', 'b']], [2, ['x, y', 'say "hi"']]]],
    ['quoted newline keeps the next record\'s line', 'a,b\n"line1\nline2",2\n3,4', [[1, ['a', 'b']], [2, ['line1\nline2', '2']], [4, ['3', '4']]]],
    ['empty cells', 'a,b,c\n,,\n1,,3', [[1, ['a', 'b', 'c']], [2, ['', '', '']], [3, ['1', '', '3']]]],
    ['old Mac CR', 'a,b\r1,2\r', [[1, ['a', 'b']], [2, ['1', '2']]]],
  ])('%s', (_label, text, expected) => {
    expect([...readRecords(text, ',')].map((r) => [r.line, r.cells])).toEqual(expected);
  });
});

describe('mapColumns', () => {
  it.each([
    ['field names', ['accountNumber', 'debtorLastName', 'balance'], {}, ['accountNumber', 'debtorLastName', 'balance'], []],
    ['synonyms, any case and punctuation', ['Account No.', 'SURNAME', 'Current Balance', 'ZIP'], {}, ['accountNumber', 'debtorLastName', 'balance', 'postalCode'], []],
    ['the export\'s phone columns', ['accountNumber', 'debtorLastName', 'balance', 'phone1', 'phone1Type', 'phone2'], {}, ['accountNumber', 'debtorLastName', 'balance', 'phone1', 'phone1Type', 'phone2'], []],
    ['unknown columns ignored', ['accountNumber', 'debtorLastName', 'balance', 'favourite colour'], {}, ['accountNumber', 'debtorLastName', 'balance', null], []],
    ['a missing required column', ['accountNumber', 'balance'], {}, ['accountNumber', 'balance'], ['debtorLastName']],
    ['an explicit mapping wins', ['Ref', 'Who', 'Owed', 'Surname'], { Ref: 'accountNumber', Who: 'debtorLastName', Owed: 'balance', Surname: null }, ['accountNumber', 'debtorLastName', 'balance', null], []],
    ['a field filled once', ['accountNumber', 'acct', 'debtorLastName', 'balance'], {}, ['accountNumber', null, 'debtorLastName', 'balance'], []],
  ])('%s', (_label, headers, explicit, fields, missing) => {
    const mapping = mapColumns(headers as string[], 'accounts', explicit as Record<string, string | null>);
    expect(mapping.fields).toEqual(fields);
    expect(mapping.missing).toEqual(missing);
    expect(mapping.problems).toEqual([]);
  });

  it('names mapping entries that fit neither the file nor the kind', () => {
    expect(mapColumns(['a'], 'accounts', { b: 'accountNumber', a: 'shoeSize' }).problems).toEqual([
      'mapping names the column "b", which the file does not have',
      'mapping sends "a" to "shoeSize", which is not a field of a accounts import',
    ]);
  });
});
