const known = new Set<string>(
  typeof (Intl as any).supportedValuesOf === 'function' ? (Intl as any).supportedValuesOf('timeZone') : [],
);

/** True for a canonical or alias IANA zone name ("America/Chicago", "US/Eastern", "UTC"). */
export function isValidTimeZone(name: unknown): boolean {
  if (typeof name !== 'string' || !name.trim() || !/^[A-Za-z_]+(\/[A-Za-z0-9_+\-]+)*$/.test(name)) return false;
  if (known.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
