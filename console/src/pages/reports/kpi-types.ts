export type KpiRow = {
  key: string | null; id: number | null; label: string;
  dials: number; connects: number; rightPartyContacts: number; promises: number; promisedAmount: number; promisesDue: number; promisesKept: number;
  promisesPartiallyKept: number; promisesBroken: number; collectedAmount: number; liveAnswered: number; abandoned: number; talkSeconds: number; wrapSeconds: number;
  loggedInSeconds: number | null; pausedSeconds: number | null;
  contactRate: number | null; rpcRate: number | null; rpcPerConnect: number | null; ptpRate: number | null; keptRate: number | null; abandonRate: number | null;
  aht: number | null; utilization: number | null; occupancy: number | null;
};
/** A campaign's average agent, given to an agent beside their own figures; `average` null when withheld (fewer than 3 agents). */
export type PeerAverage = { key: string | null; id: number; label: string; agents: number; average: Omit<KpiRow, 'key' | 'id' | 'label'> | null };
export type KpiReport = { data: KpiRow[]; totals: Omit<KpiRow, 'key' | 'id' | 'label'>; peerAverage?: PeerAverage[]; meta: { definitions: Record<string, string>; currencies: string[]; timeZones: Record<string, string> } };
