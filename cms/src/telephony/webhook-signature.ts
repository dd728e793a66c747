import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureProblem = 'MISSING_SIGNATURE' | 'MALFORMED_SIGNATURE' | 'BAD_SIGNATURE' | 'MISSING_TIMESTAMP' | 'STALE_TIMESTAMP';

export type SignatureCheck = { ok: true } | { ok: false; code: SignatureProblem; message: string };

/** How far a provider's clock may be from ours, either way (Slack and Stripe allow five minutes). */
export const MAX_SKEW_SEC = 300;

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, as a provider signs an event. */
export function signTelephonyEvent(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(rawBody);
  return `sha256=${mac.digest('hex')}`;
}

/**
 * Checks a provider's event: the signature over the exact bytes received (not a re-serialised
 * body), compared in constant time, and a timestamp within the skew so a captured request
 * cannot be replayed later. Pure: `nowSec` is the caller's clock.
 */
export function verifyTelephonySignature(input: {
  secret: string;
  timestamp: unknown;
  signature: unknown;
  rawBody: string | Buffer;
  nowSec: number;
  maxSkewSec?: number;
}): SignatureCheck {
  const { secret, timestamp, signature, rawBody, nowSec } = input;
  const skew = input.maxSkewSec ?? MAX_SKEW_SEC;
  if (typeof timestamp !== 'string' || timestamp === '') return { ok: false, code: 'MISSING_TIMESTAMP', message: 'X-Timestamp is required (Unix seconds)' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, code: 'MISSING_TIMESTAMP', message: 'X-Timestamp must be Unix seconds' };
  if (typeof signature !== 'string' || signature === '') return { ok: false, code: 'MISSING_SIGNATURE', message: 'X-Signature is required' };
  const sent = /^sha256=([0-9a-fA-F]{64})$/.exec(signature.trim());
  if (!sent) return { ok: false, code: 'MALFORMED_SIGNATURE', message: 'X-Signature must be sha256=<64 hex digits>' };
  const expected = Buffer.from(signTelephonyEvent(secret, timestamp, rawBody).slice('sha256='.length), 'hex');
  const given = Buffer.from(sent[1], 'hex');
  // Signature before clock: a bad signature says nothing about our time to whoever sent it.
  if (!timingSafeEqual(expected, given)) return { ok: false, code: 'BAD_SIGNATURE', message: 'X-Signature does not match the body' };
  if (Math.abs(nowSec - Number(timestamp)) > skew) return { ok: false, code: 'STALE_TIMESTAMP', message: `X-Timestamp is more than ${skew} s from the server's clock` };
  return { ok: true };
}
