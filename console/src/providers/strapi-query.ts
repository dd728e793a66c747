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

function valuePairs(prefix: string, value: unknown): Pairs {
  if (Array.isArray(value)) return value.flatMap((v, i) => valuePairs(`${prefix}[${i}]`, v));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => valuePairs(`${prefix}[${k}]`, v));
  if (value === null || value === undefined) return [[prefix, 'true']];
  return [[prefix, String(value)]];
}

/** `a.b` with `leaf` under it, as Strapi nests relations and components. */
const nested = (field: string, leaf: unknown): Record<string, unknown> => field.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), leaf) as Record<string, unknown>;

/** One Refine filter as a Strapi 5 filter object: what a list sends in its query string, or a write in its body. */
export function strapiFilter(filter: CrudFilter): Record<string, unknown> {
  const operator = STRAPI_OPERATORS[filter.operator];
  if (!operator) throw new UnsupportedFilterError(`the filter operator "${filter.operator}" has no Strapi equivalent`);
  if (filter.operator === 'or' || filter.operator === 'and') return { [operator]: filter.value.map(strapiFilter) };
  const field = String((filter as { field: string }).field);
  const value = filter.operator === 'null' || filter.operator === 'nnull' ? true : filter.value;
  return nested(field, { [operator]: value });
}

/** Refine filters as one Strapi filter object (all of them must hold). */
export function strapiFilters(filters: CrudFilter[]): Record<string, unknown> {
  return filters.length === 1 ? strapiFilter(filters[0]) : { $and: filters.map(strapiFilter) };
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
  else if (populate && typeof populate === 'object') pairs.push(...valuePairs('populate', populate));
  return pairs;
}

/** The query string of a Strapi list request (no leading `?`). */
export function listQueryString({ pagination, sorters, filters, meta }: ListQuery): string {
  const pairs: Pairs = [];
  if (pagination?.mode !== 'off') {
    pairs.push(['pagination[page]', String(pagination?.currentPage ?? 1)]);
    pairs.push(['pagination[pageSize]', String(pagination?.pageSize ?? 25)]);
  }
  (sorters ?? []).forEach((s, i) => pairs.push([`sort[${i}]`, `${s.field}:${s.order}`]));
  for (const f of filters ?? []) pairs.push(...valuePairs('filters', strapiFilter(f)));
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
