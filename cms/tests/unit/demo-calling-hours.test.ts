import { DEMO_CLIENTS, PROFILE_COUNTRIES, demoAccounts } from '../../src/bootstrap/demo-seed';
import { evaluateDial } from '../../src/compliance/dial-rules';
import { matchesAccountFilter } from '../../src/dialing/account-filter';
import type { Compliance } from '../../src/shared-config';

const rules = require('../../../config/compliance.json') as Compliance;
// The campaign defaults of the schema, as the demo creates its campaigns.
const SCHEMA_DEFAULTS = { callWindowStart: '08:00', callWindowEnd: '21:00', maxAttemptsPerAccount: 20, maxAttemptsPerPhonePerDay: 2, retryDelayMinutes: 120 };
const FRESH = { accountAttemptsLast7Days: 0, lastConversationAt: null, campaignAttempts: 0, phoneAttemptsToday: 0, lastAttemptOnPhoneAt: null, lastAbandonOnPhoneAt: null };

const seeded = DEMO_CLIENTS.map((client) => ({
  client,
  accounts: demoAccounts(client.accounts, { seed: client.seed, prefix: client.accountPrefix, creditor: client.creditor, agents: client.users.filter((u) => u.role === 'agent').length }),
}));

/** Accounts of a demo client with a phone the real dial rules clear at `now`, per campaign. */
function dialableAt(now: Date, { client, accounts }: (typeof seeded)[number]): Record<string, number> {
  return Object.fromEntries(
    client.campaigns.map((campaign) => [
      campaign.name,
      accounts.filter(
        (a) =>
          matchesAccountFilter(campaign.accountFilter, a) &&
          a.phones.some(
            (phone) =>
              evaluateDial(now, rules, { ...SCHEMA_DEFAULTS, complianceProfile: campaign.complianceProfile }, {
                accountStatus: a.status,
                timezone: a.timezone,
                phone: { number: phone.number, status: phone.status, autodialConsent: phone.autodialConsent },
                onDnc: false,
                history: FRESH,
                isCallback: false,
              }).dialable,
          ),
      ).length,
    ]),
  );
}

// Winter and summer time move the US and UK windows by an hour, on different dates.
const DAYS = ['2026-01-14', '2026-03-10', '2026-07-15', '2026-10-28'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

describe('the demo gives calls at any hour', () => {
  it.each(DAYS.flatMap((day) => HOURS.map((h) => [day, h] as const)))('on %s at %i:00 UTC every demo agent has accounts to dial', (day, hour) => {
    for (const s of seeded) {
      const counts = dialableAt(new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`), s);
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      // Every agent is on every campaign of their client: what one campaign lacks, another has.
      expect({ client: s.client.name, total: total >= 3 }).toEqual({ client: s.client.name, total: true });
    }
  });

  it('puts every debtor in campaigns whose compliance profile is written for their country', () => {
    for (const { client, accounts } of seeded) {
      for (const campaign of client.campaigns) {
        const theirs = accounts.filter((a) => matchesAccountFilter(campaign.accountFilter, a));
        expect(theirs.length).toBeGreaterThan(0);
        expect(theirs.filter((a) => !PROFILE_COUNTRIES[campaign.complianceProfile].includes(a.country))).toEqual([]);
      }
      // Debtors of both profiles, and each in a campaign of its own.
      expect(new Set(accounts.map((a) => a.country)).size).toBeGreaterThanOrEqual(6);
      expect(new Set(client.campaigns.map((c) => c.complianceProfile))).toEqual(new Set(['us', 'uk']));
    }
  });

  it('would not call the US book at 11:30 UTC, when only the UK is awake: the rules still hold', () => {
    const [demoBank] = seeded;
    const counts = dialableAt(new Date('2026-07-15T11:30:00Z'), demoBank);
    expect(counts['Early stage 1-60 DPD']).toBe(0);
    expect(counts['UK cards, all stages']).toBeGreaterThan(0);
  });
});
