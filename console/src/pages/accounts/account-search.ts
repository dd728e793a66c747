import type { CrudFilter, CrudFilters } from '@refinedev/core';

/** Fewer digits than this would match most numbers on file: not a phone search. */
const MIN_PHONE_DIGITS = 4;
const PHONE_LIKE = /^[\d\s()+.\-/]+$/;

/**
 * The digits a typed phone number shares with its E.164 form in cms: "(312) 200-0004",
 * "+1 312 200 0004" and "312.200.0004" all become a substring of "+13122000004"; a national
 * trunk prefix ("07700 900123" for "+447700900123") is dropped.
 */
export function phoneSearchDigits(query: string): string | null {
  const text = query.trim();
  if (!PHONE_LIKE.test(text)) return null;
  const digits = text.replace(/\D/g, '').replace(/^0+/, '');
  return digits.length >= MIN_PHONE_DIGITS ? digits : null;
}

/**
 * One search box over an account list: the account number, the debtor's name (every word in
 * the first or last name, so "Ana Lee" finds Ana Lee) and, when the text reads as a phone
 * number, the account's phones. cms adds the reader's scope to whatever this asks.
 */
export function accountSearchFilters(query: string): CrudFilters {
  const text = query.trim();
  if (!text) return [];
  const words = text.split(/\s+/);
  const name: CrudFilter = {
    operator: 'and',
    value: words.map((w) => ({ operator: 'or', value: [{ field: 'debtorFirstName', operator: 'contains', value: w }, { field: 'debtorLastName', operator: 'contains', value: w }] })),
  };
  const branches: CrudFilter[] = [{ field: 'accountNumber', operator: 'contains', value: text }, name];
  const digits = phoneSearchDigits(text);
  if (digits) branches.push({ field: 'phones.number', operator: 'containss', value: digits });
  return [{ operator: 'or', value: branches }];
}

/** The text a search's filters were made from, to show it again in the box after a reload. */
export function searchTextOf(filters: CrudFilters | undefined): string {
  const or = filters?.find((f) => f.operator === 'or');
  const byNumber = or && Array.isArray(or.value) ? or.value.find((f: CrudFilter) => 'field' in f && f.field === 'accountNumber') : undefined;
  return byNumber && 'value' in byNumber ? String(byNumber.value ?? '') : '';
}
