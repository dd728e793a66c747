import { createVerifiedTokens } from '../../src/access/verified-tokens';

const T0 = 1_800_000_000_000; // ms, a whole second

describe('verified access tokens', () => {
  it.each<[string, boolean, Record<string, unknown>, number]>([
    ['before exp', true, { exp: T0 / 1000 + 60 }, T0],
    ['the last millisecond of the second before exp', true, { exp: T0 / 1000 + 60 }, T0 + 59_999],
    ['at exp (jsonwebtoken refuses it from that second)', false, { exp: T0 / 1000 + 60 }, T0 + 60_000],
    ['half a second into exp', false, { exp: T0 / 1000 + 60 }, T0 + 60_500],
    ['after exp', false, { exp: T0 / 1000 + 60 }, T0 + 3_600_000],
    ['without exp (verified every time)', false, { userId: 1 }, T0],
    ['with an exp that is not a number', false, { exp: String(T0 / 1000 + 60) }, T0],
    ['with nbf (verified every time)', false, { exp: T0 / 1000 + 60, nbf: T0 / 1000 }, T0],
  ])('a token %s: served from memory %s', (_label, served, payload, at) => {
    let now = T0;
    const tokens = createVerifiedTokens(10, () => now);
    tokens.set('a.b.c', payload);
    now = at;
    expect(tokens.get('a.b.c')).toBe(served ? payload : undefined);
  });

  it('forgets an expired token, and serves it no more even if the clock went back', () => {
    let now = T0;
    const tokens = createVerifiedTokens(10, () => now);
    tokens.set('a.b.c', { exp: T0 / 1000 + 1 });
    now = T0 + 1_000;
    expect(tokens.get('a.b.c')).toBeUndefined();
    now = T0;
    expect(tokens.get('a.b.c')).toBeUndefined();
  });

  it('knows only the tokens it was given, by their whole text', () => {
    const tokens = createVerifiedTokens(10, () => T0);
    tokens.set('a.b.c', { exp: T0 / 1000 + 60 });
    for (const other of ['a.b.C', 'a.b.c ', 'a.b', '', 'a.b.cd']) expect(tokens.get(other)).toBeUndefined();
  });

  it('holds at most max tokens, the oldest going first', () => {
    const tokens = createVerifiedTokens(3, () => T0);
    for (const t of ['t1', 't2', 't3', 't4']) tokens.set(t, { exp: T0 / 1000 + 60 });
    expect(['t1', 't2', 't3', 't4'].map((t) => tokens.get(t) !== undefined)).toEqual([false, true, true, true]);
  });
});
