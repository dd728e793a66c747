import { memo, useEffect, useMemo, useState } from 'react';
import { Line } from '@ant-design/plots';
import { Card, Empty } from 'antd';
import type { TrendPoint, WallboardStore } from '../wallboard-store';

type Metric = { key: 'abandonRate' | 'utilization' | 'dialLevel'; title: string; percent: boolean };
const METRICS: Metric[] = [
  { key: 'abandonRate', title: 'Abandon rate (compliance window)', percent: true },
  { key: 'utilization', title: 'Utilization today', percent: true },
  { key: 'dialLevel', title: 'Dial level (lines per agent)', percent: false },
];
/** Charts redraw at most this often: a trend over hours gains nothing from every tick. */
const REDRAW_MS = 10_000;

const timeLabel = (d: Date) => d.toTimeString().slice(0, 5);
const percentLabel = (v: number) => `${(v * 100).toFixed(1)}%`;
const AXES = {
  percent: { y: { labelFormatter: percentLabel }, x: { labelFormatter: timeLabel } },
  plain: { y: { labelFormatter: undefined }, x: { labelFormatter: timeLabel } },
};
const LEGEND = { color: { position: 'bottom' } } as const;

type Point = { time: Date; value: number; campaign: string };

/**
 * One chart, redrawn only when its points change (the charting library redraws, legend and
 * all, on any new prop): never on a render of the page around it.
 */
const MetricChart = memo(function MetricChart({ metric: m, data }: { metric: Metric; data: Point[] }) {
  return (
    <Card size="small" title={m.title} styles={{ body: { padding: 8 } }}>
      {data.length < 2 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Gathering points (one every 10 s)" style={{ margin: 0, height: 120 }} />
      ) : (
        <Line data={data} xField="time" yField="value" colorField="campaign" height={150} autoFit animate={false} axis={m.percent ? AXES.percent : AXES.plain} legend={LEGEND} />
      )}
    </Card>
  );
});

/**
 * The last hours of each campaign, live. Its own chunk (the page loads it lazily), so the
 * charting library reaches supervisors only, never the agent workspace.
 */
export default memo(function TrendCharts({ store, campaignNames }: { store: WallboardStore; campaignNames: Map<string, string> }) {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const redraw = () => {
      last = Date.now();
      timer = undefined;
      setVersion((v) => v + 1);
    };
    let idle: number | undefined;
    // Drawing the charts is the page's longest task: done when the main thread is idle, so an agent's row never waits behind it.
    const whenIdle = () => {
      idle = requestIdleCallback(() => {
        idle = undefined;
        redraw();
      }, { timeout: 2_000 });
    };
    const off = store.subscribe('trends', () => {
      if (timer || idle !== undefined) return;
      timer = setTimeout(whenIdle, Math.max(0, last + REDRAW_MS - Date.now()));
    });
    return () => {
      off();
      clearTimeout(timer);
      if (idle !== undefined) cancelIdleCallback(idle);
    };
  }, [store]);
  const data = useMemo(() => {
    const points = [...store.trends.values()].flat();
    return METRICS.map((m) =>
      points
        .filter((p: TrendPoint) => p[m.key] !== null)
        .map((p): Point => ({ time: new Date(p.at), value: p[m.key] as number, campaign: campaignNames.get(p.campaignId) ?? p.campaignId })),
    );
  }, [store, version, campaignNames]);

  return (
    <div style={{ display: 'grid', gap: 12 }} data-testid="trends">
      {METRICS.map((m, i) => (
        <MetricChart key={m.key} metric={m} data={data[i]} />
      ))}
    </div>
  );
});
