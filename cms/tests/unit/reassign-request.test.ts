import { MAX_SELECTED_IDS, readReassignRequest } from '../../src/api/account/reassign-request';

const agent = 'agentdocumentid000000001';
const paths = (body: unknown) => readReassignRequest(body).problems.map((p) => p.path);

describe('readReassignRequest', () => {
  it.each<[string, unknown, Array<Array<string | number>>]>([
    ['no body', undefined, [['data']]],
    ['data not an object', { data: [] }, [['data']]],
    ['no agent', { data: { documentIds: ['a1'] } }, [['agent']]],
    ['agent as a number', { data: { documentIds: ['a1'], agent: 7 } }, [['agent']]],
    ['no selection', { data: { agent } }, [['documentIds']]],
    ['an empty list', { data: { documentIds: [], agent } }, [['documentIds']]],
    ['ids not a list', { data: { documentIds: 'a1', agent } }, [['documentIds']]],
    ['a bad id in the list', { data: { documentIds: ['a1', { id: 1 }, 'a3'], agent } }, [['documentIds', 1]]],
    ['too many ids', { data: { documentIds: Array.from({ length: MAX_SELECTED_IDS + 1 }, (_, i) => `a${i}`), agent } }, [['documentIds']]],
    ['an empty filter', { data: { filters: {}, agent } }, [['filters']]],
    ['a filter as a list', { data: { filters: [{ status: 'open' }], agent } }, [['filters']]],
    ['ids and a filter', { data: { documentIds: ['a1'], filters: { status: 'open' }, agent } }, [['filters']]],
  ])('refuses %s, naming the field', (_label, body, expected) => {
    expect(paths(body)).toEqual(expected);
    expect(readReassignRequest(body).request).toBeUndefined();
  });

  it('takes ids (once each) or a filter', () => {
    expect(readReassignRequest({ data: { documentIds: ['a1', 'a2', 'a1'], agent } }).request).toEqual({ agent, selection: { documentIds: ['a1', 'a2'] } });
    expect(readReassignRequest({ data: { filters: { status: { $eq: 'open' } }, agent } }).request).toEqual({ agent, selection: { filters: { status: { $eq: 'open' } } } });
  });
});
