import dayjs, { type Dayjs } from 'dayjs';

export type PresetKey = 'today' | 'week' | 'month' | 'custom';
export type Period = { from: string; to: string };

const day = (d: Dayjs) => d.format('YYYY-MM-DD');

/** The period a preset names on a given day (weeks start on Monday), and the one before it, as long. */
export function presetPeriod(preset: Exclude<PresetKey, 'custom'>, today: Dayjs): Period {
  if (preset === 'today') return { from: day(today), to: day(today) };
  if (preset === 'week') return { from: day(today.subtract((today.day() + 6) % 7, 'day')), to: day(today) };
  return { from: day(today.startOf('month')), to: day(today) };
}

export function previousOf({ from, to }: Period): Period {
  const days = dayjs(to).diff(dayjs(from), 'day') + 1;
  return { from: day(dayjs(from).subtract(days, 'day')), to: day(dayjs(from).subtract(1, 'day')) };
}

/** The calls list, filtered to what a report row counts (Refine keeps list filters in the address). */
export function callsDrillDown(period: Period, by: { agentId?: number | null; campaignDocumentId?: string | null; day?: string }): string {
  const from = by.day ?? period.from, to = by.day ?? period.to;
  const filters: Array<[string, string, string]> = [
    ['queuedAt', 'gte', dayjs(from).startOf('day').toISOString()],
    ['queuedAt', 'lte', dayjs(to).endOf('day').toISOString()],
  ];
  if (by.agentId) filters.push(['agent.id', 'eq', String(by.agentId)]);
  if (by.campaignDocumentId) filters.push(['campaign.documentId', 'eq', by.campaignDocumentId]);
  const q = filters.flatMap(([field, operator, value], i) => [`filters[${i}][field]=${encodeURIComponent(field)}`, `filters[${i}][operator]=${operator}`, `filters[${i}][value]=${encodeURIComponent(value)}`]);
  return `/calls?${q.join('&')}`;
}
