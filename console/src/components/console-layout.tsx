import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useGetIdentity, useLogout, useMenu, usePermissions } from '@refinedev/core';
import { Layout, Menu, Typography } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { roleMay } from '@/providers/access-control-provider';

/**
 * The frame around every signed-in page: the menu of what the role may open, and who is
 * signed in. Our own rather than @refinedev/antd's ThemedLayout, which brings most of
 * Ant Design with it (forms, modals, breadcrumbs, progress) into the code every page
 * loads first: an agent's workspace needs none of it.
 */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { menuItems, selectedKey } = useMenu();
  const { mutate: logout } = useLogout();
  const { data: identity } = useGetIdentity<{ name: string }>();
  const { data: role } = usePermissions<string>({});
  const items = menuItems
    .filter((item) => roleMay(role, item.name))
    .map((item) => ({ key: item.key, icon: item.meta?.icon, label: <Link to={item.route ?? '/'}>{item.label ?? item.name}</Link> }));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider theme="light" breakpoint="lg" collapsedWidth={64} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
        <Typography.Title level={5} style={{ margin: '20px 24px' }}>
          Collections
        </Typography.Title>
        <Menu mode="inline" style={{ borderInlineEnd: 'none' }} selectedKeys={[selectedKey]} items={[...items, { key: 'logout', icon: <LogoutOutlined />, label: 'Logout', onClick: () => logout() }]} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', padding: '0 24px' }}>
          <Typography.Text strong>{identity?.name}</Typography.Text>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
