import { newDocumentId } from '../../src/imports/document-id';

describe("documentIds of rows an import writes itself", () => {
  const ids = Array.from({ length: 5000 }, () => newDocumentId());

  it("have Strapi's shape: 24 lower-case letters and digits", () => {
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{24}$/);
  });

  it('start with a letter, so a relation given as the bare string links by documentId, never as a row id', () => {
    // map-relation takes a string parseInt can read ("70t1…") as a row id.
    for (const id of ids) expect(Number.isNaN(parseInt(id, 10))).toBe(true);
  });

  it('differ', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });
});
