/**
 * The shape of `config/compliance.json`: the legal numbers cms (dialable-phone selection,
 * validation) and the dialer-worker (pacing, drop window) both enforce. The numbers themselves
 * live only in that file; each service reads it at start.
 */
export type ComplianceRules = {
  /** Recorded on every call: changing a number changes the rule-set version. */
  version: string;
  /** The legal calling window in the debtor's local time, `HH:MM`, end excluded. */
  callingHours: { start: string; end: string };
  abandon: {
    /** Abandoned ÷ live-answered, per campaign, over the window below. */
    maxRate: number;
    windowDays: { us: number };
    windowHours: { uk: number };
    /** A live answer reaches an agent within this many seconds, or it is abandoned. */
    dropWindowSecMax: number;
  };
  ringTimeoutSecMin: number;
  regulationF: { maxAttemptsPerAccount: number; periodDays: number; quietDaysAfterConversation: number };
  uk: { noRedialAfterAbandonHours: number; noRedialAfterMachineHangupHours: number };
  /** Account statuses that are never dialed. */
  holdStatuses: string[];
};

export type ComplianceProfile = 'us' | 'uk';
