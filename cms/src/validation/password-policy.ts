export const PASSWORD_MIN_LENGTH = 10;

const COMMON = ['password', 'passw0rd', 'qwerty', '12345678', 'letmein', 'welcome', 'collections', 'changeme'];

/** Why a new password is refused, or null. Rules a collections agency's auditors ask for, without composition theatre. */
export function passwordProblem(password: unknown, identity: { username?: string; email?: string } = {}): string | null {
  if (typeof password !== 'string') return 'is required';
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > 128) return 'must be at most 128 characters';
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'must contain letters and digits';
  const lower = password.toLowerCase();
  if (COMMON.some((c) => lower.includes(c))) return 'is too common';
  const names = [identity.username, identity.email?.split('@')[0]].filter((n) => n && n.length >= 3) as string[];
  if (names.some((n) => lower.includes(n.toLowerCase()))) return 'must not contain the username or email';
  return null;
}
