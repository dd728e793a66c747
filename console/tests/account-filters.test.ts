import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountBarFilters, accountBarValues, UNASSIGNED, withBarFilters, type AccountFilterValues } from '../src/pages/accounts/account-filters';
import { accountSearchFilters } from '../src/pages/accounts/account-search';
import { listQueryString, strapiFilters } from '../src/providers/strapi-query';

const query = (values: AccountFilterValues) => decodeURIComponent(listQueryString({ pagination: { mode: 'off' }, filters: accountBarFilters(values) })).split('&').filter(Boolean);

describe("the accounts filter bar as cms's filters", () => {
  const cases: Array<[string, AccountFilterValues, string[]]> = [
    ['nothing chosen', {}, []],
    ['statuses', { status: ['open', 'dispute'] }, ['filters[status][$in][0]=open', 'filters[status][$in][1]=dispute']],
    ['a balance range', { balanceMin: 500, balanceMax: 5000 }, ['filters[balance][$gte]=500', 'filters[balance][$lte]=5000']],
    ['zero is a bound, not "any"', { dpdMin: 0 }, ['filters[daysPastDue][$gte]=0']],
    ['an agent', { agent: 'abc123' }, ['filters[assignedAgent][documentId][$eq]=abc123']],
    ['unassigned', { agent: UNASSIGNED }, ['filters[assignedAgent][id][$null]=true']],
    ['buckets and zones', { delinquencyBucket: ['dpd_31_60'], timezone: ['America/Chicago'] }, ['filters[delinquencyBucket][$in][0]=dpd_31_60', 'filters[timezone][$in][0]=America/Chicago']],
  ];
  for (const [name, values, expected] of cases) {
    it(name, () => assert.deepEqual(query(values), expected));
  }

  it('reads every value back from the filters it made', () => {
    const values: AccountFilterValues = { status: ['open'], delinquencyBucket: ['current'], balanceMin: 1, balanceMax: 2, dpdMin: 3, dpdMax: 4, agent: UNASSIGNED, timezone: ['Europe/London'] };
    assert.deepEqual(accountBarValues(accountBarFilters(values)), values);
  });

  it('replaces the bar’s filters and keeps the search', () => {
    const search = accountSearchFilters('Marisol');
    const once = withBarFilters(search, { status: ['open'] });
    assert.deepEqual(withBarFilters(once, { agent: 'x' }), [...search, { field: 'assignedAgent.documentId', operator: 'eq', value: 'x' }]);
  });

  it('sends the same filters in a reassignment body as the list asks', () => {
    assert.deepEqual(strapiFilters(accountBarFilters({ status: ['open'], balanceMin: 10 })), { $and: [{ status: { $in: ['open'] } }, { balance: { $gte: 10 } }] });
  });
});
