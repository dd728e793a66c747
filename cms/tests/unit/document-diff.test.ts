import { diffDocuments, REDACTED } from '../../src/audit/document-diff';

const attributes = {
  balance: { type: 'decimal' },
  notes: { type: 'text' },
  client: { type: 'relation', relation: 'manyToOne' },
  agents: { type: 'relation', relation: 'manyToMany' },
  phones: { type: 'component', repeatable: true },
  lastContactAt: { type: 'datetime' },
  password: { type: 'password', private: true },
  internal: { type: 'string', private: true },
  updatedAt: { type: 'datetime' },
};

describe('diffDocuments', () => {
  it('reports only changed fields, in comparable form', () => {
    const before = { balance: '10.50', notes: null, client: { id: 1, documentId: 'c1' }, agents: [{ documentId: 'u2' }, { documentId: 'u1' }], phones: [{ id: 5, number: '+1', status: 'valid' }], lastContactAt: '2026-01-01T00:00:00.000Z', updatedAt: 'x' };
    const after = { balance: 10.5, notes: 'hello', client: { id: 1, documentId: 'c1' }, agents: [{ documentId: 'u1' }, { documentId: 'u2' }], phones: [{ id: 9, number: '+1', status: 'dnc' }], lastContactAt: new Date('2026-01-01T00:00:00Z'), updatedAt: 'y' };
    expect(diffDocuments(attributes, before, after)).toEqual({
      notes: { before: null, after: 'hello' },
      phones: { before: [{ number: '+1', status: 'valid' }], after: [{ number: '+1', status: 'dnc' }] },
    });
  });

  it('records a create and a delete field by field', () => {
    expect(diffDocuments(attributes, null, { balance: 1, client: { documentId: 'c1' } })).toEqual({
      balance: { before: null, after: 1 },
      client: { before: null, after: 'c1' },
    });
    expect(diffDocuments(attributes, { notes: 'x' }, null)).toEqual({ notes: { before: 'x', after: null } });
  });

  it('redacts secrets and leaves other private fields out', () => {
    expect(diffDocuments(attributes, { password: 'h1', internal: 'a' }, { password: 'h2', internal: 'b' })).toEqual({
      password: { before: REDACTED, after: REDACTED },
    });
  });
});
