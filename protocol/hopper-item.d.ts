/**
 * What cms hands the dialer-worker from a campaign's hopper (`POST /api/campaigns/:id/dialable`,
 * body `HopperRequest`): the next phones that may be dialed now, each cleared by every compliance rule.
 */

/**
 * What the worker asks the hopper for. A body, not a query string: the worker lists every attempt it
 * holds, and past a few hundred of them a URL is longer than servers take (431). cms answers a clear
 * 400 naming the field beyond these bounds (cms `src/dialing/hopper-request.ts`).
 */
export type HopperRequest = {
  /** How many items at most, 1 to 200. */
  limit: number;
  /** Phones the worker has a live attempt on (at most 10,000, each at most 32 characters). */
  exclude?: string[];
  /** Accounts the worker holds an attempt of whose record has not reached cms yet (at most 10,000 documentIds, each at most 32 characters). */
  excludeAccounts?: string[];
  /** Check this one account only (a preview about to be dialed). */
  account?: string;
};

/** The account as the agent first sees it: fetched with the hopper, so the screen pop paints without a REST round trip. */
export type AccountSummary = {
  documentId: string;
  accountNumber: string;
  debtorName: string;
  clientName: string;
  balance: number;
  /** ISO 4217 */
  currency: string;
  daysPastDue: number | null;
  status: string;
  /** The debtor's IANA time zone: the console shows their local time from it. */
  timezone: string;
  /** When this campaign may call the debtor, `HH:MM` local, end excluded (the legal hours narrowed by the campaign's window). */
  callingWindow: { start: string; end: string };
  /** The phone being dialed. */
  phone: {
    number: string;
    type: string | null;
    autodialConsent: boolean;
    consentDate: string | null;
    consentSource: string | null;
  };
};

export type HopperItem = {
  kind: 'callback' | 'account';
  callbackDocumentId: string | null;
  accountDocumentId: string;
  accountNumber: string;
  phone: string;
  phoneType: string;
  /** No autodial consent (or the UK redial lock): dialed only with an agent held for it. */
  reservedAgentRequired: boolean;
  /** Who should take the call when it connects: the callback's owner, else the account's agent (a preference, not a rule). */
  preferredAgentId: number | null;
  /** The facts checked before dialing, kept on the call record. */
  receipt: Record<string, unknown>;
  account: AccountSummary;
};

/** Why a running campaign has no phone to dial, counted in accounts (cms `src/dialing/nothing-to-dial.ts`). */
export type NothingToDialCode =
  | 'outside_calling_window'
  | 'retry_delay'
  | 'daily_limit'
  | 'weekly_limit'
  | 'after_conversation'
  | 'attempt_limit'
  | 'no_callable_phone'
  | 'no_phones'
  | 'in_flight'
  | 'all_done';

export type NothingToDialReason = {
  code: NothingToDialCode;
  accounts: number;
  /** outside_calling_window: the soonest a window opens, at its start in that zone. */
  nextWindow?: { at: string; timeZone: string; localTime: string };
};

export type NothingToDial = { remainingAccounts: number; reasons: NothingToDialReason[] };

/** The whole answer of the hopper endpoint (`data`). */
export type Hopper = {
  campaign: { documentId: string; state: string; dialMode: string };
  items: HopperItem[];
  /** Why candidates were left out, counted by rule (`outside_calling_hours`, `dnc`, …). */
  refusals: Record<string, number>;
  /** Why a running campaign has nothing to dial now; null while something dials (metadata of the answer, never of an item). */
  nothingToDial: NothingToDial | null;
};
