import { memo, useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import { useList, useNotification } from '@refinedev/core';
import { Alert, Button, Card, Col, Progress, Row, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import type { CampaignStats, InboundQueueStats } from '@protocol/campaign-stats';
import { useConsoleServices } from '@/providers/console-services';
import { agentStateLabel } from '../../workspace/agent-state-labels';
import { abandonStanding, dayRates, duration, pacingSentence, pct, whyNothingDials } from '../pacing-wording';
import type { Campaign } from '../use-wallboard';
import type { WallboardStore } from '../wallboard-store';
import { MaxRatioControl } from './max-ratio-control';

const STATE_COLOR: Record<Campaign['state'], string> = { draft: 'default', running: 'green', paused: 'orange', finished: 'default' };
const AGENT_ORDER = ['ready', 'reserved', 'on_call', 'wrap_up', 'paused'] as const;
const AGENT_COLOR: Record<(typeof AGENT_ORDER)[number], string> = { ready: 'green', reserved: 'cyan', on_call: 'blue', wrap_up: 'purple', paused: 'orange' };
const STANDING_COLOR = { ok: '#389e0d', near: '#d48806', over: '#cf1322' } as const;
const startOfDay = () => new Date(new Date().toISOString().slice(0, 10)).toISOString();

/** Right-party contacts today on the campaign: cms counts the calls whose disposition says so (every minute). */
function useRightPartyContacts(campaignId: string): number | null {
  const { result } = useList({
    resource: 'calls',
    pagination: { pageSize: 1 },
    filters: [
      { field: 'campaign.documentId', operator: 'eq', value: campaignId },
      { field: 'disposition.rightPartyContact', operator: 'eq', value: true },
      { field: 'endedAt', operator: 'gte', value: startOfDay() },
    ],
    meta: { fields: ['attemptId'] },
    liveMode: 'off',
    queryOptions: { refetchInterval: 60_000 },
  });
  return result?.total ?? null;
}

function CampaignControls({ campaign, busy, run }: { campaign: Campaign; busy: boolean; run: (command: 'campaign:start' | 'campaign:pause' | 'campaign:resume') => void }) {
  if (campaign.state === 'draft') return <Button type="primary" loading={busy} onClick={() => run('campaign:start')}>Start</Button>;
  if (campaign.state === 'running') return <Button danger loading={busy} onClick={() => run('campaign:pause')}>Pause</Button>;
  if (campaign.state === 'paused') return <Button type="primary" loading={busy} onClick={() => run('campaign:resume')}>Resume</Button>;
  return null;
}

/** One campaign at a glance: state and controls, the floor, the abandon window, today, and why it dials as it does. */
/**
 * The campaign's agents by state, from the same pushed deltas as the grid (a tick reports them
 * only while running); a component of its own so an agent's change re-renders these tags only.
 */
function AgentsByState({ store, campaignId, dialMode }: { store: WallboardStore; campaignId: string; dialMode: string }) {
  const subscribe = useCallback((cb: () => void) => store.subscribe('agents', cb), [store]);
  const key = useSyncExternalStore(subscribe, () => store.countsKey(campaignId));
  const byState = useMemo(() => JSON.parse(key) as Partial<Record<string, number>>, [key]);
  return (
    <Space size={4} wrap style={{ margin: '8px 0' }} data-testid="agents-by-state">
      {AGENT_ORDER.map((s) => (
        <Tag key={s} color={byState[s] ? AGENT_COLOR[s] : 'default'}>{byState[s] ?? 0} {agentStateLabel(s, dialMode).toLowerCase()}</Tag>
      ))}
    </Space>
  );
}

/**
 * What the card shows of a tick, as text: ticks come five times a second per campaign and most
 * change nothing on screen (the same lines in flight, the same rounded rates), so the card
 * re-renders only when this changes, not on every tick.
 */
export function shownOfStats(s: CampaignStats | undefined): string {
  if (!s) return '';
  const { abandonRate: w, today: d, reasons: r } = s;
  return [s.dialLevel.toFixed(2), s.hopper ?? '', s.linesInFlight, s.waiting, s.dialedNow > 0, Math.floor(s.longestWaitSec), w.window, w.liveAnswers, w.abandons, Math.floor(d.agentSec / 60), d.talkSec, d.connects, r.boundBy, r.mode, r.readyAgents, r.busyAgents, r.pausedAgents, r.linesInFlight, r.waitingCalls, r.lineCap, r.abandonMargin.toFixed(1), r.abandonTarget, r.windowLiveAnswers, r.lastCallAbandonRisk.toFixed(3), r.riskThreshold].join('|');
}

function useStats(store: WallboardStore, campaignId: string): CampaignStats | null {
  const subscribe = useCallback((cb: () => void) => store.subscribe('stats', cb), [store]);
  const shown = useSyncExternalStore(subscribe, () => shownOfStats(store.stats.get(campaignId)));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => store.stats.get(campaignId) ?? null, [store, campaignId, shown]);
}

export const CampaignCard = memo(function CampaignCard({ campaign, store, canControl, watchError }: { campaign: Campaign; store: WallboardStore; canControl: boolean; watchError?: string }) {
  const stats = useStats(store, campaign.id);
  const { worker } = useConsoleServices();
  const { open } = useNotification();
  const [busy, setBusy] = useState(false);
  const rpc = useRightPartyContacts(campaign.id);
  const run = async (command: 'campaign:start' | 'campaign:pause' | 'campaign:resume') => {
    setBusy(true);
    const reply = await worker.command(command, { campaignId: campaign.id });
    setBusy(false);
    if (!reply.ok) open?.({ type: 'error', message: `${campaign.name}: not done`, description: reply.error });
  };
  const live = campaign.state === 'running' ? stats : null;
  const standing = stats ? abandonStanding(stats) : null;
  const why = whyNothingDials(campaign.state, live);
  const rates = stats ? dayRates(stats.today, rpc) : null;
  const fmtRate = (x: number | null | undefined, f: (x: number) => string) => (x === null || x === undefined ? '—' : f(x));

  return (
    <Card
      size="small"
      data-testid={`campaign-${campaign.id}`}
      aria-label={`Campaign ${campaign.name}`}
      title={
        <Space size={8} wrap>
          <span style={{ fontSize: 16 }}>{campaign.name}</span>
          <Tag color={STATE_COLOR[campaign.state]} data-testid="campaign-state">{campaign.state}</Tag>
          <Typography.Text type="secondary">{campaign.client?.name}</Typography.Text>
        </Space>
      }
      extra={canControl ? <CampaignControls campaign={campaign} busy={busy} run={(c) => void run(c)} /> : null}
    >
      {watchError && <Alert type="error" showIcon message={`Not watched: ${watchError}`} style={{ marginBottom: 8 }} />}
      <Row gutter={[16, 8]}>
        <Col span={6}><Statistic title="Mode" value={campaign.dialMode} valueStyle={{ fontSize: 16 }} /></Col>
        <Col span={6}><Tooltip title="Lines in flight per agent not paused"><Statistic title="Dial level" value={live ? live.dialLevel.toFixed(2) : '—'} suffix={<Typography.Text type="secondary" style={{ fontSize: 12 }}>max {campaign.maxDialRatio}</Typography.Text>} valueStyle={{ fontSize: 16 }} /></Tooltip></Col>
        <Col span={6}><Statistic title="Lines in flight" value={live?.linesInFlight ?? 0} valueStyle={{ fontSize: 16 }} /></Col>
        <Col span={6}><Statistic title="Waiting" value={live?.waiting ?? 0} suffix={live?.waiting ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>longest {duration(live.longestWaitSec)}</Typography.Text> : null} valueStyle={{ fontSize: 16, color: live?.waiting ? '#cf1322' : undefined }} /></Col>
      </Row>
      <AgentsByState store={store} campaignId={campaign.id} dialMode={campaign.dialMode} />
      {standing && (
        <div data-testid="abandon-window">
          <Progress percent={Math.min(100, (standing.rate / standing.target) * 100)} showInfo={false} strokeColor={STANDING_COLOR[standing.level]} size="small" />
          <Typography.Text style={{ color: STANDING_COLOR[standing.level] }}>Abandons: {standing.text}</Typography.Text>
        </div>
      )}
      {stats?.inbound && <InboundQueueRow q={stats.inbound} />}
      <Row gutter={16} style={{ marginTop: 8 }}>
        <Col span={6}><Statistic title="Utilization today" value={fmtRate(rates?.utilization, (x) => pct(x, 0))} valueStyle={{ fontSize: 16 }} /></Col>
        <Col span={6}><Statistic title="Connects / agent-h" value={fmtRate(rates?.connectsPerHour, (x) => x.toFixed(1))} valueStyle={{ fontSize: 16 }} /></Col>
        <Col span={6}><Statistic title="RPC / agent-h" value={fmtRate(rates?.rpcPerHour, (x) => x.toFixed(1))} valueStyle={{ fontSize: 16 }} /></Col>
        <Col span={6} data-testid="hopper">
          <Tooltip title="Phones cms has cleared to dial now, held by the dialer and refilled as they run low">
            <Statistic title="Ready to dial" value={live?.hopper ?? '—'} valueStyle={{ fontSize: 16 }} />
          </Tooltip>
        </Col>
      </Row>
      {why ? (
        <Alert type={campaign.state === 'running' ? 'warning' : 'info'} showIcon message={why} data-testid="why-nothing-dials" style={{ marginTop: 8 }} />
      ) : (
        live && <Typography.Paragraph data-testid="pacing-reason" style={{ margin: '8px 0 0' }}>{pacingSentence(live)}</Typography.Paragraph>
      )}
      {canControl && campaign.dialMode !== 'preview' && <MaxRatioControl campaign={campaign} />}
    </Card>
  );
});

/** Inbound callers routed to the campaign today: waiting now, the longest wait, service level in the threshold, ASA, hung up waiting. */
function InboundQueueRow({ q }: { q: InboundQueueStats }) {
  const small = { fontSize: 16 };
  return (
    <Row gutter={[16, 8]} style={{ marginTop: 8 }} data-testid="inbound-queue" aria-label="Inbound queue today">
      <Col span={5}><Statistic title="Callers waiting" value={q.waiting} valueStyle={{ ...small, color: q.waiting ? '#cf1322' : undefined }} /></Col>
      <Col span={5}><Statistic title="Longest wait" value={duration(q.longestWaitSec)} valueStyle={small} /></Col>
      <Col span={5}><Tooltip title={`Answered within ${q.serviceLevelThresholdSec} s, of callers answered or who hung up`}><Statistic title={`Service level ${q.serviceLevelThresholdSec} s`} value={q.serviceLevel === null ? '—' : pct(q.serviceLevel, 0)} valueStyle={small} /></Tooltip></Col>
      <Col span={4}><Tooltip title="Average speed of answer"><Statistic title="ASA" value={q.asaSec === null ? '—' : `${Math.round(q.asaSec)} s`} valueStyle={small} /></Tooltip></Col>
      <Col span={5}><Statistic title="Hung up waiting" value={q.abandoned} suffix={<Typography.Text type="secondary" style={{ fontSize: 12 }}>of {q.offered}</Typography.Text>} valueStyle={small} /></Col>
    </Row>
  );
}
