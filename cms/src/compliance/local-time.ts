const formatters = new Map<string, Intl.DateTimeFormat>();
type Clock = { minutes: number; hhmm: string; date: string };
/** The last answer per zone: a hopper call asks the same instant in the same zone for every phone it checks, and formatToParts is its costliest step. */
const lastAnswer = new Map<string, { at: number; clock: Clock }>();

/** Minutes since local midnight in an IANA zone, and the local time as HH:MM. */
export function localClock(now: Date, timeZone: string): Clock {
  const at = now.getTime();
  const last = lastAnswer.get(timeZone);
  if (last && last.at === at) return { ...last.clock };
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(now).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  const clock = {
    minutes: hour * 60 + minute,
    hhmm: `${String(hour).padStart(2, '0')}:${parts.minute}`,
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
  lastAnswer.set(timeZone, { at, clock });
  return { ...clock };
}

export const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const fromMinutes = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
