import { fork } from 'child_process';
import http_ from 'http';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';
import { binary, parseCsv, parseNdjson, parseXlsx, records } from '../helpers/export-files';

let strapi: Core.Strapi;
let w: World;
const mine: Record<string, Record<string, string>> = { promises: {}, callbacks: {}, dnc: {} };

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'exp');
  const docs = (uid: string) => strapi.documents(uid as any);
  const promise = async (key: string, account: any, agent: any) => {
    mine.promises[key] = `${w.prefix}-${key}`;
    await docs('api::promise-to-pay.promise-to-pay').create({ data: { account: account.documentId, agent: agent.id, amount: 50.25, dueDate: '2026-12-24', notes: mine.promises[key] } } as any);
  };
  await promise('p-a1', w.accounts.a1, w.users.agentA1);
  await promise('p-a2', w.accounts.a2, w.users.agentA2);
  await promise('p-b1', w.accounts.b1, w.users.agentB1);
  const callback = async (key: string, account: any, owner: any) => {
    mine.callbacks[key] = `${w.prefix}-${key}`;
    await docs('api::callback.callback').create({ data: { account: account.documentId, owner: owner.id, dueAt: '2026-12-24T15:00:00.000Z', notes: mine.callbacks[key] } } as any);
  };
  await callback('cb-a1', w.accounts.a1, w.users.agentA1);
  await callback('cb-a2-own-a1', w.accounts.a2, w.users.agentA1);
  await callback('cb-a2', w.accounts.a2, w.users.agentA2);
  await callback('cb-b1', w.accounts.b1, w.users.agentB1);
  const dnc = async (key: string, phone: string, client: any) => {
    const entry = await docs('api::dnc-entry.dnc-entry').create({ data: { phone, scope: client ? 'client' : 'global', client: client?.documentId ?? null, reason: 'debtor_request' } } as any);
    mine.dnc[key] = entry.phone;
  };
  await dnc('d-a', '+13125550171', w.clients.a);
  await dnc('d-b', '+13125550172', w.clients.b);
  await dnc('d-global', '+13125550173', null);
});
afterAll(() => stopStrapi(strapi));

const get = (who: string, url: string) => http(strapi).get(url).set('Authorization', `Bearer ${w.tokens[who]}`).buffer(true).parse(binary);
const text = (res: any) => (res.body as Buffer).toString('utf8');

describe('scope: an export holds exactly what the reader lists', () => {
  // For each type: the column that names a row of this world, and which of this world's rows each reader sees.
  const key = {
    accounts: 'accountNumber', calls: 'attemptId', 'promises-to-pay': 'notes', callbacks: 'notes', 'dnc-entries': 'phone',
  } as const;
  const worldRows = () => ({
    accounts: { a1: w.accounts.a1.accountNumber, a1b: w.accounts.a1b.accountNumber, a2: w.accounts.a2.accountNumber, b1: w.accounts.b1.accountNumber },
    calls: { a1: w.calls.a1.attemptId, a2: w.calls.a2.attemptId, b1: w.calls.b1.attemptId },
    'promises-to-pay': mine.promises,
    callbacks: mine.callbacks,
    'dnc-entries': mine.dnc,
  });
  const expected: Record<string, Record<string, string[] | 403>> = {
    agentA1: { accounts: ['a1', 'a1b'], calls: ['a1'], 'promises-to-pay': ['p-a1'], callbacks: ['cb-a1', 'cb-a2-own-a1'], 'dnc-entries': 403 },
    supervisorA: { accounts: ['a1', 'a1b', 'a2'], calls: ['a1', 'a2'], 'promises-to-pay': ['p-a1', 'p-a2'], callbacks: ['cb-a1', 'cb-a2-own-a1', 'cb-a2'], 'dnc-entries': ['d-a', 'd-global'] },
    analystA: { accounts: ['a1', 'a1b', 'a2'], calls: ['a1', 'a2'], 'promises-to-pay': ['p-a1', 'p-a2'], callbacks: ['cb-a1', 'cb-a2-own-a1', 'cb-a2'], 'dnc-entries': ['d-a', 'd-global'] },
    supervisorB: { accounts: ['b1'], calls: ['b1'], 'promises-to-pay': ['p-b1'], callbacks: ['cb-b1'], 'dnc-entries': ['d-b', 'd-global'] },
  };
  // Filter shapes that try to widen the scope: operators, nesting, arrays, other clients' ids, relations to users.
  const escapes = (): Array<[string, string]> => [
    ['none', ''],
    ['$or with an always-true branch', 'filters[$or][0][id][$gt]=0&filters[$or][1][id][$null]=true'],
    ['nested $and/$or/$not', 'filters[$and][0][$or][0][$not][id][$null]=true&filters[$and][0][$or][1][id][$notNull]=true'],
    ['the other client by id', `filters[client][id][$in][0]=${w.clients.b.id}&filters[client][id][$in][1]=${w.clients.a.id}`],
    ['the other client by documentId', `filters[$or][0][client][documentId][$eq]=${w.clients.b.documentId}&filters[$or][1][client][documentId][$eq]=${w.clients.a.documentId}`],
    ['a relation through client members', `filters[client][members][id][$gt]=0`],
    ['a filter given as an array', 'filters[0][id][$gt]=0'],
    ['an operator in capitals', 'filters[$OR][0][id][$gt]=0'],
    ['a filter given as a string', 'filters=%7B%22id%22%3A%7B%22%24gt%22%3A0%7D%7D'],
    ['ids of every row', `filters[id][$in][0]=${w.accounts.b1.id}&filters[id][$in][1]=${w.calls.b1.id}&filters[id][$in][2]=${w.accounts.a2.id}&filters[id][$in][3]=${w.calls.a2.id}`],
  ];

  const cases: Array<[string, string, string]> = [];
  for (const who of Object.keys(expected)) for (const type of Object.keys(key)) cases.push([who, type, '']);

  it.each(cases)('%s exporting %s sees their scope and nothing more, whatever the filter', async (who, type) => {
    const want = expected[who][type];
    for (const [label, filter] of escapes()) {
      const res = await get(who, `/api/exports/${type}.ndjson?columns=${(key as any)[type]}&${filter}`);
      if (want === 403) {
        expect([label, res.status]).toEqual([label, 403]);
        continue;
      }
      if (label === 'none') expect([label, res.status]).toEqual([label, 200]);
      // A shape Strapi refuses is a 400; a shape it takes may only narrow the result.
      expect([label, [200, 400].includes(res.status)]).toEqual([label, true]);
      if (res.status !== 200) continue;
      const rows = (worldRows() as any)[type] as Record<string, string>;
      const byValue = new Map(Object.entries(rows).map(([k, v]) => [v, k]));
      const seen = parseNdjson(text(res)).map((r) => byValue.get(r[(key as any)[type]])).filter(Boolean).sort();
      if (label === 'none') expect([label, seen]).toEqual([label, [...want].sort()]);
      else for (const k of seen) expect([label, want.includes(k as string)]).toEqual([label, true]);
    }
  });

  it('agents cannot export the audit log; supervisors get their clients\' entries only', async () => {
    expect((await get('agentA1', '/api/exports/audit-logs.csv')).status).toBe(403);
    for (const [who, client, other] of [['supervisorA', w.clients.a, w.clients.b], ['supervisorB', w.clients.b, w.clients.a]] as const) {
      for (const filter of ['', `filters[clientDocumentId][$eq]=${other.documentId}`, `filters[$or][0][clientDocumentId][$eq]=${other.documentId}&filters[$or][1][id][$gt]=0`]) {
        const res = await get(who, `/api/exports/audit-logs.ndjson?columns=clientDocumentId,entity&${filter}`);
        expect(res.status).toBe(200);
        const rows = parseNdjson(text(res));
        if (filter === '') expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row.clientDocumentId).toBe(client.documentId);
      }
    }
  });

  it('refuses a filter on a user password (no oracle) and columns out of reach', async () => {
    expect((await get('analystA', '/api/exports/accounts.csv?filters[assignedAgent][password][$startsWith]=$')).status).toBe(400);
    for (const column of ['assignedAgent.password', 'assignedAgent.resetPasswordToken', 'assignedAgent.role', 'client.members', 'createdBy.email', 'phones', 'nope']) {
      const res = await get('analystA', `/api/exports/accounts.csv?columns=accountNumber,${column}`);
      expect([column, res.status]).toEqual([column, 400]);
      expect(JSON.parse(text(res)).error.message).toContain(column);
    }
  });

  it('joins a relation under the reader\'s scope: an agent\'s call on an account now someone else\'s shows no account', async () => {
    const moved = await strapi.documents('api::account.account').create({
      data: { accountNumber: `${w.prefix}-moved`, client: w.clients.a.documentId, debtorLastName: 'Moved', balance: 10, timezone: 'America/Chicago', assignedAgent: w.users.agentA1.id },
    } as any);
    const call = await strapi.documents('api::call.call').create({ data: { attemptId: `${w.prefix}-moved-call`, account: moved.documentId, agent: w.users.agentA1.id, outcome: 'no_answer' } } as any);
    await strapi.documents('api::account.account').update({ documentId: moved.documentId, data: { assignedAgent: w.users.agentA2.id } } as any);
    const res = await get('agentA1', `/api/exports/calls.ndjson?columns=attemptId,account.accountNumber,client.name&filters[documentId][$eq]=${call.documentId}`);
    expect(parseNdjson(text(res))).toEqual([{ attemptId: `${w.prefix}-moved-call`, 'account.accountNumber': null, 'client.name': w.clients.a.name }]);
    const list = await http(strapi).get(`/api/calls/${call.documentId}?populate=account`).set('Authorization', `Bearer ${w.tokens.agentA1}`);
    expect(list.body.data.account).toBeNull();
  });
});

describe('requests', () => {
  it.each([
    ['an unknown type', '/api/exports/payments.csv', 'payments'],
    ['an unknown format', '/api/exports/accounts.pdf', 'pdf'],
    ['a file name without a format', '/api/exports/accounts', 'accounts'],
    ['an unknown column', '/api/exports/accounts.csv?columns=accountNumber,balanse', 'balanse'],
    ['a relation to many', '/api/exports/accounts.csv?columns=client.members.username', 'client.members.username'],
    ['a phone beyond the last one', '/api/exports/accounts.csv?columns=phone21', 'phone21'],
    ['a sort on an unknown field', '/api/exports/accounts.csv?sort=balanse:asc', 'balanse'],
  ])('answers 400 naming %s', async (_label, url, name) => {
    const res = await get('analystA', url);
    expect(res.status).toBe(400);
    expect(text(res)).toContain(name);
  });

  it('takes the list syntax: filters, sort, fields', async () => {
    const res = await get('analystA', `/api/exports/accounts.ndjson?filters[accountNumber][$in][0]=${w.accounts.a1.accountNumber}&filters[accountNumber][$in][1]=${w.accounts.a2.accountNumber}&sort=accountNumber:desc&fields[0]=accountNumber&fields[1]=balance`);
    expect([res.status, res.status === 200 || text(res)]).toEqual([200, true]);
    expect(parseNdjson(text(res))).toEqual([
      { accountNumber: w.accounts.a2.accountNumber, balance: 1234.5 },
      { accountNumber: w.accounts.a1.accountNumber, balance: 1234.5 },
    ]);
    const byRelation = await get('analystA', `/api/exports/calls.ndjson?columns=attemptId&sort[0]=account.accountNumber:desc&filters[client][name][$eq]=${encodeURIComponent(w.clients.a.name)}`);
    expect(parseNdjson(text(byRelation)).map((r) => r.attemptId)).toEqual([`${w.prefix}-moved-call`, w.calls.a2.attemptId, w.calls.a1.attemptId]);
  });
});

describe('formats', () => {
  beforeAll(async () => {
    await strapi.documents('api::account.account').update({
      documentId: w.accounts.a1.documentId,
      data: {
        notes: '=HYPERLINK("http://evil.example","click")',
        debtorFirstName: '@SUM(1+1)',
        addressLine1: '12 Main St, "Apt 4"\nBack door',
        city: '-2+3',
        region: '+cmd|calc',
        phones: [
          { number: '(312) 555-0101', type: 'mobile', status: 'valid', autodialConsent: true, consentDate: '2026-01-02T03:04:05.000Z', consentSource: 'debtor_written' },
          { number: '(312) 555-0191', type: 'work', status: 'bad', autodialConsent: false },
        ],
      },
    } as any);
  });

  const accountA1 = (rows: Array<Record<string, any>>) => rows.find((r) => r.accountNumber === w.accounts.a1.accountNumber) as Record<string, any>;

  it('CSV: UTF-8 BOM, RFC 4180 quoting, readable default columns, formulas neutralised, phones flattened', async () => {
    const res = await get('analystA', '/api/exports/accounts.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="accounts-\d{8}-\d{6}\.csv"$/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(body.toString('utf8').slice(1));
    const header = rows[0];
    expect(header.slice(0, 3)).toEqual(['accountNumber', 'client.name', 'debtorFirstName']);
    expect(header).toEqual(expect.arrayContaining(['assignedAgent.username', 'phone1', 'phone1Type', 'phone1Status', 'phone1Consent', 'phone2', 'phone3ConsentSource']));
    expect(header.some((h) => /(^|\.)(id|documentId)$/.test(h))).toBe(false);
    const a1 = accountA1(records(rows));
    expect(a1).toMatchObject({
      'client.name': w.clients.a.name,
      'assignedAgent.username': w.users.agentA1.username,
      notes: `'=HYPERLINK("http://evil.example","click")`,
      debtorFirstName: `'@SUM(1+1)`,
      addressLine1: '12 Main St, "Apt 4"\nBack door',
      city: `'-2+3`,
      region: `'+cmd|calc`,
      balance: '1234.5',
      phone1: '+13125550101', phone1Type: 'mobile', phone1Status: 'valid', phone1Consent: 'true', phone1ConsentDate: '2026-01-02T03:04:05.000Z', phone1ConsentSource: 'debtor_written',
      phone2: '+13125550191', phone2Type: 'work', phone2Status: 'bad', phone2Consent: 'false',
      phone3: '', phone3Type: '',
    });
    expect(rows.every((r) => r.length === header.length)).toBe(true);
  });

  it('XLSX: a valid workbook whose cells parse back, numbers as numbers, formulas neutralised', async () => {
    const res = await get('analystA', '/api/exports/accounts.xlsx?columns=accountNumber,balance,notes,city,phone1,phone1Consent');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const { files, sheets } = await parseXlsx(res.body);
    expect(files).toEqual(expect.arrayContaining(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'xl/styles.xml']));
    expect(sheets).toHaveLength(1);
    expect(sheets[0][0]).toEqual(['accountNumber', 'balance', 'notes', 'city', 'phone1', 'phone1Consent']);
    expect(accountA1(records(sheets[0]))).toEqual({
      accountNumber: w.accounts.a1.accountNumber, balance: 1234.5, notes: `'=HYPERLINK("http://evil.example","click")`, city: `'-2+3`, phone1: '+13125550101', phone1Consent: true,
    });
    expect(sheets[0].slice(1).map((r) => r[0]).sort()).toEqual([w.accounts.a1.accountNumber, w.accounts.a1b.accountNumber, w.accounts.a2.accountNumber, `${w.prefix}-moved`].sort());
  });

  it('NDJSON: one JSON object a line with typed values (no neutralising: it is not a spreadsheet)', async () => {
    const res = await get('analystA', '/api/exports/accounts.ndjson?columns=accountNumber,balance,notes,phone1Consent,assignedAgent.username');
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(accountA1(parseNdjson(text(res)))).toEqual({
      accountNumber: w.accounts.a1.accountNumber, balance: 1234.5, notes: '=HYPERLINK("http://evil.example","click")', phone1Consent: true, 'assignedAgent.username': w.users.agentA1.username,
    });
  });

  it('every type exports in every format with its default columns', async () => {
    for (const type of ['accounts', 'calls', 'promises-to-pay', 'callbacks', 'dnc-entries', 'audit-logs']) {
      const csv = await get('supervisorA', `/api/exports/${type}.csv`);
      expect([type, csv.status]).toEqual([type, 200]);
      const rows = parseCsv(text(csv).slice(1));
      expect([type, rows.length > 1]).toEqual([type, true]);
      const xlsx = await get('supervisorA', `/api/exports/${type}.xlsx`);
      expect((await parseXlsx(xlsx.body)).sheets[0]).toHaveLength(rows.length);
      const ndjson = await get('supervisorA', `/api/exports/${type}.ndjson`);
      expect(parseNdjson(text(ndjson)).length).toBe(rows.length - 1);
    }
  });
});

describe('audit, history and saved definitions', () => {
  it('audits every export with who, what and how many rows, and lists it in the reader\'s history only', async () => {
    const last = await strapi.db.query('api::audit-log.audit-log').findOne({ select: ['seq'], orderBy: { seq: 'desc' } });
    const res = await get('analystA', `/api/exports/calls.csv?filters[outcome][$eq]=connected&columns=attemptId,outcome`);
    expect(res.status).toBe(200);
    const rowCount = parseCsv(text(res).slice(1)).length - 1;
    let entry: any;
    for (let i = 0; i < 50 && !entry; i++) {
      // The entry is written when the last byte has left, just after the response ends.
      entry = (await strapi.db.query('api::audit-log.audit-log').findMany({ where: { action: 'export', actorName: w.users.analystA.username, seq: { $gt: last.seq } }, orderBy: { seq: 'desc' }, limit: 1 }))[0];
      if (!entry) await new Promise((r) => setTimeout(r, 100));
    }
    expect(entry).toMatchObject({ actorType: 'user', actorId: String(w.users.analystA.id), entity: 'api::call.call' });
    expect(entry.changes).toMatchObject({ type: 'calls', format: 'csv', filters: { outcome: { $eq: 'connected' } }, columns: ['attemptId', 'outcome'], rowCount, status: 'completed' });

    const history = await http(strapi).get('/api/exports?sort=createdAt:desc').set('Authorization', `Bearer ${w.tokens.analystA}`);
    expect(history.status).toBe(200);
    expect(history.body.data[0]).toMatchObject({ type: 'calls', format: 'csv', rowCount, status: 'completed', columns: ['attemptId', 'outcome'] });
    const others = await http(strapi).get('/api/exports?pagination[pageSize]=100').set('Authorization', `Bearer ${w.tokens.supervisorB}`);
    expect(others.body.data.map((e: any) => e.documentId)).not.toContain(history.body.data[0].documentId);
    const spoof = await http(strapi).get(`/api/exports?filters[owner][id][$eq]=${w.users.analystA.id}`).set('Authorization', `Bearer ${w.tokens.supervisorB}`);
    expect(spoof.body.data).toEqual([]);
  });

  it('saves a definition its owner alone can read, change, delete and export with', async () => {
    const create = await http(strapi).post('/api/export-definitions').set('Authorization', `Bearer ${w.tokens.analystA}`)
      .send({ data: { name: 'Open A accounts', type: 'accounts', format: 'csv', columns: ['accountNumber', 'client.name'], filters: { accountNumber: { $eq: w.accounts.a2.accountNumber } } } });
    expect([create.status, create.body.error]).toEqual([201, undefined]);
    const forSomeoneElse = await http(strapi).post('/api/export-definitions').set('Authorization', `Bearer ${w.tokens.analystA}`)
      .send({ data: { name: 'Theirs', type: 'accounts', owner: w.users.supervisorA.id } });
    expect(forSomeoneElse.status).toBe(400);
    const id = create.body.data.documentId;
    const stored = await strapi.documents('api::export-definition.export-definition').findOne({ documentId: id, populate: ['owner'] } as any);
    expect((stored as any).owner.id).toBe(w.users.analystA.id);

    const used = await get('analystA', `/api/exports/accounts.ndjson?definition=${id}`);
    expect(parseNdjson(text(used))).toEqual([{ accountNumber: w.accounts.a2.accountNumber, 'client.name': w.clients.a.name }]);
    expect((await get('analystA', `/api/exports/calls.ndjson?definition=${id}`)).status).toBe(400);

    const auth = (who: string) => ({ Authorization: `Bearer ${w.tokens[who]}` });
    expect((await get('supervisorA', `/api/exports/accounts.ndjson?definition=${id}`)).status).toBe(404);
    expect((await http(strapi).get(`/api/export-definitions/${id}`).set(auth('supervisorA'))).status).toBe(404);
    expect((await http(strapi).get('/api/export-definitions').set(auth('supervisorA'))).body.data).toEqual([]);
    expect((await http(strapi).put(`/api/export-definitions/${id}`).set(auth('supervisorA')).send({ data: { name: 'mine now' } })).status).toBe(404);
    expect((await http(strapi).delete(`/api/export-definitions/${id}`).set(auth('supervisorA'))).status).toBe(404);

    expect((await http(strapi).put(`/api/export-definitions/${id}`).set(auth('analystA')).send({ data: { owner: w.users.supervisorA.id } })).status).toBe(400);
    const renamed = await http(strapi).put(`/api/export-definitions/${id}`).set(auth('analystA')).send({ data: { name: 'Renamed' } });
    expect(renamed.status).toBe(200);
    const after = await strapi.documents('api::export-definition.export-definition').findOne({ documentId: id, populate: ['owner'] } as any);
    expect([(after as any).name, (after as any).owner.id]).toEqual(['Renamed', w.users.analystA.id]);
    expect((await http(strapi).delete(`/api/export-definitions/${id}`).set(auth('analystA'))).status).toBe(204);
  });
});

describe('memory', () => {
  // 250,000 calls: as rows in memory (Strapi's entities, ~1.5 KB each) they would take ~375 MB, above the
  // whole 256 MB heap of the cms serving them, which itself holds ~130 MB once booted.
  const CALLS = 250_000;
  const HEAP_MB = 256;

  it(`streams ${CALLS.toLocaleString('en')} calls from a cms limited to a ${HEAP_MB} MB heap`, async () => {
    const { insertBulkCalls } = require('../../scripts/bulk-calls');
    const client = await strapi.documents('api::client.client').create({ data: { name: `${w.prefix} Big Bank`, code: `${w.prefix.toUpperCase()}_BIG`, defaultCountry: 'US', members: { connect: [{ id: w.users.supervisorB.id }] } } } as any);
    const account = await strapi.documents('api::account.account').create({ data: { accountNumber: `${w.prefix}-big`, client: client.documentId, debtorLastName: 'Big', balance: 1, timezone: 'America/Chicago' } } as any);
    await insertBulkCalls(strapi, { count: CALLS, clientId: (client as any).id, accountIds: [(account as any).id], agentIds: [w.users.agentB1.id], prefix: `${w.prefix}_big` });

    const child = fork(path.join(__dirname, '..', '..', 'scripts', 'serve-cms.js'), [], { execArgv: [`--max-old-space-size=${HEAP_MB}`], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ask = (message: string) => new Promise<any>((resolve) => { child.once('message', resolve); child.send(message); });
    try {
      const { port } = await new Promise<any>((resolve, reject) => { child.once('message', resolve); child.once('exit', (code) => reject(new Error(`cms exited ${code}`))); });
      const result = await new Promise<{ status: number; lines: number; bytes: number }>((resolve, reject) => {
        const url = `/api/exports/calls.csv?filters[client][documentId][$eq]=${client.documentId}&columns=attemptId,account.accountNumber,agent.username,outcome,queuedAt,talkSeconds,notes`;
        http_.get({ host: '127.0.0.1', port, path: url, headers: { Authorization: `Bearer ${w.tokens.supervisorB}` } }, (res) => {
          let lines = 0;
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          });
          res.on('end', () => resolve({ status: res.statusCode as number, lines, bytes }));
          res.on('error', reject);
        }).on('error', reject);
      });
      const memory = await ask('memory');
      // Quoted notes hold no line breaks here: one line a row, plus the header.
      expect(result).toMatchObject({ status: 200, lines: CALLS + 1 });
      expect(memory.heapLimit).toBeLessThan((HEAP_MB + 64) * 1024 * 1024);
      console.log(`export of ${CALLS} calls (${(result.bytes / 1048576).toFixed(1)} MB CSV) at a ${HEAP_MB} MB heap: cms peak RSS ${(memory.peakRss / 1048576).toFixed(0)} MB`);
    } finally {
      child.send('stop');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 600_000);
});
