import { lazy, Suspense } from 'react';
import { BrowserRouter, Outlet, Route, Routes } from 'react-router';
import { Authenticated, ErrorComponent, Refine } from '@refinedev/core';
import { ThemedLayout, ThemedTitle, useNotificationProvider } from '@refinedev/antd';
import routerProvider, { CatchAllNavigate, DocumentTitleHandler, UnsavedChangesNotifier } from '@refinedev/react-router';
import { App as AntdApp, ConfigProvider, Spin } from 'antd';
import { ClockCircleOutlined, DashboardOutlined, PhoneOutlined, TeamOutlined } from '@ant-design/icons';
import '@refinedev/antd/dist/reset.css';
import { HomeRedirect, RoleRoute } from '@/components/role-route';
import { ConsoleServicesContext, type ConsoleServices } from '@/providers/console-services';
import { CallbackReminder } from '@/pages/callbacks/callback-reminder';

const LoginPage = lazy(() => import('@/pages/login/login-page'));
const AgentWorkspacePage = lazy(() => import('@/pages/workspace/agent-workspace-page'));
const AccountList = lazy(() => import('@/pages/accounts/list'));
const AccountShowPage = lazy(() => import('@/pages/accounts/show'));
const CallbackList = lazy(() => import('@/pages/callbacks/list'));
const WallboardPage = lazy(() => import('@/pages/wallboard/wallboard-page'));

const resources = [
  { name: 'workspace', list: '/workspace', meta: { label: 'Workspace', icon: <PhoneOutlined /> } },
  { name: 'accounts', list: '/accounts', show: '/accounts/:id', edit: '/accounts/:id', meta: { label: 'Accounts', icon: <TeamOutlined /> } },
  { name: 'callbacks', list: '/callbacks', meta: { label: 'Callbacks', icon: <ClockCircleOutlined /> } },
  { name: 'wallboard', list: '/wallboard', meta: { label: 'Wallboard', icon: <DashboardOutlined /> } },
];

const Title = ({ collapsed }: { collapsed: boolean }) => <ThemedTitle collapsed={collapsed} text="Collections" />;

export function App({ services }: { services: ConsoleServices }) {
  return (
    <ConsoleServicesContext.Provider value={services}>
      <BrowserRouter>
        <ConfigProvider theme={{ token: { colorPrimary: '#1f5fbf' } }}>
          <AntdApp>
            <Refine
              dataProvider={services.dataProvider}
              authProvider={services.authProvider}
              accessControlProvider={services.accessControlProvider}
              liveProvider={services.liveProvider}
              routerProvider={routerProvider}
              notificationProvider={useNotificationProvider}
              resources={resources}
              options={{ syncWithLocation: true, warnWhenUnsavedChanges: true, disableTelemetry: true, liveMode: 'auto' }}
            >
              <Suspense fallback={<Spin aria-label="Loading" />}>
                <Routes>
                  <Route
                    element={
                      <Authenticated key="signed-in" fallback={<CatchAllNavigate to="/login" />}>
                        <ThemedLayout Title={Title}>
                          <CallbackReminder />
                          <Outlet />
                        </ThemedLayout>
                      </Authenticated>
                    }
                  >
                    <Route index element={<HomeRedirect />} />
                    <Route path="/workspace" element={<RoleRoute><AgentWorkspacePage /></RoleRoute>} />
                    <Route path="/accounts" element={<RoleRoute><AccountList /></RoleRoute>} />
                    <Route path="/accounts/:id" element={<RoleRoute><AccountShowPage /></RoleRoute>} />
                    <Route path="/callbacks" element={<RoleRoute><CallbackList /></RoleRoute>} />
                    <Route path="/wallboard" element={<RoleRoute><WallboardPage /></RoleRoute>} />
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
          </AntdApp>
        </ConfigProvider>
      </BrowserRouter>
    </ConsoleServicesContext.Provider>
  );
}
