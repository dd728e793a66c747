import path from 'path';
import { readRelation, readRelations, refKey, type Ref } from '../../src/access/relation-input';

// Strapi's own reader of relation inputs, the one the document service links with. Not a public export:
// loading it by path ties this test to the pinned 5.54.0, which is the point: an upgrade that changes the
// rules fails here before it opens a hole in the scope check.
const { mapRelation } = require(path.join(path.dirname(require.resolve('@strapi/core')), 'services/document-service/transform/relations/utils/map-relation.js'));

const toOne = { type: 'relation', relation: 'manyToOne', target: 'api::account.account' };
const toMany = { type: 'relation', relation: 'manyToMany', target: 'plugin::users-permissions.user' };
const A = 'qx1a2b3c4d5e6f7g8h9i0j1k';
const F = 'zz9y8x7w6v5u4t3s2r1q0p9o';

/** What Strapi's document service would link: every item its callback sees, anchors not included. */
async function strapiRefs(value: unknown): Promise<string[]> {
  const seen: string[] = [];
  await mapRelation((relation: any) => {
    if (relation && (relation.documentId || relation.id !== undefined)) seen.push(refKey(relation.documentId ? { documentId: relation.documentId } : { id: Number(relation.id) }));
    return relation;
  }, value);
  return seen.sort();
}

const ours = (value: unknown, attr = toMany) => readRelation(attr, value).refs.filter((r) => !isAnchor(r, value)).map(refKey).sort();
const isAnchor = (ref: Ref, value: unknown) => 'documentId' in ref && JSON.stringify(value).includes(`"before":"${ref.documentId}"`);

describe('relation inputs read as Strapi links them', () => {
  it.each([
    ['a documentId', A],
    ['an id', 7],
    ['an id as text', '7'],
    ['{ documentId }', { documentId: A }],
    ['{ id }', { id: 7 }],
    ['{ id } as text', { id: '7' }],
    ['a list', [A, 7]],
    ['a list of objects', [{ documentId: A }, { id: 8 }]],
    ['connect', { connect: [A, { id: 9 }] }],
    ['connect one, not in a list', { connect: A }],
    ['set', { set: [{ documentId: A }] }],
    ['disconnect', { disconnect: [F] }],
    ['connect and disconnect', { connect: [A], disconnect: [{ documentId: F }] }],
    ['connect with a position', { connect: [{ documentId: A, position: { before: F } }] }],
    ['connect at the end', { connect: [{ documentId: A, position: { end: true } }] }],
    ['a locale and status', { documentId: A, locale: 'en', status: 'published' }],
  ])('%s: the same documents as Strapi', async (_label, value) => {
    expect(ours(value)).toEqual(await strapiRefs(value));
  });

  it('reads what the admin panel sends: both ids, a null locale, isTemporary, a position', async () => {
    const value = { connect: [{ id: 7, documentId: A, locale: null, isTemporary: true, position: { end: true } }], disconnect: [{ id: 8, documentId: '', locale: null }] };
    expect(readRelation(toMany, value).refs).toEqual([{ id: 7 }, { documentId: A }, { id: 8 }]);
    // Strapi links the documentId of the first and the id of the second; both are among the refs we check.
    expect(await strapiRefs(value)).toEqual([refKey({ documentId: A }), refKey({ id: 8 })].sort());
    expect(readRelation(toOne, { connect: [{ id: 7, documentId: A }] }).linksTo).toEqual({ documentId: A });
  });

  it('names a position anchor as a document the write points at', () => {
    expect(readRelation(toMany, { connect: [{ documentId: A, position: { after: F } }] }).refs).toEqual([{ documentId: F }, { documentId: A }]);
  });

  it.each([
    ['an id in a list inside id', { id: [7] }, /id that is not a positive integer/],
    ['an object id', { id: {} }, /id that is not a positive integer/],
    ['a documentId that is a number', { documentId: 5 }, /documentId that is not one/],
    ['a documentId in a list', { documentId: [A] }, /documentId that is not one/],
    ['neither id nor documentId', [{ locale: 'en' }], /neither a documentId nor an id/],
    ['a null id and an empty documentId', { id: null, documentId: '' }, /neither a documentId nor an id/],
    ['text Strapi would read as id 12', '12abc', /not a positive integer/],
    ['a negative id', -3, /not a positive integer/],
    ['a fractional id', 1.5, /not a positive integer/],
    ['zero', 0, /not a positive integer/],
    ['an empty object', {}, /empty object/],
    ['unknown keys', { where: { id: 1 } }, /keys Strapi does not link by/],
    ['an operator', { $in: [1] }, /keys Strapi does not link by/],
    ['set mixed with connect', { set: [A], connect: [F] }, /mixes set/],
    ['a list inside connect', { connect: [[A]] }, /list inside a list/],
    ['a list inside a list', [[A]], /list inside a list/],
    ['true', true, /not a boolean/],
    ['an unknown key on an entry', { connect: [{ documentId: A, where: 1 }] }, /keys Strapi does not link by/],
    ['a position that is text', { connect: [{ documentId: A, position: 'first' }] }, /position that is not an object/],
    ['a position anchor that is not a documentId', { connect: [{ documentId: A, position: { before: { id: 1 } } }] }, /documentId that is not one/],
    ['a documentId with a path in it', '../../etc', /documentId that is not one/],
    ['a documentId with a query in it', `${A}?filters[x]=1`, /documentId that is not one/],
    ['an empty documentId', '', /documentId that is not one/],
  ])('refuses %s', (_label, value, message) => {
    expect(() => readRelation(toMany, value)).toThrow(message);
  });

  it.each([
    ['a bare documentId', A, { documentId: A }],
    ['a list of one', [A], { documentId: A }],
    ['set of one', { set: [{ id: 4 }] }, { id: 4 }],
    ['connect of one', { connect: [A] }, { documentId: A }],
    ['null', null, null],
    ['an empty set', { set: [] }, null],
  ])('an xToOne relation given %s links to what Strapi links', (_label, value, linksTo) => {
    expect(readRelation(toOne, value).linksTo).toEqual(linksTo);
  });

  it.each([
    ['a list of two', [A, F]],
    ['set of two', { set: [A, F] }],
    ['connect of two', { connect: [A, F] }],
  ])('an xToOne relation given %s is refused, not quietly cut to its last item', (_label, value) => {
    expect(() => readRelation(toOne, value)).toThrow(/takes one record/);
  });

  it('reads relations inside components and dynamic zones, with the path to each', () => {
    const attributes = {
      account: toOne,
      notes: { type: 'text' },
      contacts: { type: 'component', component: 'x.contact', repeatable: true },
      blocks: { type: 'dynamiczone', components: ['x.contact'] },
    };
    const contact = { owner: toOne, label: { type: 'string' } };
    const { relations, problems } = readRelations(
      attributes as any,
      { account: A, notes: 'n', contacts: [{ label: 'a' }, { owner: { id: [1] } }, { owner: { connect: [F] } }], blocks: [{ __component: 'x.contact', owner: 5 }, { __component: 'x.other' }] },
      (uid) => (uid === 'x.contact' ? (contact as any) : undefined),
    );
    expect(relations.map((r) => [r.path, r.refs])).toEqual([
      [['account'], [{ documentId: A }]],
      [['contacts', 2, 'owner'], [{ documentId: F }]],
      [['blocks', 0, 'owner'], [{ id: 5 }]],
    ]);
    expect(problems.map((p) => p.path)).toEqual([['contacts', 1, 'owner'], ['blocks', 1]]);
    expect(problems[0].message).toMatch(/^contacts\[1\]\.owner has an id/);
  });
});
