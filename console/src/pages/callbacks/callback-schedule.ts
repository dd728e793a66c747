/** A callback as the reminder and the day's list need it. */
export type DueCallback = { id: string; dueAt: string; state: string };

/** The reader's calendar day around `now`, as the instants that bound it. */
export function dayBounds(now: Date): { start: Date; end: Date } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return { start, end };
}

/** Scheduled callbacks that came due in (since, now]: each is reminded of once, when its time passes. */
export function cameDue<T extends DueCallback>(callbacks: T[], since: number, now: number): T[] {
  return callbacks.filter((c) => c.state === 'scheduled' && Date.parse(c.dueAt) > since && Date.parse(c.dueAt) <= now);
}

/** When the next scheduled callback after `now` comes due, or null when none does. */
export function nextDueAt(callbacks: DueCallback[], now: number): number | null {
  const times = callbacks.filter((c) => c.state === 'scheduled').map((c) => Date.parse(c.dueAt)).filter((t) => t > now);
  return times.length ? Math.min(...times) : null;
}
