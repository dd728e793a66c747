import { memo, useMemo, useState } from 'react';
import { Segmented, Space, Table, Tag, Typography } from 'antd';
import type { WatchedAgent } from '@protocol/socket-protocol';
import { AGENT_STATE_LABELS } from '../../workspace/agent-state-labels';
import { DEFAULT_THRESHOLDS, duration, overThreshold } from '../pacing-wording';
import type { WallboardStore } from '../wallboard-store';
import { useSlice } from '../use-wallboard';

const STATE_COLOR: Record<string, string> = { ready: 'green', reserved: 'cyan', on_call: 'blue', wrap_up: 'purple', paused: 'orange' };
/** Who needs a look first: paused, wrap-up, ready (idle), then the busy ones. */
const STATE_RANK: Record<string, number> = { paused: 0, wrap_up: 1, ready: 2, reserved: 3, on_call: 4 };

type Sort = 'state' | 'time';

function sortAgents(agents: WatchedAgent[], sort: Sort): WatchedAgent[] {
  const since = (a: WatchedAgent) => Date.parse(a.since);
  return [...agents].sort((a, b) => (sort === 'state' ? STATE_RANK[a.status] - STATE_RANK[b.status] : 0) || since(a) - since(b) || a.username.localeCompare(b.username));
}

/**
 * Every agent logged in on the watched campaigns, from the worker's pushed state changes.
 * Time in state ticks with the page's clock; past its threshold a row turns red.
 */
export const AgentGrid = memo(function AgentGrid({ store, now, campaignNames }: { store: WallboardStore; now: number; campaignNames: Map<string, string> }) {
  const version = useSlice(store, 'agents');
  const [sort, setSort] = useState<Sort>('state');
  const rows = useMemo(() => sortAgents([...store.agents.values()], sort), [store, version, sort]);

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          Agents <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>calls and talk today</Typography.Text> <Typography.Text type="secondary">({rows.length} logged in)</Typography.Text>
        </Typography.Title>
        <Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            red: paused over {DEFAULT_THRESHOLDS.pausedSec / 60} min, wrap-up over {DEFAULT_THRESHOLDS.wrapUpSec} s, idle over {DEFAULT_THRESHOLDS.readySec / 60} min
          </Typography.Text>
          <Segmented<Sort> aria-label="Sort agents" value={sort} onChange={setSort} options={[{ label: 'By state', value: 'state' }, { label: 'By time', value: 'time' }]} />
        </Space>
      </Space>
      <Table<WatchedAgent>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={false}
        scroll={{ y: 520 }}
        data-testid="agent-grid"
        onRow={(a) => ({ 'data-agent': a.username, 'data-status': a.status, 'data-since': a.since } as React.HTMLAttributes<HTMLElement>)}
        rowClassName={(a) => (overThreshold(a.status, (now - Date.parse(a.since)) / 1000) ? 'wallboard-over' : '')}
        locale={{ emptyText: 'No agent logged in on these campaigns' }}
        columns={[
          { title: 'Agent', dataIndex: 'username', width: 110, ellipsis: true },
          { title: 'Campaign', ellipsis: true, render: (_, a) => (a.campaignId ? campaignNames.get(a.campaignId) ?? '—' : '—') },
          {
            title: 'State',
            width: 150,
            ellipsis: true,
            render: (_, a) => (
              <Tag color={STATE_COLOR[a.status]} data-testid="agent-status">
                {AGENT_STATE_LABELS[a.status]}
                {a.status === 'paused' && a.pauseReason ? ` · ${a.pauseReason}` : ''}
              </Tag>
            ),
          },
          { title: 'In state', width: 80, render: (_, a) => <span className="wallboard-time">{duration((now - Date.parse(a.since)) / 1000)}</span> },
          { title: 'Account', width: 95, render: (_, a) => (a.status === 'on_call' || a.status === 'wrap_up' || a.status === 'reserved' ? a.accountNumber ?? '—' : '') },
          { title: 'Calls', width: 60, align: 'right', render: (_, a) => a.today.calls },
          { title: 'Talk', width: 70, align: 'right', render: (_, a) => duration(a.today.talkSec) },
        ]}
      />
    </div>
  );
});
