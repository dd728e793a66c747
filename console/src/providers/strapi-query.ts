import type { CrudFilter, CrudSort, Pagination } from '@refinedev/core';

/** Refine's filter operators in Strapi 5's REST syntax. */
export const STRAPI_OPERATORS: Record<string, string> = {
  eq: '$eq',
  ne: '$ne',
  lt: '$lt',
  gt: '$gt',
  lte: '$lte',
  gte: '$gte',
  in: '$in',
  nin: '$notIn',
  contains: '$containsi',
  ncontains: '$notContainsi',
  containss: '$contains',
  ncontainss: '$notContains',
  startswith: '$startsWithi',
  startswiths: '$startsWith',
  endswith: '$endsWithi',
  endswiths: '$endsWith',
  null: '$null',
  nnull: '$notNull',
  between: '$between',
  or: '$or',
  and: '$and',
};

export class UnsupportedFilterError extends Error {
  readonly code = 'UNSUPPORTED_FILTER';
}

type Pairs = Array<[string, string]>;

/** `a.b` as `[a][b]`: Strapi filters nested relations and components by bracketed path. */
const bracketPath = (field: string) => field.split('.').map((part) => `[${part}]`).join('');

function valuePairs(prefix: string, value: unknown): Pairs {
  if (Array.isArray(value)) return value.flatMap((v, i) => valuePairs(`${prefix}[${i}]`, v));
  if (value === null || value === undefined) return [[prefix, 'true']];
  return [[prefix, String(value)]];
}

function filterPairs(prefix: string, filter: CrudFilter): Pairs {
  const operator = STRAPI_OPERATORS[filter.operator];
  if (!operator) throw new UnsupportedFilterError(`the filter operator "${filter.operator}" has no Strapi equivalent`);
  if (filter.operator === 'or' || filter.operator === 'and') {
    return filter.value.flatMap((inner, i) => filterPairs(`${prefix}[${operator}][${i}]`, inner));
  }
  const field = bracketPath(String((filter as { field: string }).field));
  if (filter.operator === 'null' || filter.operator === 'nnull') return [[`${prefix}${field}[${operator}]`, 'true']];
  return valuePairs(`${prefix}${field}[${operator}]`, filter.value);
}

export type ListQuery = {
  pagination?: Pagination;
  sorters?: CrudSort[];
  filters?: CrudFilter[];
  /** Passed through as Strapi has them: `populate`, `fields`. */
  meta?: { populate?: unknown; fields?: unknown };
};

function metaPairs(meta: ListQuery['meta']): Pairs {
  const pairs: Pairs = [];
  if (Array.isArray(meta?.fields)) meta.fields.forEach((f, i) => pairs.push([`fields[${i}]`, String(f)]));
  const populate = meta?.populate;
  if (typeof populate === 'string') pairs.push(['populate', populate]);
  else if (Array.isArray(populate)) populate.forEach((p, i) => pairs.push([`populate[${i}]`, String(p)]));
  else if (populate && typeof populate === 'object') pairs.push(...objectPairs('populate', populate as Record<string, unknown>));
  return pairs;
}

function objectPairs(prefix: string, value: Record<string, unknown>): Pairs {
  return Object.entries(value).flatMap(([k, v]) => {
    const key = `${prefix}[${k}]`;
    if (v && typeof v === 'object' && !Array.isArray(v)) return objectPairs(key, v as Record<string, unknown>);
    return valuePairs(key, v);
  });
}

/** The query string of a Strapi list request (no leading `?`). */
export function listQueryString({ pagination, sorters, filters, meta }: ListQuery): string {
  const pairs: Pairs = [];
  if (pagination?.mode !== 'off') {
    pairs.push(['pagination[page]', String(pagination?.currentPage ?? 1)]);
    pairs.push(['pagination[pageSize]', String(pagination?.pageSize ?? 25)]);
  }
  (sorters ?? []).forEach((s, i) => pairs.push([`sort[${i}]`, `${s.field}:${s.order}`]));
  for (const f of filters ?? []) pairs.push(...filterPairs('filters', f));
  pairs.push(...metaPairs(meta));
  return toQueryString(pairs);
}

export function recordQueryString(meta: ListQuery['meta']): string {
  return toQueryString(metaPairs(meta));
}

/** Brackets stay readable; everything else is encoded. */
function toQueryString(pairs: Pairs): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%24/g, '$');
  return pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}
