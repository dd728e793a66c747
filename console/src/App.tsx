import { lazy, Suspense } from 'react';
import { BrowserRouter, Outlet, Route, Routes } from 'react-router';
import { Authenticated, ErrorComponent, Refine } from '@refinedev/core';
import routerProvider, { CatchAllNavigate, DocumentTitleHandler, UnsavedChangesNotifier } from '@refinedev/react-router';
import { ConfigProvider, Spin } from 'antd';
import { AuditOutlined, ClockCircleOutlined, DashboardOutlined, DownloadOutlined, LineChartOutlined, NotificationOutlined, PhoneOutlined, StopOutlined, TagsOutlined, TeamOutlined, UnorderedListOutlined } from '@ant-design/icons';
import '@refinedev/antd/dist/reset.css';
import { ConsoleLayout } from '@/components/console-layout';
import { HomeRedirect, RoleRoute } from '@/components/role-route';
import { ConsoleServicesContext, type ConsoleServices } from '@/providers/console-services';
import { consoleNotifications } from '@/providers/notification-provider';

const LoginPage = lazy(() => import('@/pages/login/login-page'));
// Its own chunk: the reminder's list and notifications load after the page an agent opened.
const CallbackReminder = lazy(() => import('@/pages/callbacks/callback-reminder').then((m) => ({ default: m.CallbackReminder })));
const AgentWorkspacePage = lazy(() => import('@/pages/workspace/agent-workspace-page'));
const AccountList = lazy(() => import('@/pages/accounts/list'));
const AccountShowPage = lazy(() => import('@/pages/accounts/show'));
const CallbackList = lazy(() => import('@/pages/callbacks/list'));
const WallboardPage = lazy(() => import('@/pages/wallboard/wallboard-page'));
const CampaignList = lazy(() => import('@/pages/campaigns/list'));
const CampaignCreate = lazy(() => import('@/pages/campaigns/create'));
const CampaignEdit = lazy(() => import('@/pages/campaigns/edit'));
const CallList = lazy(() => import('@/pages/calls/list'));
const CallShow = lazy(() => import('@/pages/calls/show'));
const AuditLogList = lazy(() => import('@/pages/audit-logs/list'));
const DispositionList = lazy(() => import('@/pages/dispositions/list'));
const DncList = lazy(() => import('@/pages/dnc-entries/list'));
const ReportsPage = lazy(() => import('@/pages/reports/reports-page'));
const ExportsPage = lazy(() => import('@/pages/exports/list'));
const ImportsPage = lazy(() => import('@/pages/imports/list'));

const resources = [
  { name: 'workspace', list: '/workspace', meta: { label: 'Workspace', icon: <PhoneOutlined /> } },
  { name: 'accounts', list: '/accounts', show: '/accounts/:id', edit: '/accounts/:id', meta: { label: 'Accounts', icon: <TeamOutlined /> } },
  { name: 'callbacks', list: '/callbacks', meta: { label: 'Callbacks', icon: <ClockCircleOutlined /> } },
  { name: 'wallboard', list: '/wallboard', meta: { label: 'Wallboard', icon: <DashboardOutlined /> } },
  { name: 'campaigns', list: '/campaigns', create: '/campaigns/create', show: '/campaigns/:id', edit: '/campaigns/:id', meta: { label: 'Campaigns', icon: <NotificationOutlined /> } },
  { name: 'calls', list: '/calls', show: '/calls/:id', meta: { label: 'Calls', icon: <UnorderedListOutlined /> } },
  { name: 'audit-logs', list: '/audit', meta: { label: 'Audit log', icon: <AuditOutlined /> } },
  { name: 'dispositions', list: '/dispositions', meta: { label: 'Dispositions', icon: <TagsOutlined /> } },
  { name: 'dnc-entries', list: '/dnc', meta: { label: 'Do not call', icon: <StopOutlined /> } },
  { name: 'reports', list: '/reports', meta: { label: 'Reports', icon: <LineChartOutlined /> } },
  { name: 'exports', list: '/exports', meta: { label: 'Exports', icon: <DownloadOutlined /> } },
  { name: 'imports', list: '/imports', meta: { label: 'Imports', icon: <DownloadOutlined rotate={180} /> } },
];

export function App({ services }: { services: ConsoleServices }) {
  return (
    <ConsoleServicesContext.Provider value={services}>
      <BrowserRouter>
        {/* No motion: with 20 agent pages on one machine (the pop bench), chromium spent 1.5 s of CPU per call, much of it
            raster for animations (skeleton shimmer while a read is slow, click waves, fades); an agent's screen changes
            at once, and people who prefer reduced motion get it too. */}
        <ConfigProvider theme={{ token: { colorPrimary: '#1f5fbf', motion: false } }} wave={{ disabled: true }}>
          <Refine
            dataProvider={services.dataProvider}
            authProvider={services.authProvider}
            accessControlProvider={services.accessControlProvider}
            liveProvider={services.liveProvider}
            routerProvider={routerProvider}
            notificationProvider={consoleNotifications}
            resources={resources}
            options={{ syncWithLocation: true, warnWhenUnsavedChanges: true, disableTelemetry: true, liveMode: 'auto' }}
          >
            <Suspense fallback={<Spin aria-label="Loading" />}>
              <Routes>
                <Route
                  element={
                    <Authenticated key="signed-in" fallback={<CatchAllNavigate to="/login" />}>
                      <ConsoleLayout>
                        <Suspense fallback={null}>
                          <CallbackReminder />
                        </Suspense>
                        <Outlet />
                      </ConsoleLayout>
                    </Authenticated>
                  }
                >
                  <Route index element={<HomeRedirect />} />
                  <Route path="/workspace" element={<RoleRoute><AgentWorkspacePage /></RoleRoute>} />
                  <Route path="/accounts" element={<RoleRoute><AccountList /></RoleRoute>} />
                  <Route path="/accounts/:id" element={<RoleRoute><AccountShowPage /></RoleRoute>} />
                  <Route path="/callbacks" element={<RoleRoute><CallbackList /></RoleRoute>} />
                  <Route path="/wallboard" element={<RoleRoute><WallboardPage /></RoleRoute>} />
                  <Route path="/campaigns" element={<RoleRoute><CampaignList /></RoleRoute>} />
                  <Route path="/campaigns/create" element={<RoleRoute><CampaignCreate /></RoleRoute>} />
                  <Route path="/campaigns/:id" element={<RoleRoute><CampaignEdit /></RoleRoute>} />
                  <Route path="/calls" element={<RoleRoute><CallList /></RoleRoute>} />
                  <Route path="/calls/:id" element={<RoleRoute><CallShow /></RoleRoute>} />
                  <Route path="/audit" element={<RoleRoute><AuditLogList /></RoleRoute>} />
                  <Route path="/dispositions" element={<RoleRoute><DispositionList /></RoleRoute>} />
                  <Route path="/dnc" element={<RoleRoute><DncList /></RoleRoute>} />
                  <Route path="/reports" element={<RoleRoute><ReportsPage /></RoleRoute>} />
                  <Route path="/exports" element={<RoleRoute><ExportsPage /></RoleRoute>} />
                  <Route path="/imports" element={<RoleRoute><ImportsPage /></RoleRoute>} />
                  <Route path="*" element={<ErrorComponent />} />
                </Route>
                <Route
                  element={
                    <Authenticated key="signed-out" fallback={<Outlet />}>
                      <HomeRedirect />
                    </Authenticated>
                  }
                >
                  <Route path="/login" element={<LoginPage />} />
                </Route>
              </Routes>
            </Suspense>
            <UnsavedChangesNotifier />
            <DocumentTitleHandler handler={({ resource }) => `${resource?.meta?.label ?? 'Sign in'} · Collections`} />
          </Refine>
        </ConfigProvider>
      </BrowserRouter>
    </ConsoleServicesContext.Provider>
  );
}
