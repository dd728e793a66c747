export const GROUP_BYS = ['day', 'agent', 'campaign', 'client'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export type KpiRequest = {
  from: string;
  to: string;
  groupBy: GroupBy;
  /** documentIds (clients, campaigns) and a user id or documentId (agent), as the reader sent them. */
  client: string | null;
  campaign: string | null;
  agent: string | null;
};

export type KpiRequestProblem = { path: string[]; message: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DOCUMENT_ID = /^[A-Za-z0-9]{1,64}$/;
/** A report reads at most a year and a day: wider is a typo or an export's job. */
export const MAX_DAYS = 367;

const isRealDate = (s: string) => {
  if (!DATE.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
};

/**
 * The report's query string, normalised as Strapi's parser leaves it (a
 * repeated key arrives as a list, `a[b]=c` as an object): each parameter must
 * be one plain string, otherwise the request is refused naming the parameter.
 */
export function readKpiRequest(query: Record<string, unknown>): { value: KpiRequest | null; problems: KpiRequestProblem[] } {
  const problems: KpiRequestProblem[] = [];
  const one = (name: string): string | null => {
    const v = query[name];
    if (v === undefined || v === '') return null;
    if (typeof v !== 'string') {
      problems.push({ path: [name], message: `${name} must be given once, as plain text` });
      return null;
    }
    return v;
  };
  const from = one('from'), to = one('to');
  const groupBy = one('groupBy') ?? 'day';
  const client = one('client'), campaign = one('campaign'), agent = one('agent');
  if (!from) problems.push({ path: ['from'], message: 'from is required, as YYYY-MM-DD' });
  else if (!isRealDate(from)) problems.push({ path: ['from'], message: 'from must be a date YYYY-MM-DD' });
  if (!to) problems.push({ path: ['to'], message: 'to is required, as YYYY-MM-DD' });
  else if (!isRealDate(to)) problems.push({ path: ['to'], message: 'to must be a date YYYY-MM-DD' });
  if (from && to && isRealDate(from) && isRealDate(to)) {
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    if (days < 1) problems.push({ path: ['to'], message: 'to must not be before from' });
    else if (days > MAX_DAYS) problems.push({ path: ['to'], message: `the period must be at most ${MAX_DAYS} days` });
  }
  if (!(GROUP_BYS as readonly string[]).includes(groupBy)) problems.push({ path: ['groupBy'], message: `groupBy must be one of: ${GROUP_BYS.join(', ')}` });
  for (const [name, v] of [['client', client], ['campaign', campaign], ['agent', agent]] as const) {
    if (v !== null && !DOCUMENT_ID.test(v)) problems.push({ path: [name], message: `${name} must be a documentId` });
  }
  for (const name of Object.keys(query)) {
    if (!['from', 'to', 'groupBy', 'client', 'campaign', 'agent'].includes(name)) problems.push({ path: [name], message: `${name} is not a parameter of this report` });
  }
  if (problems.length) return { value: null, problems };
  return { value: { from: from!, to: to!, groupBy: groupBy as GroupBy, client, campaign, agent }, problems };
}

/** The period just before, of the same length: the dashboard's "previous period". */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: day(Date.parse(from) - days * 86_400_000), to: day(Date.parse(from) - 86_400_000) };
}
