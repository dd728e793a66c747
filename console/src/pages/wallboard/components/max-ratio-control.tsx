import { useState } from 'react';
import { useNotification } from '@refinedev/core';
import { Button, InputNumber, Space, Table, Typography } from 'antd';
import type { WhatIfEstimate, WhatIfResult } from '@protocol/what-if';
import { useConsoleServices } from '@/providers/console-services';
import { pct, whatIfSentence } from '../pacing-wording';
import type { Campaign } from '../use-wallboard';

const METRICS: Array<{ title: string; of: (e: WhatIfEstimate) => string }> = [
  { title: 'Abandons', of: (e) => pct(e.abandonRate) },
  { title: 'Utilization', of: (e) => pct(e.utilization, 0) },
  { title: 'Connects / agent-h', of: (e) => e.connectsPerAgentHour.toFixed(1) },
  { title: 'Window in 1 h', of: (e) => pct(e.windowRateInAnHour) },
  { title: 'Lines / agent', of: (e) => e.linesPerAgent.toFixed(2) },
];

/**
 * The maximum dial ratio: a proposed value is first shown with what the engine expects of it
 * (campaign:what-if), and only then can it be applied.
 */
export function MaxRatioControl({ campaign }: { campaign: Campaign }) {
  const { worker } = useConsoleServices();
  const { open } = useNotification();
  const [value, setValue] = useState<number>(campaign.maxDialRatio);
  const [result, setResult] = useState<WhatIfResult | null>(null);
  const [busy, setBusy] = useState(false);
  const fail = (error: string) => open?.({ type: 'error', message: `${campaign.name}: max ratio`, description: error });

  const ask = async () => {
    setBusy(true);
    const reply = await worker.command('campaign:what-if', { campaignId: campaign.id, maxDialRatio: value });
    setBusy(false);
    if (reply.ok) setResult(reply.data);
    else fail(reply.error);
  };
  const apply = async () => {
    setBusy(true);
    const reply = await worker.command('campaign:set-max-ratio', { campaignId: campaign.id, maxDialRatio: value });
    setBusy(false);
    if (!reply.ok) return fail(reply.error);
    setResult(null);
    open?.({ type: 'success', message: `${campaign.name}: max ratio ${value}` });
  };
  const shown = result && result.proposed.maxDialRatio === value ? result : null;

  return (
    <div style={{ marginTop: 8, borderTop: '1px solid #f0f0f0', paddingTop: 8 }}>
      <Space wrap>
        <label>
          <Typography.Text type="secondary" style={{ marginRight: 8 }}>Max dial ratio</Typography.Text>
          <InputNumber aria-label="Max dial ratio" min={1} max={10} step={0.1} value={value} onChange={(v) => v !== null && setValue(v)} style={{ width: 80 }} />
        </label>
        <Button onClick={() => void ask()} loading={busy && !shown} disabled={value === campaign.maxDialRatio && !shown}>What if?</Button>
        {shown && <Button type="primary" onClick={() => void apply()} loading={busy}>Apply {value}</Button>}
      </Space>
      {shown && (
        <div data-testid="what-if" style={{ marginTop: 8 }}>
          <Typography.Paragraph style={{ marginBottom: 4 }}>{whatIfSentence(shown)}</Typography.Paragraph>
          <Table<{ key: string; label: string; estimate: WhatIfEstimate }>
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={[
              { key: 'now', label: `Now (${shown.current.maxDialRatio})`, estimate: shown.current },
              { key: 'proposed', label: `At ${shown.proposed.maxDialRatio}`, estimate: shown.proposed },
            ]}
            columns={[
              { title: 'Engine expects', dataIndex: 'label', render: (label: string, r) => (r.key === 'proposed' ? <strong>{label}</strong> : label) },
              ...METRICS.map((m) => ({ title: m.title, render: (_: unknown, r: { key: string; estimate: WhatIfEstimate }) => (r.key === 'proposed' ? <strong>{m.of(r.estimate)}</strong> : m.of(r.estimate)) })),
            ]}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            From {shown.assumptions.activeAgents ? `${shown.assumptions.activeAgents} active agents` : 'no active agent (estimated for one)'}, live rate {pct(shown.assumptions.liveRate, 0)}, talk {Math.round(shown.assumptions.meanTalkSec)} s, wrap-up {Math.round(shown.assumptions.meanWrapSec)} s (steady-state estimate).
          </Typography.Text>
        </div>
      )}
    </div>
  );
}
