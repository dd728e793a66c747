import { lazy, Suspense } from 'react';
import { BrowserRouter, Outlet, Route, Routes } from 'react-router';
import { Authenticated, ErrorComponent, Refine } from '@refinedev/core';
import routerProvider, { CatchAllNavigate, DocumentTitleHandler, UnsavedChangesNotifier } from '@refinedev/react-router';
import { ConfigProvider, Spin } from 'antd';
import { DashboardOutlined, PhoneOutlined, TeamOutlined } from '@ant-design/icons';
import '@refinedev/antd/dist/reset.css';
import { ConsoleLayout } from '@/components/console-layout';
import { HomeRedirect, RoleRoute } from '@/components/role-route';
import { ConsoleServicesContext, type ConsoleServices } from '@/providers/console-services';
import { consoleNotifications } from '@/providers/notification-provider';

const LoginPage = lazy(() => import('@/pages/login/login-page'));
const AgentWorkspacePage = lazy(() => import('@/pages/workspace/agent-workspace-page'));
const AccountList = lazy(() => import('@/pages/accounts/list'));
const WallboardPage = lazy(() => import('@/pages/wallboard/wallboard-page'));

const resources = [
  { name: 'workspace', list: '/workspace', meta: { label: 'Workspace', icon: <PhoneOutlined /> } },
  { name: 'accounts', list: '/accounts', meta: { label: 'Accounts', icon: <TeamOutlined /> } },
  { name: 'wallboard', list: '/wallboard', meta: { label: 'Wallboard', icon: <DashboardOutlined /> } },
];

export function App({ services }: { services: ConsoleServices }) {
  return (
    <ConsoleServicesContext.Provider value={services}>
      <BrowserRouter>
        <ConfigProvider theme={{ token: { colorPrimary: '#1f5fbf' } }}>
          <Refine
            dataProvider={services.dataProvider}
            authProvider={services.authProvider}
            accessControlProvider={services.accessControlProvider}
            routerProvider={routerProvider}
            notificationProvider={consoleNotifications}
            resources={resources}
            options={{ syncWithLocation: true, warnWhenUnsavedChanges: true, disableTelemetry: true }}
          >
            <Suspense fallback={<Spin aria-label="Loading" />}>
              <Routes>
                <Route
                  element={
                    <Authenticated key="signed-in" fallback={<CatchAllNavigate to="/login" />}>
                      <ConsoleLayout>
                        <Outlet />
                      </ConsoleLayout>
                    </Authenticated>
                  }
                >
                  <Route index element={<HomeRedirect />} />
                  <Route path="/workspace" element={<RoleRoute><AgentWorkspacePage /></RoleRoute>} />
                  <Route path="/accounts" element={<RoleRoute><AccountList /></RoleRoute>} />
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
        </ConfigProvider>
      </BrowserRouter>
    </ConsoleServicesContext.Provider>
  );
}
