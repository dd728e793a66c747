import type { CrudFilter, LogicalFilter } from '@refinedev/core';

type FilterDefs = Record<string, Pick<LogicalFilter, 'field' | 'operator'>>;

/**
 * A list page's filter controls, each one field and operator: the value a control shows (from
 * the filters Refine keeps in the URL) and the filter it sets. An empty value lifts the filter
 * (Refine drops filters whose value is undefined).
 */
export function listFilters<D extends FilterDefs>(defs: D) {
  return {
    valueOf(filters: CrudFilter[], name: keyof D): string | undefined {
      const { field, operator } = defs[name];
      const found = filters.find((f) => 'field' in f && f.field === field && f.operator === operator);
      return found?.value === undefined || found?.value === null || found?.value === '' ? undefined : String(found.value);
    },
    filter(name: keyof D, value: string | number | null | undefined): LogicalFilter {
      return { ...defs[name], value: value === null || value === '' ? undefined : value } as LogicalFilter;
    },
  };
}
