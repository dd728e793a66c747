import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roleMay } from '../src/providers/access-control-provider';

describe('who opens and who changes the back office', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['supervisor', 'campaigns', 'list', true],
    ['supervisor', 'campaigns', 'create', true],
    ['supervisor', 'campaigns', 'edit', true],
    ['analyst', 'campaigns', 'show', true],
    ['analyst', 'campaigns', 'create', false],
    ['analyst', 'campaigns', 'edit', false],
    ['agent', 'campaigns', 'list', false],
    ['supervisor', 'calls', 'show', true],
    ['supervisor', 'calls', 'edit', false],
    ['analyst', 'calls', 'list', true],
    ['agent', 'calls', 'list', false],
    ['supervisor', 'audit-logs', 'list', true],
    ['analyst', 'audit-logs', 'list', true],
    ['supervisor', 'audit-logs', 'delete', false],
    ['agent', 'audit-logs', 'list', false],
    ['supervisor', 'dispositions', 'list', true],
    ['supervisor', 'dispositions', 'create', false],
    ['analyst', 'dispositions', 'list', true],
    ['supervisor', 'dnc-entries', 'create', true],
    ['supervisor', 'dnc-entries', 'delete', true],
    ['analyst', 'dnc-entries', 'list', true],
    ['analyst', 'dnc-entries', 'create', false],
    ['analyst', 'dnc-entries', 'delete', false],
    ['agent', 'dnc-entries', 'list', false],
  ];
  for (const [role, resource, action, may] of cases) {
    it(`${role} ${may ? 'may' : 'may not'} ${action} ${resource}`, () => assert.equal(roleMay(role, resource, action), may));
  }
});
