import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { routeWeight, WORKSPACE_PAGE } from '../scripts/route-weight';

// Agents open the workspace on ordinary office PCs and laptops; this is what it may cost them.
const BUDGET_KB = 350;

it(`the workspace route loads at most ${BUDGET_KB} KB of JavaScript, gzipped (the production build in dist/)`, () => {
  const weight = routeWeight(path.resolve(__dirname, '..', 'dist'), WORKSPACE_PAGE);
  const listing = weight.files.map((f) => `${f.file} ${(f.gzip / 1024).toFixed(1)} KB`).join(', ');
  assert.ok(weight.gzip <= BUDGET_KB * 1024, `${(weight.gzip / 1024).toFixed(1)} KB: ${listing}`);
  // The pages an agent never opens are not in it.
  assert.equal(weight.files.filter((f) => /list-|wallboard-page-/.test(f.file)).length, 0, listing);
});
