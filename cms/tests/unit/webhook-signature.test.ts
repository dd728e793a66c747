import { signTelephonyEvent, verifyTelephonySignature } from '../../src/telephony/webhook-signature';

const secret = 'demo-webhook-secret';
const body = '{"id":"evt_1","type":"call.ringing"}';
const now = 1_800_000_000;
const ts = String(now);
const good = signTelephonyEvent(secret, ts, body);

describe('verifyTelephonySignature', () => {
  it('signs as Slack and Stripe do: HMAC-SHA256 of "<timestamp>.<raw body>", hex', () => {
    // From openssl, not from the code under test: printf '1800000000.{"id":"evt_1","type":"call.ringing"}' | openssl dgst -sha256 -hmac demo-webhook-secret
    expect(good).toBe('sha256=9f2d342cad40164a111693742a90b69fc1e977e76fc81b2e7adb96fe652ebb87');
  });

  it.each<[string, Partial<Parameters<typeof verifyTelephonySignature>[0]>, string | null]>([
    ['a good signature now', {}, null],
    ['upper-case hex', { signature: good.toUpperCase().replace('SHA256=', 'sha256=') }, null],
    ['4 min 59 s early', { nowSec: now - 299 }, null],
    ['exactly 5 min late', { nowSec: now + 300 }, null],
    ['5 min 1 s late', { nowSec: now + 301 }, 'STALE_TIMESTAMP'],
    ['5 min 1 s early', { nowSec: now - 301 }, 'STALE_TIMESTAMP'],
    ['another secret', { secret: 'other' }, 'BAD_SIGNATURE'],
    ['one byte of the body changed', { rawBody: body.replace('ringing', 'rInging') }, 'BAD_SIGNATURE'],
    ['the body re-serialised with a space', { rawBody: body.replace(':', ': ') }, 'BAD_SIGNATURE'],
    ['the timestamp changed (signature replayed with a fresh time)', { timestamp: String(now + 1), nowSec: now + 1 }, 'BAD_SIGNATURE'],
    ['no signature', { signature: undefined }, 'MISSING_SIGNATURE'],
    ['a signature as an array (repeated header)', { signature: [good, good] }, 'MISSING_SIGNATURE'],
    ['no sha256= prefix', { signature: good.slice(7) }, 'MALFORMED_SIGNATURE'],
    ['a short digest', { signature: good.slice(0, -2) }, 'MALFORMED_SIGNATURE'],
    ['no timestamp', { timestamp: undefined }, 'MISSING_TIMESTAMP'],
    ['a timestamp in milliseconds-with-letters', { timestamp: '18e8' }, 'MISSING_TIMESTAMP'],
  ])('%s', (_name, patch, code) => {
    const result = verifyTelephonySignature({ secret, timestamp: ts, signature: good, rawBody: body, nowSec: now, ...patch });
    expect((result as { code?: string }).code ?? null).toBe(code);
    expect(result.ok).toBe(code === null);
  });

  it('checks a Buffer body byte for byte', () => {
    expect(verifyTelephonySignature({ secret, timestamp: ts, signature: good, rawBody: Buffer.from(body), nowSec: now }).ok).toBe(true);
  });
});
