/** "just now", "5 minutes ago", "yesterday": how long ago a moment was, for lists whose exact time is on hover. Pure. */
const words = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [['second', 60], ['minute', 60], ['hour', 24], ['day', 7], ['week', 4.348], ['month', 12], ['year', Infinity]];

export function relativeTime(iso: string, now: number): string {
  let value = (new Date(iso).getTime() - now) / 1000;
  if (Math.abs(value) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(value) < size) return words.format(Math.trunc(value), unit);
    value /= size;
  }
  return words.format(Math.trunc(value), 'year');
}
