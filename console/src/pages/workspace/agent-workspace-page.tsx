import { lazy, memo, startTransition, Suspense, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useGetIdentity, useList, useOne } from '@refinedev/core';
import { Alert, Button, Card, Empty, Select, Space, Typography } from 'antd';
import pauseCodes from '@config/pause-codes.json';
import { WhyNothingDials } from '@/components/why-nothing-dials';
import { AccountPop, type PopSummary } from './components/account-pop';
import { ContactRulesCard } from './components/contact-rules-card';
import { InboundBanner } from './components/inbound-banner';
import { PreviewPanel, type HeldPreview } from './components/preview-panel';
import { WrapUpPanel, type Disposition, type WrapUp } from './components/wrap-up-panel';
import { agentStateLabel, elapsed, SYSTEM_PAUSE_LABELS } from './agent-state-labels';
import { narrowWindow, type CallingWindow } from './debtor-time';
import { useAccountRecord } from './use-account-record';
import { useAgentSession, useWorkerHealth } from './use-agent-session';
import { useNow } from '@/components/clock';
import { useWorkspaceSettings } from './use-workspace-settings';
import type { CommandArgs, CommandName } from '@/providers/worker-connection';

// Only an inbound caller on several accounts or on none needs it: out of what the route loads first, and
// fetched once the workspace has painted (see the effect below) so that call's card does not wait for it.
const loadInboundCaller = () => import('./components/inbound-caller');
const InboundCaller = lazy(loadInboundCaller);

const pauseLabel = (code: string) => pauseCodes.pauseCodes.find((p) => p.code === code)?.label ?? SYSTEM_PAUSE_LABELS[code] ?? code;

type Campaign = { id: string; name: string; dialMode: string; state: string };
type CampaignDetail = Campaign & { wrapUpLimitSec?: number | null; callWindowStart?: string; callWindowEnd?: string; allowedDispositions?: Array<Disposition & { active?: boolean; sortOrder?: number }> };

/** The seconds since the last event: its own clock, the page does not re-render every second. */
function SinceLastEvent({ at }: { at: number }) {
  const now = useNow();
  return <Typography.Text type="secondary">updated {Math.max(0, Math.round((now - at) / 1000))} s ago</Typography.Text>;
}

/** How long the agent has been in this state, ticking on its own. */
function TimeInState({ since, reason }: { since: string; reason: string }) {
  const now = useNow();
  return (
    <Typography.Text type="secondary">
      for {elapsed(Date.parse(since), now)}
      {reason}
    </Typography.Text>
  );
}

function ConnectionHealth() {
  const { health, lastEventAt } = useWorkerHealth();
  const text = health === 'connected' ? 'Connected' : health === 'reconnecting' ? 'Reconnecting…' : health === 'connecting' ? 'Connecting…' : 'Signed out';
  return (
    <Space size="small" aria-label="Connection to the dialer">
      <span>
        <span aria-hidden style={{ display: 'inline-block', width: 6, height: 6, borderRadius: 3, marginInlineEnd: 8, verticalAlign: 'middle', background: health === 'connected' ? '#52c41a' : '#faad14' }} />
        {text}
      </span>
      {lastEventAt > 0 && <SinceLastEvent at={lastEventAt} />}
    </Space>
  );
}

// The selects are memoised: the page re-renders at each step of a call, they change at none of them (but the campaign's, disabled during the call).
const CampaignSelect = memo(function CampaignSelect({ campaigns, value, disabled, onChange }: { campaigns?: Campaign[]; value: string | null; disabled: boolean; onChange: (id: string) => void }) {
  const options = useMemo(() => (campaigns ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.dialMode}${c.state === 'running' ? '' : `, ${c.state}`})` })), [campaigns]);
  return <Select<string> aria-label="Campaign" style={{ minWidth: 260 }} placeholder="Choose a campaign" value={value ?? undefined} disabled={disabled} onChange={onChange} options={options} />;
});

const PAUSE_OPTIONS = pauseCodes.pauseCodes.map((p) => ({ value: p.code, label: p.label }));

const PauseReasonSelect = memo(function PauseReasonSelect({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  return <Select<string> aria-label="Pause reason" style={{ minWidth: 160 }} value={value} onChange={onChange} options={PAUSE_OPTIONS} />;
});

// No props: rendered once per call, not again with every part of the record that lands.
const OnCallCard = memo(function OnCallCard() {
  return (
    <Card size="small" title="On call">
      <Typography.Text type="secondary">Talk with the debtor; press Hang up when done, then choose a disposition.</Typography.Text>
    </Card>
  );
});

/** The campaign's dispositions (all active ones when it names none), in their order. */
function useCampaignDispositions(campaign: CampaignDetail | undefined): Disposition[] {
  const all = useList<Disposition & { sortOrder?: number }>({ resource: 'dispositions', pagination: { pageSize: 100 }, sorters: [{ field: 'sortOrder', order: 'asc' }], filters: [{ field: 'active', operator: 'eq', value: true }] });
  const allowed = campaign?.allowedDispositions;
  const own = useMemo(() => (allowed ?? []).filter((d) => d.active !== false).sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0)), [allowed]);
  return own.length ? own : (all.result.data ?? NO_DISPOSITIONS);
}

const NO_DISPOSITIONS: Disposition[] = [];

/** One account on screen: the record on the left, the agent's tools and the Regulation F counters on the right. */
/**
 * False for the first render, true once that render is on screen: a frame, then a task after
 * it, then a transition (so a keystroke or the next pop still comes first). What the pop must
 * show is painted from its summary before any read of the full record is even started.
 */
function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setPainted(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return painted;
}

function AccountWorkspace({ accountDocumentId, phone, summary, campaignWindow, tools }: { accountDocumentId: string; phone: string; summary?: PopSummary; campaignWindow: Partial<CallingWindow>; tools: (debtor: { timezone: string; window: CallingWindow } | null) => ReactNode }) {
  // With a summary in the pop, the reads wait for its paint; a preview (no summary) reads at once.
  const painted = useAfterFirstPaint();
  const record = useAccountRecord(accountDocumentId, painted || !summary);
  const timezone = summary?.timezone ?? record.account?.timezone ?? record.rules?.timezone;
  const legal = summary?.callingWindow ?? record.rules?.callingWindow;
  // One object while what it says holds: the wrap-up panel is memoised on it.
  const debtor = useMemo(() => (timezone && legal ? { timezone, window: narrowWindow(legal, campaignWindow) } : null), [timezone, legal, campaignWindow.start, campaignWindow.end]);
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}>
      <div style={{ flex: '15 1 560px', minWidth: 0 }}>
        <AccountPop phone={phone} summary={summary} record={record} />
      </div>
      <div style={{ flex: '9 1 340px', minWidth: 0 }}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {tools(debtor)}
          <ContactRulesCard rules={record.rules} />
        </Space>
      </div>
    </div>
  );
}

export default function AgentWorkspacePage() {
  const { data: identity } = useGetIdentity<{ id: number; name: string }>();
  const [settings, updateSettings] = useWorkspaceSettings(identity?.id);
  const { agent, pop, ended, hungUpByAgent, lastError, send } = useAgentSession();
  const { result: campaigns } = useList<Campaign>({ resource: 'campaigns', pagination: { pageSize: 100 }, sorters: [{ field: 'name', order: 'asc' }], meta: { fields: ['name', 'dialMode', 'state'] } });
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [pauseReason, setPauseReason] = useState(pauseCodes.pauseCodes[0].code);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<HeldPreview | null>(null);
  const [previewEmpty, setPreviewEmpty] = useState<string | null>(null);
  const [dialing, setDialing] = useState(false);

  const { result: campaign, query: campaignQuery } = useOne<CampaignDetail>({
    resource: 'campaigns',
    id: campaignId ?? '',
    queryOptions: { enabled: !!campaignId },
    meta: { populate: { allowedDispositions: { fields: ['code', 'label', 'promiseToPay', 'callback', 'active', 'sortOrder'] } } },
  });
  const dispositions = useCampaignDispositions(campaign);

  useEffect(() => {
    const t = setTimeout(() => void loadInboundCaller().catch(() => undefined), 2_000);
    return () => clearTimeout(t);
  }, []);
  useEffect(() => {
    if (agent?.campaignId) setCampaignId(agent.campaignId);
  }, [agent?.campaignId]);
  // On one campaign only: nothing to choose.
  const onlyCampaign = campaigns.data?.length === 1 ? campaigns.data[0].id : null;
  useEffect(() => {
    if (onlyCampaign) setCampaignId((current) => current ?? onlyCampaign);
  }, [onlyCampaign]);

  const chooseCampaign = useCallback((id: string) => {
    setCampaignId(id);
    setPreviewEmpty(null);
  }, []);

  const status = agent?.status ?? 'logged_out';
  const run = useCallback(
    async <C extends CommandName>(command: C, ...payload: CommandArgs<C>) => {
      setBusy(true);
      try {
        return await send(command, ...payload);
      } finally {
        setBusy(false);
      }
    },
    [send],
  );
  const [hangingUp, setHangingUp] = useState(false);
  const hangUp = useCallback(async () => {
    setHangingUp(true);
    try {
      await send('hangup');
    } finally {
      setHangingUp(false);
    }
  }, [send]);
  const attemptId = pop?.attemptId ?? agent?.attemptId ?? null;
  // An inbound caller with several accounts: the one the agent opened; an unknown caller: the name they gave.
  const inbound = pop?.inbound ?? null;
  const [picked, setPicked] = useState<{ attemptId: string; accountDocumentId: string } | null>(null);
  const [callerName, setCallerName] = useState<{ attemptId: string; name: string } | null>(null);
  const pickedAccount = picked && picked.attemptId === pop?.attemptId ? picked.accountDocumentId : null;
  const unknownName = callerName && callerName.attemptId === pop?.attemptId ? callerName.name : '';
  const submitWrapUp = useCallback(
    (w: WrapUp) => {
      const named = inbound && !inbound.matches.length && !inbound.linkedAccountDocumentId && unknownName.trim() ? `Unknown caller: ${unknownName.trim()}, ${inbound.callerNumber ?? 'number withheld'}` : null;
      const notes = named ? [named, w.notes].filter(Boolean).join('\n') : w.notes;
      void run('disposition', { attemptId, disposition: w.disposition, notes, promise: w.promise, callback: w.callback, next: settings.autoReady ? 'ready' : 'pause', ...(inbound && pickedAccount ? { accountDocumentId: pickedAccount } : {}) });
    },
    [run, attemptId, settings.autoReady, inbound, pickedAccount, unknownName],
  );

  // The worker sends the pop again with the linked account: the workspace then opens it as any other.
  const linkAccount = useCallback(
    async (accountDocumentId: string) => {
      const reply = await run('inbound:link', { attemptId: attemptId!, accountDocumentId });
      return reply.ok ? null : reply.error;
    },
    [run, attemptId],
  );

  // Preview campaigns: a Ready agent is shown the next account at once; a held one survives only while reserved.
  const isPreview = campaign?.dialMode === 'preview';
  const nextPreview = useCallback(async () => {
    const reply = await run('preview:next');
    if (reply.ok) {
      setPreview(reply.data as HeldPreview);
      setPreviewEmpty(null);
    } else setPreviewEmpty(reply.code === 'NOT_FOUND' ? 'No account of this campaign may be called now.' : null);
  }, [run]);
  useEffect(() => {
    if (status !== 'reserved') {
      setPreview(null);
      setDialing(false);
    }
    if (status === 'ready' && isPreview && !previewEmpty) void nextPreview();
  }, [status, isPreview, previewEmpty, nextPreview]);
  const dialPreview = async () => {
    if (!preview) return;
    setDialing(true);
    const reply = await run('preview:dial', { attemptId: preview.attemptId });
    if (!reply.ok) setDialing(false);
  };
  const skipPreview = async () => {
    if (preview) await run('preview:skip', { attemptId: preview.attemptId });
  };

  const onCall = status === 'on_call';
  const inWrapUp = status === 'wrap_up';
  // A supervisor may have changed the wrap-up limit since the page loaded: read it again for each wrap-up.
  const refetchCampaign = campaignQuery.refetch;
  useEffect(() => {
    if (inWrapUp && campaignId) void refetchCampaign();
  }, [inWrapUp, campaignId, refetchCampaign]);
  const popAccountId = pop ? pop.accountDocumentId || pickedAccount || '' : '';
  const popSummary = pop ? (pop.account ?? inbound?.matches.find((a) => a.documentId === popAccountId)) : undefined;
  const shownAccount = pop && popAccountId ? { accountDocumentId: popAccountId, phone: pop.phone, summary: popSummary ?? undefined } : preview ? { accountDocumentId: preview.accountDocumentId, phone: preview.phone, summary: undefined } : null;
  const campaignWindow = { start: campaign?.callWindowStart, end: campaign?.callWindowEnd };
  // Only read in wrap-up, where the agent's state has its start.
  const endedAt = ended ? Date.parse(ended.endedAt) : agent ? Date.parse(agent.since) : 0;

  const tools = (debtor: { timezone: string; window: CallingWindow } | null) => (
    <>
      {inWrapUp && ended && !hungUpByAgent && <Alert type="warning" showIcon message="The debtor hung up." />}
      {inWrapUp && attemptId && (
        <WrapUpPanel key={attemptId} dispositions={dispositions} busy={busy} onSubmit={submitWrapUp} settings={settings} onSettings={updateSettings} endedAt={endedAt} limitSec={campaign?.wrapUpLimitSec ?? null} debtor={debtor} />
      )}
      {onCall && <OnCallCard />}
      {isPreview && status === 'reserved' && <PreviewPanel preview={preview} dialing={dialing} busy={busy} empty={previewEmpty} onDial={dialPreview} onSkip={skipPreview} onNext={nextPreview} />}
    </>
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card styles={{ body: { padding: '16px 24px' } }}>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '12px 16px', alignItems: 'center', justifyContent: 'space-between' }}>
          <div>
            <Space size="large" align="center" wrap>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {identity?.name ?? 'Agent'}
              </Typography.Title>
              <div>
                <div role="status" aria-live="polite" data-testid="agent-state" style={{ fontSize: 20, fontWeight: 600 }}>
                  {agentStateLabel(status, campaign?.dialMode)}
                </div>
                {agent && <TimeInState since={agent.since} reason={agent.pauseReason && status === 'paused' ? ` · ${pauseLabel(agent.pauseReason)}` : ''} />}
              </div>
            </Space>
          </div>
          <div>
            <ConnectionHealth />
          </div>
        </div>
        <Space wrap style={{ marginTop: 12 }}>
          <label>
            <span style={{ marginRight: 8 }}>Campaign</span>
            <CampaignSelect campaigns={campaigns.data} value={campaignId} disabled={onCall || inWrapUp || status === 'reserved'} onChange={chooseCampaign} />
          </label>
          <Button type="primary" disabled={!campaignId || onCall || inWrapUp || status === 'ready' || status === 'reserved' || busy} onClick={() => void run('ready', { campaignId })}>
            Ready
          </Button>
          <PauseReasonSelect value={pauseReason} onChange={setPauseReason} />
          <Button disabled={onCall || inWrapUp || status === 'paused' || status === 'reserved' || busy} onClick={() => void run('pause', { reason: pauseReason })}>
            Pause
          </Button>
          {/* Not held by the shared busy flag: a call that pops while another command is still waiting for its answer
              (a slow Ready under load) must be hangable at once. Solid while there is a call to hang up. */}
          <Button danger type={onCall ? 'primary' : 'default'} disabled={!onCall || hangingUp} onClick={() => void hangUp()}>
            Hang up
          </Button>
        </Space>
        {lastError && lastError.code !== 'NOT_FOUND' && <Alert role="alert" type="error" showIcon style={{ marginTop: 12 }} message={lastError.error} />}
      </Card>
      <WhyNothingDials ready={status === 'ready'} campaignId={agent?.campaignId ?? null} />
      {inbound && <InboundBanner inbound={inbound} />}
      {inbound && inbound.matches.length !== 1 && (
        <Suspense fallback={null}>
          <InboundCaller
            inbound={inbound}
            picked={pickedAccount}
            onPick={(id) => setPicked({ attemptId: pop!.attemptId, accountDocumentId: id })}
            callerName={unknownName}
            onCallerName={(name) => setCallerName({ attemptId: pop!.attemptId, name })}
            attemptId={pop!.attemptId}
            onLink={linkAccount}
            linkedAccountNumber={inbound.linkedAccountDocumentId && pop?.account ? pop.account.accountNumber : null}
          />
        </Suspense>
      )}
      {pop && !popAccountId && <Card>{tools(null)}</Card>}
      {shownAccount ? (
        <AccountWorkspace key={shownAccount.accountDocumentId} {...shownAccount} campaignWindow={campaignWindow} tools={tools} />
      ) : pop ? null : (
        <Card>
          {isPreview && status === 'ready' ? (
            <PreviewPanel preview={null} dialing={false} busy={busy} empty={previewEmpty} onDial={dialPreview} onSkip={skipPreview} onNext={() => { setPreviewEmpty(null); void nextPreview(); }} />
          ) : (
            <Empty description={status === 'ready' ? 'Waiting for a call: the account appears here the moment the debtor answers.' : 'Choose a campaign and press Ready to take calls.'} />
          )}
        </Card>
      )}
    </Space>
  );
}
