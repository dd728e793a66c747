/** Times in the debtor's zone, for the callback picker and the account header. Pure: instants are parameters. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

export type LocalParts = { date: string; hhmm: string; minutes: number };

/** The wall clock in `timeZone` at an instant. */
export function localParts(instant: number, timeZone: string): LocalParts {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const hour = Number(p.hour) % 24;
  return { date: `${p.year}-${p.month}-${p.day}`, hhmm: `${String(hour).padStart(2, '0')}:${p.minute}`, minutes: hour * 60 + Number(p.minute) };
}

function offsetMs(instant: number, timeZone: string): number {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` reads `date` `hhmm`. */
export function zonedInstant(date: string, hhmm: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = hhmm.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The offset at the guess, then at the result: right on both sides of a DST change.
  const first = wall - offsetMs(wall, timeZone);
  return wall - offsetMs(first, timeZone);
}

export const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export type CallingWindow = { start: string; end: string };

/** The narrower of the legal window and the campaign's: where both allow a call. */
export function narrowWindow(legal: CallingWindow, campaign?: Partial<CallingWindow> | null): CallingWindow {
  const start = campaign?.start && toMinutes(campaign.start) > toMinutes(legal.start) ? campaign.start : legal.start;
  const end = campaign?.end && toMinutes(campaign.end) < toMinutes(legal.end) ? campaign.end : legal.end;
  return { start, end };
}

/** Why a callback at this debtor-local time may not be booked, or null when it may. The window is [start, end). */
export function callbackRefusal(date: string, hhmm: string, timeZone: string, window: CallingWindow, now: number): string | null {
  const m = toMinutes(hhmm);
  if (m < toMinutes(window.start) || m >= toMinutes(window.end)) return `Outside the calling window (${window.start}–${window.end} the debtor's time)`;
  if (zonedInstant(date, hhmm, timeZone) <= now) return 'That time has passed';
  return null;
}

/** A due date typed as `YYYY-MM-DD`, or `+N` for N days after `today` (a `YYYY-MM-DD`); null when neither. */
export function parseDueDate(text: string, today: string): string | null {
  const t = text.trim();
  const rel = /^\+(\d{1,4})$/.exec(t);
  if (rel) {
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + Number(rel[1]));
    return d.toISOString().slice(0, 10);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return null;
  const d = new Date(`${t}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === t ? t : null;
}
