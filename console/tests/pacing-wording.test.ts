import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CampaignStats, PacingReasons } from '@protocol/campaign-stats';
import type { WhatIfEstimate, WhatIfResult } from '@protocol/what-if';
import { abandonStanding, dayRates, duration, freshness, overThreshold, pacingSentence, whatIfSentence, whyNothingDials, windowName } from '../src/pages/wallboard/pacing-wording';

function stats(reasons: Partial<PacingReasons> = {}, over: Partial<CampaignStats> = {}): CampaignStats {
  return {
    campaignId: 'c1',
    at: '2026-11-30T15:00:00.000Z',
    agents: { ready: 2, on_call: 3 },
    linesInFlight: 4,
    waiting: 0,
    longestWaitSec: 0,
    dialLevel: 0.8,
    dialedNow: 1,
    abandonRate: { window: 720, liveAnswers: 200, abandons: 2 },
    today: { agentSec: 7200, talkSec: 3600, connects: 20 },
    nothingToDial: null,
    reasons: {
      mode: 'predictive', boundBy: 'risk', readyAgents: 2, busyAgents: 3, pausedAgents: 0, linesInFlight: 4, waitingCalls: 0,
      expectedAgentsFreeAtConnect: 1.2, expectedLiveAnswers: 0.8, lastCallAbandonRisk: 0.012, riskThreshold: 0.02,
      windowLiveAnswers: 200, windowAbandons: 2, windowAbandonRate: 0.01, abandonTarget: 0.03, abandonMargin: 4, lineCap: 15, ...reasons,
    },
    ...over,
  };
}

describe('pacing wording', () => {
  it('names the window as the law does', () => {
    assert.equal(windowName(720), '30-day');
    assert.equal(windowName(24), '24-hour');
  });

  it('says how close the window is to its target, in abandons left', () => {
    assert.deepEqual({ ...abandonStanding(stats()), text: undefined }, { rate: 0.01, target: 0.03, margin: 4, level: 'ok', text: undefined });
    assert.match(abandonStanding(stats()).text, /^1\.0% of 3% allowed · 4\.0 abandons of margin left in the 30-day window \(2 of 200 answered\)$/);
    const near = abandonStanding(stats({}, { abandonRate: { window: 24, liveAnswers: 100, abandons: 2.6 } }));
    assert.equal(near.level, 'near');
    assert.match(near.text, /0\.4 abandons of margin left in the 24-hour window/);
    const over = abandonStanding(stats({}, { abandonRate: { window: 720, liveAnswers: 100, abandons: 4 } }));
    assert.equal(over.level, 'over');
    assert.match(over.text, /1\.0 abandon over the limit/);
  });

  it('puts each pacing bound in a supervisor\'s words', () => {
    assert.equal(pacingSentence(stats({ boundBy: 'abandonFallback', abandonMargin: 0.4 })), 'Holding back: 0.4 abandons of margin left in the 30-day window — one line per free agent until it recovers.');
    assert.equal(pacingSentence(stats({ boundBy: 'abandonFallback', abandonMargin: 2.5 })), 'Slowing down: 2.5 abandons of margin left in the 30-day window.');
    assert.equal(pacingSentence(stats({ boundBy: 'lineCap', linesInFlight: 15 })), 'At the maximum dial ratio: 15 lines for 5 agents (cap 15).');
    assert.equal(pacingSentence(stats()), 'Dialing ahead of free agents: the next call has a 1.2% chance of finding no agent (the engine accepts 2.0%).');
    assert.equal(pacingSentence(stats({ boundBy: 'noAgents' })), 'Not dialing: no agent is ready or on a call.');
    assert.equal(pacingSentence(stats({ boundBy: 'mode', mode: 'progressive' })), 'Progressive: one line per free agent (2 ready).');
    assert.match(pacingSentence(stats({ boundBy: 'preview', mode: 'preview' })), /^Preview/);
  });

  it('says why nothing dials, and nothing while it dials', () => {
    assert.equal(whyNothingDials('running', stats()), null);
    assert.equal(whyNothingDials('paused', stats()), 'Paused by a supervisor.');
    assert.equal(whyNothingDials('draft', null), 'Not started yet.');
    const idle = { linesInFlight: 0, waiting: 0, dialedNow: 0 };
    assert.equal(whyNothingDials('running', stats({ boundBy: 'noAgents' }, idle)), 'No agent is logged in and ready.');
    assert.equal(whyNothingDials('running', stats({ boundBy: 'noAgents', pausedAgents: 2 }, idle)), 'No agent is ready: 2 paused.');
    assert.equal(whyNothingDials('running', stats({ readyAgents: 0 }, idle)), 'Every agent is on a call, in wrap-up or paused.');
    assert.match(whyNothingDials('running', stats({}, idle))!, /No account may be called now/);
  });

  it('derives utilization and rates per agent-hour from the day so far', () => {
    assert.deepEqual(dayRates({ agentSec: 7200, talkSec: 3600, connects: 20 }, 6), { utilization: 0.5, connectsPerHour: 10, rpcPerHour: 3 });
    // Five agent-minutes: too little for a rate.
    assert.deepEqual(dayRates({ agentSec: 300, talkSec: 100, connects: 2 }, 0), { utilization: null, connectsPerHour: null, rpcPerHour: null });
  });

  it('sums up a what-if, and says so when the ratio is not what holds the pace', () => {
    const est = (over: Partial<WhatIfEstimate>): WhatIfEstimate => ({ maxDialRatio: 2, linesPerAgent: 1.2, abandonRate: 0.005, utilization: 0.5, connectsPerAgentHour: 8, windowRateInAnHour: 0.011, bound: 'maxRatio', ...over });
    const result = (a: WhatIfEstimate, b: WhatIfEstimate): WhatIfResult => ({
      campaignId: 'c1', mode: 'predictive', current: a, proposed: b,
      assumptions: { activeAgents: 5, liveRate: 0.15, meanAttemptSec: 20, meanTalkSec: 240, meanWrapSec: 45, abandonTarget: 0.03, windowLiveAnswers: 200, windowAbandons: 2 },
    });
    assert.equal(
      whatIfSentence(result(est({}), est({ maxDialRatio: 3, abandonRate: 0.021, utilization: 0.62, windowRateInAnHour: 0.013 }))),
      'At 3 instead of 2: abandons 0.5% → 2.1%, utilization 50% → 62%; the window in an hour 1.3% (target 3%).',
    );
    assert.equal(whatIfSentence(result(est({ bound: 'risk' }), est({ maxDialRatio: 5, bound: 'risk' }))), 'No change expected at 5: held by the abandon limit, not the ratio (1.20 lines per agent).');
  });

  it('colours agents past their thresholds', () => {
    assert.equal(overThreshold('paused', 601), true);
    assert.equal(overThreshold('paused', 599), false);
    assert.equal(overThreshold('wrap_up', 61), true);
    assert.equal(overThreshold('on_call', 3600), false);
  });

  it('reads durations and freshness', () => {
    assert.equal(duration(45), '0:45');
    assert.equal(duration(725), '12:05');
    assert.equal(duration(3720), '1 h 02');
    const now = 1_000_000;
    assert.deepEqual(freshness(now - 400, now, { connected: true, expecting: true }), { stale: false, text: 'Updated just now' });
    assert.deepEqual(freshness(now - 9000, now, { connected: true, expecting: true }), { stale: true, text: 'Updates stopped — updated 0:09 ago' });
    assert.deepEqual(freshness(now - 9000, now, { connected: true, expecting: false }), { stale: false, text: 'Updated 0:09 ago' });
    assert.equal(freshness(now - 100, now, { connected: false, expecting: false }).stale, true);
  });
});
