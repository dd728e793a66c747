import { CommandError } from './command-errors';

/**
 * A Strapi 5 documentId: what `@paralleldrive/cuid2`'s `createId()` makes (24 characters,
 * lowercase letters and digits). Nothing else is ever a record's id, so nothing else may
 * reach a cms URL or body from a socket.
 */
export const DOCUMENT_ID = /^[a-z0-9]{24}$/;
/** cms's ATTEMPT_ID (cms/src/dialing/attempt-recorder.ts): the key of a call record. */
export const ATTEMPT_ID = /^[A-Za-z0-9._:-]{6,64}$/;

type Payload = Record<string, unknown>;

function idIn(payload: Payload, field: string, shape: RegExp, what: string): string {
  const value = payload[field];
  // Shape first, on the raw value: an array or object never reaches String(), where ['x'] would pass as 'x'.
  if (typeof value !== 'string' || !shape.test(value)) throw new CommandError('INVALID', `${field} must be ${what}`);
  return value;
}

export function documentIdIn(payload: Payload, field: string): string {
  return idIn(payload, field, DOCUMENT_ID, 'a documentId (24 lowercase letters and digits)');
}

export function attemptIdIn(payload: Payload, field: string): string {
  return idIn(payload, field, ATTEMPT_ID, 'an attempt id (6-64 letters, digits or ._:-)');
}

/** The field's id when it is sent at all; `fallback` when it is absent (undefined or null). */
export function optionalDocumentIdIn(payload: Payload, field: string, fallback: string | null = null): string | null {
  return payload[field] === undefined || payload[field] === null ? fallback : documentIdIn(payload, field);
}

export function optionalAttemptIdIn(payload: Payload, field: string, fallback: string | null = null): string | null {
  return payload[field] === undefined || payload[field] === null ? fallback : attemptIdIn(payload, field);
}

/** A command's payload: an object, or nothing at all. */
export function payloadOf(raw: unknown): Payload {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new CommandError('INVALID', 'the payload must be an object');
  return raw as Payload;
}
