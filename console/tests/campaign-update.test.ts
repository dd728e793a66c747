import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountFilterOf, campaignUpdate } from '../src/pages/campaigns/campaign-update';

describe("a campaign form's write", () => {
  it('sends relations by documentId, lists whole, whether picked or as cms populated them', () => {
    assert.deepEqual(
      campaignUpdate({ agents: ['u1', { id: 2, documentId: 'u2', username: 'b' }], allowedDispositions: [], defaultDisposition: { id: 'd1', documentId: 'd1' }, client: 'c1' }),
      { agents: { set: [{ documentId: 'u1' }, { documentId: 'u2' }] }, allowedDispositions: { set: [] }, defaultDisposition: 'd1', client: 'c1' },
    );
  });

  it('sends values as typed, for cms to judge, and blank text as null', () => {
    assert.deepEqual(campaignUpdate({ ringTimeoutSec: 10, callWindowEnd: '22:30', callerId: '  ', description: undefined }), { ringTimeoutSec: 10, callWindowEnd: '22:30', callerId: null });
  });

  it('keeps only the bounds of the account filter that were given', () => {
    assert.equal(accountFilterOf({ daysPastDue: { min: undefined, max: undefined }, statuses: [] }), null);
    assert.deepEqual(accountFilterOf({ daysPastDue: { min: 30, max: undefined }, balance: { max: 5000 }, statuses: ['open'] }), { daysPastDue: { min: 30 }, balance: { max: 5000 }, statuses: ['open'] });
    assert.deepEqual(campaignUpdate({ accountFilter: { balance: { min: null as unknown as number } } }), { accountFilter: null });
  });
});
