import { Line } from '@ant-design/plots';
import { Card } from 'antd';
import type { KpiRow } from '../kpi-types';

const SERIES: Array<{ key: keyof KpiRow; name: string }> = [
  { key: 'dials', name: 'Dials' },
  { key: 'connects', name: 'Connects' },
  { key: 'rightPartyContacts', name: 'RPC' },
  { key: 'promises', name: 'Promises' },
];

/** Per-day trends; its own chunk, so the charting library loads with this page only. */
export default function KpiTrends({ days }: { days: KpiRow[] }) {
  const counts = days.flatMap((d) => SERIES.map((s) => ({ day: d.key, value: Number(d[s.key] ?? 0), series: s.name })));
  const money = days.map((d) => ({ day: d.key, value: d.collectedAmount }));
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: 12 }} data-testid="kpi-trends">
      <Card size="small" title="Dials, connects, RPC and promises per day">
        <Line data={counts} xField="day" yField="value" colorField="series" height={220} point={{ sizeField: 3 }} axis={{ x: { title: false }, y: { title: false } }} />
      </Card>
      <Card size="small" title="Collected per day">
        <Line data={money} xField="day" yField="value" height={220} point={{ sizeField: 3 }} axis={{ x: { title: false }, y: { title: false } }} />
      </Card>
    </div>
  );
}
