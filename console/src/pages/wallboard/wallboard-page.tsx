import { lazy, memo, Suspense, useMemo } from 'react';
import { Alert, Badge, Col, Empty, Row, Skeleton, Space, Typography } from 'antd';
import { useConsoleServices } from '@/providers/console-services';
import { useNow } from '@/components/clock';
import { useConnectionHealth } from '../workspace/use-agent-session';
import { AgentGrid } from './components/agent-grid';
import { CampaignCard } from './components/campaign-card';
import { cardColumns } from './card-layout';
import { freshness } from './pacing-wording';
import { useWallboard } from './use-wallboard';
import type { WallboardStore } from './wallboard-store';

// Charts are the heaviest thing on the page: their own chunk, after the board is up.
const TrendCharts = lazy(() => import('./components/trend-charts'));

// Cards, grid and charts are contained (layout, paint): a change in one lays out and repaints it, not the page.
const CARDS_CSS = `
.wallboard-cards { display: flex; flex-wrap: wrap; gap: 12px; }
.wallboard-cards .wallboard-card { flex: 1 1 100%; min-width: 0; contain: content; }
.wallboard-trends { contain: content; will-change: transform; }
.wallboard-cards .wallboard-card > .ant-card { height: 100%; }
@media (min-width: 992px) {
  .wallboard-cards.cards-2 .wallboard-card, .wallboard-cards.cards-3 .wallboard-card { flex-basis: calc(50% - 6px); }
}
@media (min-width: 1600px) {
  .wallboard-cards.cards-3 .wallboard-card { flex-basis: calc(33.33% - 8px); }
}
`;

/**
 * How fresh the figures are, from the last push the store took and the shared clock: its own
 * components, so the clock's second and the socket's events re-render these lines only, never
 * the page (whose cards, grid and charts re-render from their own store slices).
 */
function useFreshness(store: WallboardStore, expecting: boolean) {
  const now = useNow();
  const health = useConnectionHealth();
  return { health, ...freshness(store.lastEventAt, now, { connected: health === 'connected', expecting }) };
}

const FreshnessBadge = memo(function FreshnessBadge({ store, expecting }: { store: WallboardStore; expecting: boolean }) {
  const fresh = useFreshness(store, expecting);
  return (
    <span data-testid="freshness">
      <Badge status={fresh.stale ? 'error' : 'success'} text={fresh.text} />
    </span>
  );
});

/**
 * When updates stop, the warning, and the figures below greyed: a frozen "No agent is ready"
 * must not read as the floor's state now. A style switched on and off here, so that the page
 * itself does not re-render with the clock.
 */
const StaleWarning = memo(function StaleWarning({ store, expecting }: { store: WallboardStore; expecting: boolean }) {
  const fresh = useFreshness(store, expecting);
  if (!fresh.stale || fresh.health === 'connecting') return null;
  return (
    <>
      <style>{'.wallboard-live { opacity: 0.45; filter: grayscale(1); transition: opacity 0.3s; }'}</style>
      <Alert type="error" showIcon message={fresh.text} description="The figures below may be out of date: they are greyed until updates resume." data-testid="stale-warning" />
    </>
  );
});

/** The supervisor's floor, live: every campaign of their clients, every agent on them, trends. Analysts see it without controls. */
export default function WallboardPage() {
  const { store: session } = useConsoleServices();
  const canControl = session.get()?.user.role === 'supervisor';
  const { store, campaigns, loading, watchErrors } = useWallboard();
  const names = useMemo(() => new Map(campaigns.map((c) => [c.id, c.name])), [campaigns]);
  const dialModes = useMemo(() => new Map(campaigns.map((c) => [c.id, c.dialMode as string])), [campaigns]);
  const expecting = campaigns.some((c) => c.state === 'running');

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="center">
        <Typography.Title level={2} style={{ margin: 0 }}>
          Wallboard {!canControl && <Typography.Text type="secondary" style={{ fontSize: 14 }}>read-only</Typography.Text>}
        </Typography.Title>
        <FreshnessBadge store={store} expecting={expecting} />
      </Space>
      <StaleWarning store={store} expecting={expecting} />
      <Space direction="vertical" size={12} style={{ width: '100%' }} className="wallboard-live" data-testid="wallboard-live">
        {loading ? (
          <Skeleton active />
        ) : campaigns.length === 0 ? (
          <Empty description="No campaign of your clients" />
        ) : (
          <div className={`wallboard-cards cards-${cardColumns(campaigns.length)}`} data-testid="campaign-cards">
            <style>{CARDS_CSS}</style>
            {campaigns.map((c) => (
              <div key={c.id} className="wallboard-card">
                <CampaignCard campaign={c} store={store} canControl={canControl} watchError={watchErrors[c.id]} />
              </div>
            ))}
          </div>
        )}
        <Row gutter={12}>
          <Col xs={24} xl={15}>
            <AgentGrid store={store} campaignNames={names} dialModes={dialModes} />
          </Col>
          <Col xs={24} xl={9}>
            <Typography.Title level={4} style={{ margin: '0 0 8px' }}>Trends</Typography.Title>
            {/* The charts draw on canvases: on a layer of their own, a redraw repaints them only. */}
            <div className="wallboard-trends">
              <Suspense fallback={<Skeleton active />}>
                <TrendCharts store={store} campaignNames={names} />
              </Suspense>
            </div>
          </Col>
        </Row>
      </Space>
    </Space>
  );
}
