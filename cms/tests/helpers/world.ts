import type { Core } from '@strapi/strapi';
import { http } from './strapi';

export const PASSWORD = 'Tst-pass-2026-x9';

export type World = {
  prefix: string;
  clients: { a: any; b: any };
  users: Record<'agentA1' | 'agentA2' | 'supervisorA' | 'analystA' | 'agentB1' | 'supervisorB', any>;
  tokens: Record<string, string>;
  accounts: { a1: any; a1b: any; a2: any; b1: any };
  campaigns: { a: any; aNoAgent: any; b: any };
  calls: { a1: any; a2: any; b1: any };
  dispositions: any[];
};

async function createUser(strapi: Core.Strapi, username: string, role: string) {
  const roleRow = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: role } });
  return strapi.plugin('users-permissions').service('user').add({
    username,
    email: `${username.toLowerCase()}@test.example.com`,
    password: PASSWORD,
    provider: 'local',
    confirmed: true,
    blocked: false,
    role: roleRow.id,
  });
}

export async function login(strapi: Core.Strapi, identifier: string, password = PASSWORD): Promise<string> {
  const res = await http(strapi).post('/api/auth/local').send({ identifier, password });
  if (res.status !== 200) throw new Error(`login ${identifier}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.jwt;
}

let counter = 0;
export function uniquePrefix(label: string): string {
  return `${label}${Date.now().toString(36)}${counter++}`;
}

/**
 * Two clients, A and B, each with agents, a supervisor and (for A) an analyst,
 * accounts assigned to different agents, campaigns and calls: enough to test
 * every boundary of the access rules. Created through the document service,
 * as the admin panel would.
 */
export async function buildWorld(strapi: Core.Strapi, label: string): Promise<World> {
  const prefix = uniquePrefix(label);
  const u = async (name: string, role: string) => createUser(strapi, `${prefix}_${name}`, role);
  const users = {
    agentA1: await u('agentA1', 'agent'),
    agentA2: await u('agentA2', 'agent'),
    supervisorA: await u('supervisorA', 'supervisor'),
    analystA: await u('analystA', 'analyst'),
    agentB1: await u('agentB1', 'agent'),
    supervisorB: await u('supervisorB', 'supervisor'),
  };
  const docs = (uid: string) => strapi.documents(uid as any);
  const members = (...list: any[]) => ({ connect: list.map((x) => ({ id: x.id })) });
  const a = await docs('api::client.client').create({
    data: { name: `${prefix} Bank A`, code: `${prefix.toUpperCase()}_A`, defaultCountry: 'US', members: members(users.agentA1, users.agentA2, users.supervisorA, users.analystA) },
  } as any);
  const b = await docs('api::client.client').create({
    data: { name: `${prefix} Bank B`, code: `${prefix.toUpperCase()}_B`, defaultCountry: 'GB', defaultTimezone: 'Europe/London', currency: 'GBP', members: members(users.agentB1, users.supervisorB) },
  } as any);
  const account = (client: any, n: string, agent: any, phone: string, tz = 'America/Chicago') =>
    docs('api::account.account').create({
      data: {
        accountNumber: `${prefix}-${n}`, client: client.documentId, debtorFirstName: 'Pat', debtorLastName: `Debtor${n}`,
        balance: 1234.5, timezone: tz, assignedAgent: agent.id,
        phones: [{ number: phone, type: 'mobile', status: 'valid', autodialConsent: false }],
      },
      populate: ['phones'],
    } as any);
  const accounts = {
    a1: await account(a, '001', users.agentA1, '(312) 555-0101'),
    a1b: await account(a, '002', users.agentA1, '312-555-0102'),
    a2: await account(a, '003', users.agentA2, '+1 312 555 0103'),
    b1: await account(b, '004', users.agentB1, '020 7946 0018', 'Europe/London'),
  };
  const campaign = (client: any, name: string, agents: any[]) =>
    docs('api::campaign.campaign').create({ data: { name: `${prefix} ${name}`, client: client.documentId, dialMode: 'progressive', agents: members(...agents) } } as any);
  const campaigns = {
    a: await campaign(a, 'A main', [users.agentA1, users.agentA2]),
    aNoAgent: await campaign(a, 'A other', [users.agentA2]),
    b: await campaign(b, 'B main', [users.agentB1]),
  };
  const call = (acc: any, camp: any, agent: any, attempt: string) =>
    docs('api::call.call').create({
      data: { attemptId: `${prefix}-${attempt}`, account: acc.documentId, campaign: camp.documentId, agent: agent.id, phone: acc.phones[0].number, outcome: 'connected', queuedAt: new Date().toISOString() },
    } as any);
  const calls = {
    a1: await call(accounts.a1, campaigns.a, users.agentA1, 'c1'),
    a2: await call(accounts.a2, campaigns.a, users.agentA2, 'c2'),
    b1: await call(accounts.b1, campaigns.b, users.agentB1, 'c3'),
  };
  const dispositions = await docs('api::disposition.disposition').findMany({});
  const tokens: Record<string, string> = {};
  for (const [key, user] of Object.entries(users)) tokens[key] = await login(strapi, user.username);
  return { prefix, clients: { a, b }, users, tokens, accounts, campaigns, calls, dispositions };
}
