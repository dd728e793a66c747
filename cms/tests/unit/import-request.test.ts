import { readImportRequest } from '../../src/imports/import-request';
import { csvCell } from '../../src/imports/import-view';

describe('readImportRequest', () => {
  it.each([
    [{ client: 'abc123' }, { client: 'abc123', kind: 'accounts', mode: 'commit', onDuplicate: 'skip', mapping: null, sheet: null, template: null }],
    [{ client: 'abc123', kind: 'dnc', mode: 'dry-run', onDuplicate: 'update', mapping: '{"Ref":"accountNumber","x":null}', sheet: 'S' },
      { client: 'abc123', kind: 'dnc', mode: 'dry-run', onDuplicate: 'update', mapping: { Ref: 'accountNumber', x: null }, sheet: 'S', template: null }],
  ])('%j', (body, request) => expect(readImportRequest(body)).toEqual({ request, problems: [] }));

  it.each([
    [{}, ['client']],
    [{ client: ['a', 'b'] }, ['client']],
    [{ client: 'a', kind: 'invoices' }, ['kind']],
    [{ client: 'a', kind: ['accounts'] }, ['kind']],
    [{ client: 'a', mode: 'now' }, ['mode']],
    [{ client: 'a', onDuplicate: 'merge' }, ['onDuplicate']],
    [{ client: 'a', mapping: '[1]' }, ['mapping']],
    [{ client: 'a', mapping: '{"a":{"$gt":1}}' }, ['mapping']],
    [{ client: 'a', mapping: 'nope' }, ['mapping']],
    [{ client: 'A$', kind: 'x', mode: 'y' }, ['client', 'kind', 'mode']],
  ])('%j is refused on %j', (body, fields) => {
    expect(readImportRequest(body as any).problems.map((p) => p.path[0])).toEqual(fields);
  });

  it('takes a retry\'s settings from the import retried', () => {
    expect(readImportRequest({}, { client: 'c1', kind: 'dnc', mode: 'dry-run', mapping: { a: 'phone' } }).request).toMatchObject({ client: 'c1', kind: 'dnc', mode: 'dry-run', mapping: { a: 'phone' } });
  });
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'], ['@SUM(A1)', "'@SUM(A1)"], ['+cmd|x', "'+cmd|x"], ['-2+3', "'-2+3"],
    ['+1 312 555 0101', '+1 312 555 0101'], ['-12.50', '-12.50'], [null, ''], [12, '12'],
  ])('%j → %j', (value, cell) => expect(csvCell(value)).toBe(cell));
});
