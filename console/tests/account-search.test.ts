import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountSearchFilters, phoneSearchDigits, searchTextOf } from '../src/pages/accounts/account-search';
import { listQueryString } from '../src/providers/strapi-query';

describe('a typed phone number, as the digits of its E.164 form', () => {
  const cases: Array<[string, string | null]> = [
    ['(312) 200-0004', '3122000004'],
    ['+1 312 200 0004', '13122000004'],
    ['312.200.0004', '3122000004'],
    ['07700 900123', '7700900123'],
    ['200-0004', '2000004'],
    ['123', null],
    ['W000004', null],
    ['Debtor4', null],
    ['', null],
  ];
  for (const [typed, digits] of cases) it(`"${typed}" → ${digits}`, () => assert.equal(phoneSearchDigits(typed), digits));
});

describe('the search box as Strapi filters', () => {
  it('searches nothing for an empty box', () => assert.deepEqual(accountSearchFilters('  '), []));

  it('asks for the number, every word of the name, and the phone when the text reads as one', () => {
    assert.equal(
      decodeURIComponent(listQueryString({ pagination: { mode: 'off' }, filters: accountSearchFilters('312 200') })),
      [
        'filters[$or][0][accountNumber][$containsi]=312 200',
        'filters[$or][1][$and][0][$or][0][debtorFirstName][$containsi]=312',
        'filters[$or][1][$and][0][$or][1][debtorLastName][$containsi]=312',
        'filters[$or][1][$and][1][$or][0][debtorFirstName][$containsi]=200',
        'filters[$or][1][$and][1][$or][1][debtorLastName][$containsi]=200',
        'filters[$or][2][phones][number][$contains]=312200',
      ].join('&'),
    );
  });

  it('leaves phones out of a name search', () => {
    const [or] = accountSearchFilters('Ana Lee');
    assert.equal((or.value as unknown[]).length, 2);
  });

  it('gives the typed text back from the filters', () => {
    assert.equal(searchTextOf(accountSearchFilters(' Ana Lee ')), 'Ana Lee');
    assert.equal(searchTextOf([]), '');
  });
});
