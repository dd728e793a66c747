import { lazy, Suspense, useMemo, useState } from 'react';
import { useCustom, usePermissions } from '@refinedev/core';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Card, DatePicker, Segmented, Space, Spin, Table, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useConsoleServices } from '@/providers/console-services';
import { callsDrillDown, presetPeriod, previousOf, type Period, type PresetKey } from './report-period';
import type { KpiReport, KpiRow } from './kpi-types';

const KpiTrends = lazy(() => import('./components/kpi-trends'));

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toLocaleString('en-US'));
const money = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const secs = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v)} s`);

type Tile = { key: keyof KpiRow; title: string; format: (v: number | null) => string };
const TILES: Tile[] = [
  { key: 'dials', title: 'Dials', format: num },
  { key: 'connects', title: 'Connects', format: num },
  { key: 'rightPartyContacts', title: 'Right-party contacts', format: num },
  { key: 'promises', title: 'Promises', format: num },
  { key: 'keptRate', title: 'Kept rate', format: pct },
  { key: 'collectedAmount', title: 'Collected', format: money },
  { key: 'contactRate', title: 'Contact rate', format: pct },
  { key: 'abandonRate', title: 'Abandon rate', format: pct },
  { key: 'aht', title: 'Average handle time', format: secs },
];

function useKpis(period: Period, groupBy: 'day' | 'agent' | 'campaign', enabled = true) {
  const { query } = useCustom<KpiReport>({ url: '/reports/kpis', method: 'get', config: { query: { ...period, groupBy } }, queryOptions: { enabled } });
  return { report: query.data?.data, loading: query.isLoading, error: query.error };
}

/** A report as a file: fetched with the reader's token (a plain link would carry none), then saved. */
function ExportButton({ period, groupBy, format }: { period: Period; groupBy: string; format: 'csv' | 'xlsx' }) {
  const { config, store } = useConsoleServices();
  const download = async () => {
    const res = await fetch(`${config.cmsUrl}/api/reports/kpis.${format}?from=${period.from}&to=${period.to}&groupBy=${groupBy}`, { headers: { Authorization: `Bearer ${store.token()}` } });
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement('a'), { href: url, download: `kpis-${groupBy}-${period.from}-${period.to}.${format}` });
    a.click();
    URL.revokeObjectURL(url);
  };
  return <Button size="small" onClick={download}>{format.toUpperCase()}</Button>;
}

function Funnel({ t }: { t: KpiReport['totals'] }) {
  const steps = [['Dials', t.dials], ['Connects', t.connects], ['Right-party contacts', t.rightPartyContacts], ['Promises', t.promises], ['Kept', t.promisesKept]] as const;
  const top = Math.max(1, t.dials);
  return (
    <div role="list" aria-label="Funnel" data-testid="funnel">
      {steps.map(([label, v]) => (
        <div role="listitem" key={label} style={{ display: 'flex', alignItems: 'center', gap: 8, margin: '4px 0' }}>
          <span style={{ width: 160 }}>{label}</span>
          <span style={{ background: '#1f5fbf', height: 16, width: `${Math.max(0.5, (v / top) * 100) * 0.6}%` }} />
          <span>{num(v)}</span>
        </div>
      ))}
    </div>
  );
}

function KpiTable({ rows, by, period, definitions, drillable }: { rows: KpiRow[]; by: 'agent' | 'campaign' | 'day'; period: Period; definitions: Record<string, string>; drillable: boolean }) {
  const navigate = useNavigate();
  const drill = (r: KpiRow) => callsDrillDown(period, by === 'agent' ? { agentId: r.id } : by === 'campaign' ? { campaignDocumentId: r.key } : { day: r.key ?? undefined });
  const col = (key: keyof KpiRow, title: string, render: (v: any) => string) => ({
    key, dataIndex: key, align: 'right' as const, render,
    title: <Tooltip title={definitions[key]}>{title}</Tooltip>,
    sorter: (a: KpiRow, b: KpiRow) => Number(a[key] ?? -1) - Number(b[key] ?? -1),
  });
  return (
    <Table<KpiRow>
      size="small"
      rowKey={(r) => r.key ?? 'none'}
      dataSource={rows}
      pagination={false}
      onRow={(r) => ({ onClick: () => drillable && r.key !== null && navigate(drill(r)), style: { cursor: drillable && r.key !== null ? 'pointer' : 'default' }, 'data-row': r.label } as any)}
      columns={[
        { key: 'label', title: by === 'day' ? 'Day' : by === 'agent' ? 'Agent' : 'Campaign', render: (_: unknown, r: KpiRow) => (r.key === null ? <Typography.Text type="secondary">{r.label}</Typography.Text> : !drillable ? r.label : <Link to={drill(r)} onClick={(e) => e.stopPropagation()}>{r.label}</Link>) },
        col('dials', 'Dials', num), col('connects', 'Connects', num), col('rightPartyContacts', 'RPC', num), col('promises', 'Promises', num),
        col('keptRate', 'Kept', pct), col('collectedAmount', 'Collected', money), col('contactRate', 'Contact', pct), col('abandonRate', 'Abandon', pct),
        col('aht', 'AHT', secs), ...(by === 'agent' ? [col('utilization', 'Utilization', pct), col('occupancy', 'Occupancy', pct)] : []),
      ]}
    />
  );
}

/** KPIs for supervisors and analysts (their clients), and an agent's own day and week. */
export default function ReportsPage() {
  const { data: role } = usePermissions<string>({});
  const isAgent = role === 'agent';
  const [preset, setPreset] = useState<PresetKey>(isAgent ? 'today' : 'month');
  const [custom, setCustom] = useState<Period>(() => presetPeriod('month', dayjs()));
  const period = useMemo(() => (preset === 'custom' ? custom : presetPeriod(preset, dayjs())), [preset, custom]);
  const previous = useMemo(() => previousOf(period), [period]);
  const days = useKpis(period, 'day', role !== undefined);
  const before = useKpis(previous, 'day', role !== undefined);
  const agents = useKpis(period, 'agent', role !== undefined && !isAgent);
  const campaigns = useKpis(period, 'campaign', role !== undefined);
  const t = days.report?.totals;
  const p = before.report?.totals;
  const definitions = days.report?.meta.definitions ?? {};
  // An agent's campaigns' average agent (cms withholds it below 3 agents, where it would give a colleague away).
  const peerAverage = isAgent ? days.report?.peerAverage ?? [] : [];
  const peers = peerAverage.filter((a) => a.average !== null);
  const withheld = peerAverage.filter((a) => a.average === null);

  return (
    <div style={{ padding: 16, display: 'grid', gap: 16 }}>
      <Space wrap align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>{isAgent ? 'My figures' : 'Reports'}</Typography.Title>
        <Segmented
          aria-label="Period"
          value={preset}
          onChange={(v) => setPreset(v as PresetKey)}
          options={[{ value: 'today', label: 'Today' }, { value: 'week', label: 'This week' }, { value: 'month', label: 'Month to date' }, { value: 'custom', label: 'Custom' }]}
        />
        {preset === 'custom' && (
          <DatePicker.RangePicker
            aria-label="Custom period"
            value={[dayjs(custom.from), dayjs(custom.to)]}
            onChange={(r) => r?.[0] && r?.[1] && setCustom({ from: r[0].format('YYYY-MM-DD'), to: r[1].format('YYYY-MM-DD') })}
          />
        )}
        <Typography.Text type="secondary" data-testid="period">{period.from} – {period.to} (previous: {previous.from} – {previous.to})</Typography.Text>
      </Space>
      {days.error && <Alert type="error" message="The report could not be read" description={String((days.error as { message?: string }).message ?? days.error)} />}
      {!t ? <Spin aria-label="Loading figures" /> : (
        <>
          {isAgent && withheld.length > 0 && (
            <Alert
              type="info"
              showIcon
              data-testid="peer-average-withheld"
              message={`No campaign average for ${withheld.map((a) => a.label).join(', ')} in this period`}
              description="Fewer than 3 agents worked it: an average would show a colleague's own figures."
            />
          )}
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))', gap: 12 }} role="list" aria-label="Key figures">
            {TILES.map((tile) => (
              <Card key={tile.key} size="small" role="listitem" data-testid={`tile-${tile.key}`}>
                <Tooltip title={definitions[tile.key]}><Typography.Text type="secondary">{tile.title}</Typography.Text></Tooltip>
                <div style={{ fontSize: 24, fontWeight: 600 }} data-testid="value">{tile.format((t as any)[tile.key])}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>previous {p ? tile.format((p as any)[tile.key]) : '…'}</Typography.Text>
                {peers.map((peer) => (
                  <div key={peer.id} data-testid="peer-average" data-campaign={peer.label} style={{ fontSize: 12 }}>
                    <Typography.Text type="secondary">{peers.length > 1 ? `${peer.label} average ` : 'campaign average '}</Typography.Text>
                    <Typography.Text strong>{tile.format((peer.average as any)[tile.key])}</Typography.Text>
                  </div>
                ))}
              </Card>
            ))}
          </div>
          <Card size="small" title="Funnel"><Funnel t={t} /></Card>
          <Suspense fallback={<Spin aria-label="Loading charts" />}>
            <KpiTrends days={days.report!.data.filter((d) => d.key !== null)} />
          </Suspense>
          {!isAgent && agents.report && (
            <Card size="small" title="By agent" extra={<Space><ExportButton period={period} groupBy="agent" format="csv" /><ExportButton period={period} groupBy="agent" format="xlsx" /></Space>} data-testid="by-agent">
              <KpiTable rows={agents.report.data} by="agent" period={period} definitions={definitions} drillable />
            </Card>
          )}
          {campaigns.report && (
            <Card size="small" title="By campaign" extra={<Space><ExportButton period={period} groupBy="campaign" format="csv" /><ExportButton period={period} groupBy="campaign" format="xlsx" /></Space>} data-testid="by-campaign">
              <KpiTable rows={campaigns.report.data} by="campaign" period={period} definitions={definitions} drillable={!isAgent} />
            </Card>
          )}
          <Card size="small" title="By day" extra={<Space><ExportButton period={period} groupBy="day" format="csv" /><ExportButton period={period} groupBy="day" format="xlsx" /></Space>} data-testid="by-day">
            <KpiTable rows={days.report!.data} by="day" period={period} definitions={definitions} drillable={!isAgent} />
          </Card>
        </>
      )}
    </div>
  );
}
