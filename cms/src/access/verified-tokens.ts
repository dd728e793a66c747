/**
 * Access tokens whose signature has been checked, so that the next request with the same token
 * skips the HMAC and the JSON decoding (jsonwebtoken's verify was ~6 % of an agent's account
 * read). A signature is a pure function of the token and the secret: a token verified once stays
 * verified for this process's secret. What changes with time is checked at every use: the token
 * is served only before its `exp`, and never when it has an `nbf` or no `exp` (those are verified
 * each time). Whether its session is still open is not a property of the token: callers check it
 * on every request as before. At most `max` tokens (the oldest go first).
 */
export type VerifiedTokens = {
  get(token: string): Record<string, unknown> | undefined;
  set(token: string, payload: Record<string, unknown>): void;
};

export function createVerifiedTokens(max: number, now: () => number = Date.now): VerifiedTokens {
  const tokens = new Map<string, { payload: Record<string, unknown>; expiresMs: number }>();
  return {
    get(token) {
      const entry = tokens.get(token);
      if (!entry) return undefined;
      // jsonwebtoken refuses a token once its clock in seconds reaches exp.
      if (Math.floor(now() / 1000) * 1000 >= entry.expiresMs) {
        tokens.delete(token);
        return undefined;
      }
      return entry.payload;
    },
    set(token, payload) {
      if (typeof payload.exp !== 'number' || payload.nbf !== undefined) return;
      if (tokens.size >= max) tokens.delete(tokens.keys().next().value!);
      tokens.set(token, { payload, expiresMs: payload.exp * 1000 });
    },
  };
}
