import type { ProviderEvent, ProviderEventType } from './provider-call-state';

export type FieldProblem = { path: string[]; message: string };

const TYPES: ProviderEventType[] = ['call.ringing', 'call.answered', 'call.ended'];
const ID = /^[A-Za-z0-9._-]{1,56}$/;

/**
 * A provider's event body, checked field by field: `{ id, type, callId, from, to, at, agent? }`,
 * `at` an ISO time or Unix seconds. Arrays, objects and operators where a string belongs are
 * refused with the field named. Pure.
 */
export function readProviderEvent(body: unknown): { ok: true; event: ProviderEvent } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, problems: [{ path: [], message: 'the body must be a JSON object' }] };
  const b = body as Record<string, unknown>;
  const str = (field: string, max: number, required = true): string | null => {
    const v = b[field];
    if (v === undefined || v === null || v === '') {
      if (required) problems.push({ path: [field], message: `${field} is required` });
      return null;
    }
    if (typeof v !== 'string' || v.length > max) {
      problems.push({ path: [field], message: `${field} must be a string of at most ${max} characters` });
      return null;
    }
    return v;
  };
  const eventId = str('id', 56);
  if (eventId !== null && !ID.test(eventId)) problems.push({ path: ['id'], message: 'id must be letters, digits or ._-' });
  const type = str('type', 32);
  if (type !== null && !TYPES.includes(type as ProviderEventType)) problems.push({ path: ['type'], message: `type must be one of ${TYPES.join(', ')}` });
  const callId = str('callId', 56);
  if (callId !== null && !ID.test(callId)) problems.push({ path: ['callId'], message: 'callId must be letters, digits or ._-' });
  const from = str('from', 64, false) ?? '';
  const to = str('to', 64);
  const agent = str('agent', 64, false);
  let at: number | null = null;
  const rawAt = b.at;
  if (typeof rawAt === 'number' && Number.isFinite(rawAt) && rawAt > 0) at = rawAt * 1000;
  else if (typeof rawAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(rawAt) && !Number.isNaN(Date.parse(rawAt))) at = Date.parse(rawAt);
  else problems.push({ path: ['at'], message: 'at must be an ISO 8601 time or Unix seconds' });
  if (problems.length) return { ok: false, problems };
  return { ok: true, event: { eventId: eventId!, type: type as ProviderEventType, callId: callId!, from, to: to!, at: at!, agent } };
}
