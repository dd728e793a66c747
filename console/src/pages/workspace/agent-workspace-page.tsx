import { useCallback, useEffect, useState } from 'react';
import { useGetIdentity, useList } from '@refinedev/core';
import { Alert, Badge, Button, Card, Select, Space, Typography } from 'antd';
import pauseCodes from '@config/pause-codes.json';
import { WhyNothingDials } from '@/components/why-nothing-dials';
import { AccountPop } from './components/account-pop';
import { WrapUpPanel } from './components/wrap-up-panel';
import { AGENT_STATE_LABELS, elapsed } from './agent-state-labels';
import { useAgentSession, useNow, useWorkerHealth } from './use-agent-session';

const pauseLabel = (code: string) => pauseCodes.pauseCodes.find((p) => p.code === code)?.label ?? code;

type Campaign = { id: string; name: string; dialMode: string; state: string };

function ConnectionHealth({ now }: { now: number }) {
  const { health, lastEventAt } = useWorkerHealth();
  const text = health === 'connected' ? 'Connected' : health === 'reconnecting' ? 'Reconnecting…' : health === 'connecting' ? 'Connecting…' : 'Signed out';
  return (
    <Space size="small" aria-label="Connection to the dialer">
      <Badge status={health === 'connected' ? 'success' : 'warning'} text={text} />
      {lastEventAt > 0 && <Typography.Text type="secondary">updated {Math.max(0, Math.round((now - lastEventAt) / 1000))} s ago</Typography.Text>}
    </Space>
  );
}

export default function AgentWorkspacePage() {
  const now = useNow();
  const { data: identity } = useGetIdentity<{ id: number; name: string }>();
  const { agent, pop, ended, hungUpByAgent, lastError, send } = useAgentSession();
  const { result: campaigns } = useList<Campaign>({ resource: 'campaigns', pagination: { pageSize: 100 }, sorters: [{ field: 'name', order: 'asc' }], meta: { fields: ['name', 'dialMode', 'state'] } });
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [pauseReason, setPauseReason] = useState(pauseCodes.pauseCodes[0].code);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (agent?.campaignId) setCampaignId(agent.campaignId);
  }, [agent?.campaignId]);
  // On one campaign only: nothing to choose.
  const onlyCampaign = campaigns.data?.length === 1 ? campaigns.data[0].id : null;
  useEffect(() => {
    if (onlyCampaign) setCampaignId((current) => current ?? onlyCampaign);
  }, [onlyCampaign]);

  const status = agent?.status ?? 'logged_out';
  const run = useCallback(
    async (command: string, payload?: Record<string, unknown>) => {
      setBusy(true);
      try {
        await send(command, payload);
      } finally {
        setBusy(false);
      }
    },
    [send],
  );
  const attemptId = pop?.attemptId ?? agent?.attemptId ?? null;
  const submitDisposition = useCallback(
    (disposition: string, notes: string) => void run('disposition', { attemptId, disposition, notes, next: 'ready' }),
    [run, attemptId],
  );

  const onCall = status === 'on_call';
  const inWrapUp = status === 'wrap_up';
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Space size="large" align="center" wrap>
            <Typography.Title level={2} style={{ margin: 0 }}>
              {identity?.name ?? 'Agent'}
            </Typography.Title>
            <div>
              <div role="status" aria-live="polite" data-testid="agent-state" style={{ fontSize: 20, fontWeight: 600 }}>
                {AGENT_STATE_LABELS[status]}
              </div>
              {agent && <Typography.Text type="secondary">for {elapsed(Date.parse(agent.since), now)}{agent.pauseReason && status === 'paused' ? ` · ${pauseLabel(agent.pauseReason)}` : ''}</Typography.Text>}
            </div>
          </Space>
          <ConnectionHealth now={now} />
        </Space>
        <Space wrap style={{ marginTop: 16 }}>
          <label>
            <span style={{ marginRight: 8 }}>Campaign</span>
            <Select<string>
              aria-label="Campaign"
              style={{ minWidth: 240 }}
              placeholder="Choose a campaign"
              value={campaignId ?? undefined}
              disabled={onCall || inWrapUp}
              onChange={setCampaignId}
              options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.dialMode}${c.state === 'running' ? '' : `, ${c.state}`})` }))}
            />
          </label>
          <Button type="primary" disabled={!campaignId || onCall || inWrapUp || status === 'ready' || busy} onClick={() => void run('ready', { campaignId })}>
            Ready
          </Button>
          <Select<string> aria-label="Pause reason" style={{ minWidth: 160 }} value={pauseReason} onChange={setPauseReason} options={pauseCodes.pauseCodes.map((p) => ({ value: p.code, label: p.label }))} />
          <Button disabled={onCall || inWrapUp || status === 'paused' || busy} onClick={() => void run('pause', { reason: pauseReason })}>
            Pause
          </Button>
          <Button danger disabled={!onCall || busy} onClick={() => void run('hangup')}>
            Hang up
          </Button>
        </Space>
        {lastError && <Alert role="alert" type="error" showIcon style={{ marginTop: 16 }} message={lastError.error} />}
      </Card>
      <WhyNothingDials ready={status === 'ready'} campaignId={agent?.campaignId ?? null} now={now} />
      {ended && !hungUpByAgent && inWrapUp && <Alert type="warning" showIcon message="The call ended on the debtor's side." />}
      {pop && <AccountPop pop={pop} />}
      {inWrapUp && attemptId && <WrapUpPanel key={attemptId} busy={busy} onSubmit={submitDisposition} />}
    </Space>
  );
}
