import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listQueryString } from '../src/providers/strapi-query';
import { toHttpError } from '../src/providers/strapi-errors';

const decoded = (q: string) => decodeURIComponent(q).split('&');

describe('Refine list parameters in Strapi 5 syntax', () => {
  const cases: Array<[string, Parameters<typeof listQueryString>[0], string[]]> = [
    ['pagination', { pagination: { currentPage: 3, pageSize: 10 } }, ['pagination[page]=3', 'pagination[pageSize]=10']],
    ['no pagination', { pagination: { mode: 'off' } }, []],
    ['sorters in order', { pagination: { mode: 'off' }, sorters: [{ field: 'balance', order: 'desc' }, { field: 'accountNumber', order: 'asc' }] }, ['sort[0]=balance:desc', 'sort[1]=accountNumber:asc']],
    ['eq on a relation path', { pagination: { mode: 'off' }, filters: [{ field: 'client.code', operator: 'eq', value: 'WTB' }] }, ['filters[client][code][$eq]=WTB']],
    ['contains is case-insensitive', { pagination: { mode: 'off' }, filters: [{ field: 'debtorLastName', operator: 'contains', value: 'smi' }] }, ['filters[debtorLastName][$containsi]=smi']],
    ['in as a list', { pagination: { mode: 'off' }, filters: [{ field: 'documentId', operator: 'in', value: ['a', 'b'] }] }, ['filters[documentId][$in][0]=a', 'filters[documentId][$in][1]=b']],
    ['null', { pagination: { mode: 'off' }, filters: [{ field: 'disposition', operator: 'null', value: true }] }, ['filters[disposition][$null]=true']],
    [
      'or of two',
      { pagination: { mode: 'off' }, filters: [{ operator: 'or', value: [{ field: 'accountNumber', operator: 'eq', value: 'W1' }, { field: 'balance', operator: 'gte', value: 5 }] }] },
      ['filters[$or][0][accountNumber][$eq]=W1', 'filters[$or][1][balance][$gte]=5'],
    ],
    ['fields and populate', { pagination: { mode: 'off' }, meta: { fields: ['accountNumber'], populate: ['phones'] } }, ['fields[0]=accountNumber', 'populate[0]=phones']],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(decoded(listQueryString(input)).filter(Boolean), expected));
  }

  it('encodes values, keeping brackets readable', () => {
    assert.equal(listQueryString({ pagination: { mode: 'off' }, filters: [{ field: 'debtorLastName', operator: 'eq', value: "O'Neil & Co" }] }), "filters[debtorLastName][$eq]=O'Neil%20%26%20Co");
  });
});

describe("Strapi errors as Refine's HttpError", () => {
  it("maps details.errors[] to field errors keyed by path", () => {
    const error = toHttpError(400, { error: { status: 400, name: 'ValidationError', message: '2 errors occurred', details: { errors: [{ path: ['balance'], message: 'balance must be at most 99999999' }, { path: ['phones', 0, 'number'], message: 'not a phone number' }] } } });
    assert.deepEqual(error, { message: '2 errors occurred', statusCode: 400, errors: { balance: ['balance must be at most 99999999'], 'phones.0.number': ['not a phone number'] } });
  });

  it('keeps the status and a message when the body is not Strapi-shaped', () => {
    assert.deepEqual(toHttpError(502, null), { message: 'the request failed (502)', statusCode: 502 });
  });
});
