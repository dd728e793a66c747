import { KIND_FIELDS, type ImportKind } from './import-kinds';

/** "Account No.", "account_no" and "ACCOUNTNO" are one header. */
export const headerKey = (header: string) => header.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]/g, '');

export type ColumnMapping = {
  /** The field each column fills, by column index; null for a column the import ignores. */
  fields: Array<string | null>;
  /** Required fields no column fills. */
  missing: string[];
  /** Explicit mapping entries naming a column the file does not have, or a field the kind does not know. */
  problems: string[];
};

/**
 * Which field each header fills: an explicit mapping (source header → field, or
 * null to ignore it) wins; otherwise the field's own name (the export's column
 * names), then its synonyms. A field is filled by its first column only.
 */
export function mapColumns(headers: string[], kind: ImportKind, explicit: Record<string, string | null> = {}): ColumnMapping {
  const specs = KIND_FIELDS[kind];
  const known = new Set(specs.map((s) => s.field));
  const byKey = new Map<string, string>();
  for (const s of specs) byKey.set(headerKey(s.field), s.field);
  for (const s of specs) for (const syn of s.synonyms) if (!byKey.has(headerKey(syn))) byKey.set(headerKey(syn), s.field);
  const explicitByKey = new Map(Object.entries(explicit).map(([h, f]) => [headerKey(h), f]));
  const problems: string[] = [];
  const headerKeys = new Set(headers.map(headerKey));
  for (const [h, f] of Object.entries(explicit)) {
    if (!headerKeys.has(headerKey(h))) problems.push(`mapping names the column "${h}", which the file does not have`);
    if (f !== null && !known.has(f)) problems.push(`mapping sends "${h}" to "${f}", which is not a field of a ${kind} import`);
  }
  // Fields the mapping assigns are not also taken by a header that happens to match them.
  const taken = new Set<string>([...explicitByKey.values()].filter((f): f is string => !!f && known.has(f)));
  const explicitTaken = new Set<string>();
  const fields = headers.map((h) => {
    const key = headerKey(h);
    if (explicitByKey.has(key)) {
      const field = explicitByKey.get(key);
      if (!field || !known.has(field) || explicitTaken.has(field)) return null;
      explicitTaken.add(field);
      return field;
    }
    const field = byKey.get(key) ?? null;
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
  const missing = specs.filter((s) => s.required && !taken.has(s.field)).map((s) => s.field);
  return { fields, missing, problems };
}
