/**
 * Which field each column of a file fills, as the Imports page shows and edits it: proposed by
 * cms's own matcher (field names, the export's column names, common synonyms), changed by the
 * supervisor, and sent as the import's `mapping`. Pure.
 */
import { headerKey, mapColumns } from '@cms/imports/column-mapping';
import { KIND_FIELDS, type ImportKind } from '@cms/imports/import-kinds';

export type { ImportKind };
export const IMPORT_KINDS: Array<{ value: ImportKind; label: string }> = [
  { value: 'accounts', label: 'Accounts (placement)' },
  { value: 'dnc', label: 'Do-not-call numbers' },
  { value: 'payments', label: 'Payments' },
];

/** A column's choice: a field of the kind, or null to leave the column out. */
export type ColumnChoice = string | null;

export const requiredFields = (kind: ImportKind) => KIND_FIELDS[kind].filter((f) => f.required).map((f) => f.field);

export function fieldOptions(kind: ImportKind): Array<{ value: string; label: string }> {
  return KIND_FIELDS[kind].map((f) => ({ value: f.field, label: f.required ? `${f.field} (required)` : f.field }));
}

/** What cms would do with these headers and no mapping. */
export function proposedFields(headers: string[], kind: ImportKind): ColumnChoice[] {
  return mapColumns(headers, kind, {}).fields;
}

/** A saved mapping (header → field) applied to this file's headers; columns it does not name keep their proposal. */
export function applyTemplate(headers: string[], kind: ImportKind, template: Record<string, string | null>): ColumnChoice[] {
  const byKey = new Map(Object.entries(template).map(([h, f]) => [headerKey(h), f]));
  const proposed = proposedFields(headers, kind);
  const known = new Set(KIND_FIELDS[kind].map((f) => f.field));
  return headers.map((h, i) => {
    const key = headerKey(h);
    if (!byKey.has(key)) return proposed[i];
    const f = byKey.get(key) ?? null;
    return f && known.has(f) ? f : null;
  });
}

/**
 * The `mapping` sent with the file: every column named, so that the import does exactly what
 * the page showed whatever cms's matcher would have guessed. Blank headers cannot be named.
 */
export function mappingOf(headers: string[], choices: ColumnChoice[]): Record<string, string | null> {
  const mapping: Record<string, string | null> = {};
  headers.forEach((h, i) => {
    if (h.trim() !== '' && !(h in mapping)) mapping[h] = choices[i] ?? null;
  });
  return mapping;
}

/** What stops the file from importing as mapped: a required field no column fills, a field two columns fill. */
export function mappingProblems(headers: string[], kind: ImportKind, choices: ColumnChoice[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  headers.forEach((h, i) => {
    const f = choices[i];
    if (!f) return;
    if (seen.has(f)) problems.push(`${f} is chosen for two columns: "${seen.get(f)}" and "${h}"`);
    else seen.set(f, h);
  });
  const missing = requiredFields(kind).filter((f) => !seen.has(f));
  if (missing.length) problems.push(`No column fills ${missing.join(', ')} (required)`);
  return problems;
}
