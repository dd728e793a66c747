import { accountCallView, mayNameAgent } from '../../src/api/account/account-calls';
import type { Access } from '../../src/access/access-context';

const scoped = (role: 'agent' | 'supervisor' | 'analyst', userId: number): Access => ({ kind: 'scoped', role, userId, clients: async () => [], liveAccountIds: async () => [] });

describe('who a reader sees named as the agent of a call', () => {
  it.each([
    ['the agent themself', scoped('agent', 7), 7, true],
    ['another agent', scoped('agent', 7), 8, false],
    ["a supervisor's agent", scoped('supervisor', 3), 8, true],
    ['an analyst', scoped('analyst', 4), 8, false],
    ['an API token', { kind: 'unrestricted' } as Access, 8, true],
  ])('%s', (_label, access, agentId, named) => {
    expect(mayNameAgent(access, agentId)).toBe(named);
    const view = accountCallView({ documentId: 'c', notes: 'kept', agent: { id: agentId, username: 'someone' } }, access);
    expect(view.agent).toEqual(named ? { id: agentId, username: 'someone' } : null);
    expect(view.notes).toBe('kept');
  });

  it('leaves a call no agent made without one', () => {
    expect(accountCallView({ documentId: 'c', agent: null }, scoped('supervisor', 3)).agent).toBeNull();
  });
});
