import { memo, useMemo, useState } from 'react';
import { Button, Empty, InputNumber, Popover, Segmented, Space, Tag, Typography } from 'antd';
import type { WatchedAgent } from '@protocol/socket-protocol';
import { useNow, useReached } from '@/components/clock';
import { agentStateLabel } from '../../workspace/agent-state-labels';
import { THRESHOLD_LIMITS, thresholdsText } from '../agent-thresholds';
import { duration, thresholdFor, type Thresholds } from '../pacing-wording';
import { useAgentThresholds } from '../use-agent-thresholds';
import type { WallboardStore } from '../wallboard-store';
import { useSlice } from '../use-wallboard';

const STATE_COLOR: Record<string, string> = { ready: 'green', reserved: 'cyan', on_call: 'blue', wrap_up: 'purple', paused: 'orange' };
/** Who needs a look first: paused, wrap-up, ready (idle), then the busy ones. */
const STATE_RANK: Record<string, number> = { paused: 0, wrap_up: 1, ready: 2, reserved: 3, on_call: 4 };

type Sort = 'state' | 'time';

/** Each agent's time parsed once, not in every comparison; the rows are the same objects, so unchanged rows skip rendering. */
function sortAgents(agents: Iterable<WatchedAgent>, sort: Sort): WatchedAgent[] {
  const keyed = [...agents].map((a) => ({ a, rank: sort === 'state' ? STATE_RANK[a.status] : 0, since: Date.parse(a.since) }));
  keyed.sort((x, y) => x.rank - y.rank || x.since - y.since || x.a.username.localeCompare(y.a.username));
  return keyed.map((k) => k.a);
}

// A plain table, not antd's: with a hundred agents changing several times a second, only the
// row that changed re-renders (memo on the agent's payload), and the clock only the time cells.
const CSS = `
.wallboard-grid { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 14px; }
.wallboard-grid th { position: sticky; top: 0; background: #fafafa; text-align: left; font-weight: 600; padding: 8px; border-bottom: 1px solid #f0f0f0; z-index: 1; }
.wallboard-grid td { padding: 6px 8px; border-bottom: 1px solid #f0f0f0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wallboard-grid .num { text-align: right; }
.wallboard-grid tr.over td { background: #fff1f0; }
.wallboard-grid tr.over .time { color: #cf1322; font-weight: 600; }
`;

/** The shared clock (one ticker for every timer on screen): a second's tick re-renders these cells, not the rows. */
function TimeInState({ since }: { since: string }) {
  const now = useNow();
  return <>{duration((now - Date.parse(since)) / 1000)}</>;
}

/** True once the agent has been in this state past its threshold: the row re-renders when that flips, not every second. */
function useOverThreshold(status: WatchedAgent['status'], since: string, thresholds: Thresholds): boolean {
  const sec = thresholdFor(status, thresholds);
  // overThreshold is strict (over, not at): the first millisecond past it.
  return useReached(sec === null ? null : Date.parse(since) + sec * 1000 + 1);
}

const AgentRow = memo(function AgentRow({ agent: a, campaign, dialMode, thresholds }: { agent: WatchedAgent; campaign: string; dialMode?: string; thresholds: Thresholds }) {
  const withCall = a.status === 'on_call' || a.status === 'wrap_up' || a.status === 'reserved';
  const over = useOverThreshold(a.status, a.since, thresholds);
  return (
    <tr data-agent={a.username} data-status={a.status} data-since={a.since} className={over ? 'over' : undefined}>
      <td>{a.username}</td>
      <td>{campaign}</td>
      <td>
        <Tag color={STATE_COLOR[a.status]} data-testid="agent-status">
          {agentStateLabel(a.status, dialMode)}
          {a.status === 'paused' && a.pauseReason ? ` · ${a.pauseReason}` : ''}
        </Tag>
      </td>
      <td className="time">
        <TimeInState since={a.since} />
      </td>
      <td>{withCall ? a.accountNumber ?? '—' : ''}</td>
      <td className="num">{a.today.calls}</td>
      <td className="num">{duration(a.today.talkSec)}</td>
    </tr>
  );
});

const FIELDS: Array<{ key: keyof Thresholds; label: string; unit: 'min' | 's' }> = [
  { key: 'pausedSec', label: 'Paused over', unit: 'min' },
  { key: 'wrapUpSec', label: 'Wrap-up over', unit: 's' },
  { key: 'readySec', label: 'Idle (ready) over', unit: 'min' },
];

/** The supervisor's own thresholds, edited in place; each field saves as it changes. */
function ThresholdsButton({ thresholds, onChange }: { thresholds: Thresholds; onChange: (t: Thresholds) => void }) {
  const form = (
    <Space direction="vertical" size={8} data-testid="thresholds-form">
      {FIELDS.map((f) => {
        const scale = f.unit === 'min' ? 60 : 1;
        const { min, max } = THRESHOLD_LIMITS[f.key];
        return (
          <label key={f.key} style={{ display: 'flex', alignItems: 'center', gap: 8, justifyContent: 'space-between' }}>
            <span>{f.label}</span>
            <InputNumber
              aria-label={`${f.label} (${f.unit})`}
              min={min / scale}
              max={max / scale}
              value={thresholds[f.key] / scale}
              addonAfter={f.unit}
              style={{ width: 130 }}
              onChange={(v) => typeof v === 'number' && onChange({ ...thresholds, [f.key]: v * scale })}
            />
          </label>
        );
      })}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>Kept in this browser, for you only.</Typography.Text>
    </Space>
  );
  return (
    <Popover content={form} title="Colour an agent red when" trigger="click" placement="bottomRight">
      <Button size="small">Thresholds</Button>
    </Popover>
  );
}

/**
 * Every agent logged in on the watched campaigns, from the worker's pushed state changes.
 * Time in state ticks with the page's clock; past its threshold a row turns red.
 */
export const AgentGrid = memo(function AgentGrid({ store, campaignNames, dialModes }: { store: WallboardStore; campaignNames: Map<string, string>; dialModes: Map<string, string> }) {
  const version = useSlice(store, 'agents');
  const [thresholds, setThresholds] = useAgentThresholds();
  const [sort, setSort] = useState<Sort>('state');
  const rows = useMemo(() => sortAgents(store.agents.values(), sort), [store, version, sort]);

  return (
    <div>
      <style>{CSS}</style>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          Agents <Typography.Text type="secondary">({rows.length} logged in)</Typography.Text>
        </Typography.Title>
        <Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="thresholds-text">
            red: {thresholdsText(thresholds)}
          </Typography.Text>
          <ThresholdsButton thresholds={thresholds} onChange={setThresholds} />
          <Segmented<Sort> aria-label="Sort agents" value={sort} onChange={setSort} options={[{ label: 'By state', value: 'state' }, { label: 'By time', value: 'time' }]} />
        </Space>
      </Space>
      {/* Contained and on its own layer: a row's change lays out and repaints the grid, not the page around it. */}
      <div data-testid="agent-grid" style={{ maxHeight: 560, overflowY: 'auto', background: '#fff', borderRadius: 8, contain: 'content', willChange: 'transform' }}>
        {rows.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No agent logged in on these campaigns" style={{ padding: 24, margin: 0 }} />
        ) : (
          <table className="wallboard-grid">
            <colgroup>
              <col style={{ width: 110 }} />
              <col />
              <col style={{ width: 160 }} />
              <col style={{ width: 80 }} />
              <col style={{ width: 95 }} />
              <col style={{ width: 60 }} />
              <col style={{ width: 70 }} />
            </colgroup>
            <thead>
              <tr>
                <th>Agent</th>
                <th>Campaign</th>
                <th>State</th>
                <th>In state</th>
                <th>Account</th>
                <th className="num">Calls</th>
                <th className="num">Talk</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <AgentRow key={a.id} agent={a} campaign={(a.campaignId && campaignNames.get(a.campaignId)) || '—'} dialMode={a.campaignId ? dialModes.get(a.campaignId) : undefined} thresholds={thresholds} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>Calls and talk time: today (UTC).</Typography.Text>
    </div>
  );
});
