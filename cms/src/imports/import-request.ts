import { IMPORT_KINDS, IMPORT_MODES, ON_DUPLICATE, type ImportKind, type ImportMode, type OnDuplicate } from './import-kinds';
import type { FieldError } from '../validation/record-rules';

export type ImportRequest = { client: string; kind: ImportKind; mode: ImportMode; onDuplicate: OnDuplicate; mapping: Record<string, string | null> | null; sheet: string | null; template: string | null };

const problem = (field: string, message: string): FieldError => ({ path: [field], message, name: 'ValidationError' });
/** A multipart form field: one text value (a repeated field arrives as an array, which is refused). */
const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The form fields of an upload, checked and defaulted; every problem named by its field. */
export function readImportRequest(body: Record<string, unknown>, defaults: Partial<ImportRequest> = {}): { request?: ImportRequest; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const pick = <T extends string>(field: string, allowed: readonly T[], fallback: T): T => {
    const raw = body?.[field];
    if (raw === undefined || raw === '') return (defaults as any)[field] ?? fallback;
    const v = one(raw);
    if (v === undefined || !allowed.includes(v as T)) problems.push(problem(field, `${field} must be one of: ${allowed.join(', ')}`));
    return v as T;
  };
  const client = one(body?.client) ?? defaults.client;
  if (!client || !/^[a-z0-9]{1,64}$/.test(client)) problems.push(problem('client', 'client must be the documentId of a client'));
  const kind = pick('kind', IMPORT_KINDS, 'accounts');
  const mode = pick('mode', IMPORT_MODES, 'commit');
  const onDuplicate = pick('onDuplicate', ON_DUPLICATE, 'skip');
  let mapping: Record<string, string | null> | null = defaults.mapping ?? null;
  if (body?.mapping !== undefined && body.mapping !== '') {
    try {
      const parsed = typeof body.mapping === 'string' ? JSON.parse(body.mapping) : body.mapping;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.entries(parsed).some(([k, v]) => k.length > 255 || (v !== null && typeof v !== 'string'))) throw new Error();
      mapping = parsed;
    } catch {
      problems.push(problem('mapping', 'mapping must be a JSON object from a column header to a field name (or null to ignore the column)'));
    }
  }
  const sheet = one(body?.sheet) || defaults.sheet || null;
  const template = one(body?.template) || null;
  return problems.length ? { problems } : { request: { client: client!, kind, mode, onDuplicate, mapping, sheet, template }, problems };
}
