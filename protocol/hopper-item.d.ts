/**
 * What cms hands the dialer-worker from a campaign's hopper (`GET /api/campaigns/:id/dialable`):
 * the next phones that may be dialed now, each cleared by every compliance rule.
 */

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

/** The whole answer of the hopper endpoint (`data`). */
export type Hopper = {
  campaign: { documentId: string; state: string; dialMode: string };
  items: HopperItem[];
  /** Why candidates were left out, counted by rule (`outside_calling_hours`, `dnc`, …). */
  refusals: Record<string, number>;
};
