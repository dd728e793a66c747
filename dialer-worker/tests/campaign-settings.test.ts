/**
 * The campaign as the dialer runs it takes its legal bounds from config/compliance.json, the
 * file cms validates with: no copy of the numbers lives in the worker.
 */
import fs from 'fs';
import path from 'path';
import { toCampaign } from '../src/cms/cms-client';
import { complianceRules } from '../src/config/compliance-rules';

const shared = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../config/compliance.json'), 'utf8'));
const raw = { documentId: 'c1', name: 'C', state: 'running', dialMode: 'predictive' };

describe('campaign settings', () => {
  it('reads the numbers cms reads', () => {
    expect(complianceRules()).toEqual(shared);
  });

  it.each([
    ['a campaign without its own numbers gets the legal ones', {}, { abandonTarget: shared.abandon.maxRate, dropWindowSec: shared.abandon.dropWindowSecMax, abandonWindowHours: shared.abandon.windowDays.us * 24 }],
    ['a stricter campaign keeps its own', { abandonTarget: 0.01, dropWindowSec: 1, ringTimeoutSec: 30 }, { abandonTarget: 0.01, dropWindowSec: 1, ringTimeoutSec: 30 }],
    ['numbers past the law are brought back to it', { abandonTarget: 0.2, dropWindowSec: 9, ringTimeoutSec: 5 }, { abandonTarget: shared.abandon.maxRate, dropWindowSec: shared.abandon.dropWindowSecMax, ringTimeoutSec: shared.ringTimeoutSecMin }],
    ['the UK profile counts abandons over its own window', { complianceProfile: 'uk' }, { complianceProfile: 'uk', abandonWindowHours: shared.abandon.windowHours.uk }],
  ])('%s', (_name, fields, expected) => {
    expect(toCampaign({ ...raw, ...fields })).toMatchObject(expected);
  });

  it('follows the file, not a number of its own', () => {
    const stricter = { ...shared, abandon: { ...shared.abandon, maxRate: 0.02, windowDays: { us: 10 } } };
    expect(toCampaign({ ...raw, abandonTarget: 0.03 }, stricter)).toMatchObject({ abandonTarget: 0.02, abandonWindowHours: 240 });
  });
});
