export type FieldChange = { before: unknown; after: unknown };
export type Changes = Record<string, FieldChange>;

const IGNORED = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations']);
export const REDACTED = '[redacted]';
const SECRET_FIELDS = new Set(['password', 'resetPasswordToken', 'confirmationToken', 'registrationToken']);

function stripIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripIds);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'id' && k !== '__component') out[k] = stripIds(v);
    return out;
  }
  return value;
}

/**
 * A stored value in the form an auditor compares: relations as documentIds
 * (sorted for to-many), components without their row ids, dates as ISO
 * strings, decimals as numbers.
 */
export function auditValue(attr: { type: string; relation?: string } | undefined, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (!attr) return value;
  switch (attr.type) {
    case 'relation': {
      const ref = (v: any) => (v && typeof v === 'object' ? (v.documentId ?? v.id ?? null) : v);
      if (Array.isArray(value)) return value.map(ref).sort();
      return ref(value);
    }
    case 'component':
    case 'dynamiczone':
      return stripIds(value);
    case 'datetime':
    case 'timestamp':
      return new Date(value as string).toISOString();
    case 'decimal':
    case 'float':
      return Number(value);
    case 'biginteger':
      return String(value);
    default:
      return value;
  }
}

/**
 * Equal as JSON. The common cases decided without serialising: the same primitive, or a value against
 * null (a create's every field) where the value is text, a boolean, a finite number or a list, which
 * JSON never writes as null.
 */
const same = (a: unknown, b: unknown) => {
  if (a === b) return true;
  if (a === null || b === null) {
    const v = a === null ? b : a;
    if (typeof v === 'string' || typeof v === 'boolean' || Array.isArray(v) || (typeof v === 'number' && Number.isFinite(v))) return false;
  }
  return JSON.stringify(a) === JSON.stringify(b);
};

/** Field-by-field differences between two versions of a document (either may be null). */
export function diffDocuments(
  attributes: Record<string, any>,
  before: Record<string, any> | null,
  after: Record<string, any> | null,
): Changes {
  const changes: Changes = {};
  for (const [field, attr] of Object.entries(attributes)) {
    if (IGNORED.has(field) || attr.private && !SECRET_FIELDS.has(field)) continue;
    if (before && !(field in before) && after && !(field in after)) continue;
    const b = before ? auditValue(attr, before[field]) : null;
    const a = after ? auditValue(attr, after[field]) : null;
    if (same(a, b)) continue;
    changes[field] = SECRET_FIELDS.has(field) || attr.type === 'password'
      ? { before: b === null ? null : REDACTED, after: a === null ? null : REDACTED }
      : { before: b, after: a };
  }
  return changes;
}
