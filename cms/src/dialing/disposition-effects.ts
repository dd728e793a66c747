export type DispositionFlags = { code: string; doNotCall?: boolean; final?: boolean };
export type DispositionEffects = { dncReason: string | null; accountStatus: string | null };

const FINAL_STATUS: Record<string, string> = {
  PIF: 'paid',
  DISPUTE: 'dispute',
  CEASE: 'cease_contact',
  ATTORNEY: 'cease_contact',
  DECEASED: 'closed',
};
const DNC_REASON: Record<string, string> = {
  CEASE: 'cease_and_desist',
  ATTORNEY: 'attorney',
  WRONG_NUMBER: 'wrong_number',
  DECEASED: 'deceased',
};

/**
 * What recording a disposition does beyond the call: a do-not-call
 * disposition puts the number on the client's DNC list, and a final one takes
 * the account out of dialing by its status (the hopper skips held statuses).
 */
export function dispositionEffects(d: DispositionFlags): DispositionEffects {
  return {
    dncReason: d.doNotCall ? (DNC_REASON[d.code] ?? 'debtor_request') : null,
    accountStatus: d.final ? (FINAL_STATUS[d.code] ?? 'closed') : null,
  };
}
