import { componentFieldsWithIds, componentIdProblems } from '../../src/access/component-input';

const attributes = {
  notes: { type: 'text' },
  phones: { type: 'component', repeatable: true },
  address: { type: 'component', repeatable: false },
  blocks: { type: 'dynamiczone' },
};

describe('component entry ids in a write', () => {
  it('names only the component fields whose entries carry an id', () => {
    expect(componentFieldsWithIds(attributes, { notes: 'x', phones: [{ number: '1' }], address: { id: 3 }, blocks: [{ __component: 'x.y', id: 9 }] })).toEqual(['address', 'blocks']);
    expect(componentFieldsWithIds(attributes, { phones: [{ number: '1' }, { id: null }], address: null })).toEqual([]);
  });

  it.each([
    ['an id of the record', [{ id: 1 }, { number: 'new' }], []],
    ['an id as text', [{ id: '2' }], []],
    ['another record\'s id', [{ id: 1 }, { id: 4 }], [['phones', 1, 'id']]],
    ['an id in a list', [{ id: [1] }], [['phones', 0, 'id']]],
    ['an object', [{ id: {} }], [['phones', 0, 'id']]],
    ['a negative id', [{ id: -1 }], [['phones', 0, 'id']]],
    ['text that is no id', [{ id: '1abc' }], [['phones', 0, 'id']]],
  ])('a repeatable entry with %s', (_what, phones, paths) => {
    const problems = componentIdProblems(attributes, { phones }, { phones: [1, 2] });
    expect(problems.map((p) => p.path)).toEqual(paths);
    for (const p of problems) expect(p.message).toMatch(/^phones\[\d\]\.id /);
  });

  it('checks single components and dynamic zones against their own stored ids', () => {
    expect(componentIdProblems(attributes, { address: { id: 7 } }, { address: [7] })).toEqual([]);
    expect(componentIdProblems(attributes, { address: { id: 8 } }, { address: [7] }).map((p) => p.path)).toEqual([['address', 'id']]);
    expect(componentIdProblems(attributes, { blocks: [{ __component: 'x.y', id: 5 }, { __component: 'x.y', id: 6 }] }, { blocks: [5] }).map((p) => p.path)).toEqual([['blocks', 1, 'id']]);
  });
});
