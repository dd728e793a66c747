import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CampaignStats, PacingReasons } from '@protocol/campaign-stats';
import { readThresholds, thresholdsKey, thresholdsText } from '../src/pages/wallboard/agent-thresholds';
import { cardColumns } from '../src/pages/wallboard/card-layout';
import { abandonStanding, DEFAULT_THRESHOLDS, overThreshold, pacingSentence } from '../src/pages/wallboard/pacing-wording';
import { agentStateLabel } from '../src/pages/workspace/agent-state-labels';

function stats(reasons: Partial<PacingReasons>, abandonRate: CampaignStats['abandonRate']): CampaignStats {
  return {
    campaignId: 'c1', at: '2026-11-30T15:00:00.000Z', agents: {}, linesInFlight: 0, waiting: 0, longestWaitSec: 0, dialLevel: 0, dialedNow: 0, abandonRate,
    today: { agentSec: 0, talkSec: 0, connects: 0 }, nothingToDial: null,
    reasons: {
      mode: 'predictive', boundBy: 'abandonFallback', readyAgents: 2, busyAgents: 0, pausedAgents: 0, linesInFlight: 0, waitingCalls: 0,
      expectedAgentsFreeAtConnect: 2, expectedLiveAnswers: 0, lastCallAbandonRisk: 0, riskThreshold: 0.02,
      windowLiveAnswers: abandonRate.liveAnswers, windowAbandons: abandonRate.abandons, windowAbandonRate: 0, abandonTarget: 0.03, abandonMargin: 0, lineCap: 15, ...reasons,
    },
  };
}

describe('the wallboard with no answered call yet', () => {
  it('says there is no rate yet and what the target allows, not "0.0 abandons of margin left"', () => {
    const s = abandonStanding(stats({}, { window: 720, liveAnswers: 0, abandons: 0 }));
    assert.equal(s.level, 'ok');
    assert.equal(s.text, 'no answered call yet in the 30-day window · 3% allowed: one abandon per 34 answered calls');
    assert.doesNotMatch(s.text, /0\.0 abandons/);
  });
  it('explains the engine holding back in the same words', () => {
    const text = pacingSentence(stats({ abandonMargin: 0 }, { window: 720, liveAnswers: 0, abandons: 0 }));
    assert.equal(text, 'Holding back: no call answered yet in the 30-day window, so no abandon fits under the 3% target — one line per free agent until calls are answered.');
  });
  it('still counts the margin once calls are answered', () => {
    assert.match(pacingSentence(stats({ abandonMargin: 0.4 }, { window: 720, liveAnswers: 50, abandons: 1.1 })), /^Holding back: 0\.4 abandons of margin left/);
  });
});

describe('reserved agents', () => {
  it('are previewing in a preview campaign only; elsewhere a call is connecting to them', () => {
    assert.equal(agentStateLabel('reserved', 'preview'), 'Previewing');
    assert.equal(agentStateLabel('reserved', 'predictive'), 'Connecting');
    assert.equal(agentStateLabel('reserved', 'progressive'), 'Connecting');
    assert.equal(agentStateLabel('on_call', 'predictive'), 'On call');
  });
});

describe('a supervisor\'s thresholds', () => {
  it('read back what was stored, per user', () => {
    assert.notEqual(thresholdsKey(1), thresholdsKey(2));
    const t = readThresholds(JSON.stringify({ pausedSec: 300, wrapUpSec: 30, readySec: 120 }));
    assert.deepEqual(t, { pausedSec: 300, wrapUpSec: 30, readySec: 120 });
    assert.equal(thresholdsText(t), 'paused over 5 min, wrap-up over 30 s, idle over 2 min');
    assert.equal(overThreshold('wrap_up', 31, t), true);
    assert.equal(overThreshold('wrap_up', 31, DEFAULT_THRESHOLDS), false);
  });
  it('fall back to the default, one threshold at a time, on anything unusable', () => {
    assert.deepEqual(readThresholds(null), DEFAULT_THRESHOLDS);
    assert.deepEqual(readThresholds('{not json'), DEFAULT_THRESHOLDS);
    assert.deepEqual(readThresholds('[1,2]'), DEFAULT_THRESHOLDS);
    assert.deepEqual(readThresholds(JSON.stringify({ pausedSec: -5, wrapUpSec: '30', readySec: 1e9 })), DEFAULT_THRESHOLDS);
    assert.deepEqual(readThresholds(JSON.stringify({ wrapUpSec: 45 })), { ...DEFAULT_THRESHOLDS, wrapUpSec: 45 });
  });
});

describe('campaign cards per row', () => {
  it('gives one campaign the whole row and pairs two or four', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 10].map(cardColumns), [1, 2, 3, 2, 3, 3]);
  });
});
