import { validateRecord } from '../../src/validation/record-rules';
import type { Compliance } from '../../src/shared-config';

const compliance = require('../../../config/compliance.json') as Compliance;
const campaign = { dialMode: { type: 'enumeration', enum: ['preview', 'progressive', 'ratio', 'predictive'] } };
const ctx = { defaultCountry: 'US', existing: null, compliance, now: new Date('2026-06-15T12:00:00Z') };
const check = (data: Record<string, unknown>, existing: Record<string, unknown> | null = null) =>
  validateRecord('api::campaign.campaign', campaign, { name: 'c', client: 'x', ...data }, { ...ctx, existing }).map((e) => e.path.join('.'));

describe('campaign rules follow config/compliance.json', () => {
  it.each([
    [{ abandonTarget: compliance.abandon.maxRate }, []],
    [{ abandonTarget: compliance.abandon.maxRate + 0.001 }, ['abandonTarget']],
    [{ ringTimeoutSec: compliance.ringTimeoutSecMin }, []],
    [{ ringTimeoutSec: compliance.ringTimeoutSecMin - 1 }, ['ringTimeoutSec']],
    [{ dropWindowSec: compliance.abandon.dropWindowSecMax }, []],
    [{ dropWindowSec: compliance.abandon.dropWindowSecMax + 0.5 }, ['dropWindowSec']],
    [{ callWindowStart: compliance.callingHours.start, callWindowEnd: compliance.callingHours.end }, []],
    [{ callWindowStart: '07:59' }, ['callWindowStart']],
    [{ callWindowEnd: '21:01' }, ['callWindowEnd']],
    [{ callWindowStart: '9am' }, ['callWindowStart']],
    [{ dialMode: 'robocall' }, ['dialMode']],
  ])('%j → %j', (data, paths) => {
    expect(check(data)).toEqual(paths);
  });

  it('checks a changed window end against the stored start', () => {
    expect(check({ callWindowEnd: '10:00' }, { callWindowStart: '12:00', callWindowEnd: '20:00' })).toEqual(['callWindowEnd']);
  });
});
