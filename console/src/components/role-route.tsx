import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { CanAccess, usePermissions } from '@refinedev/core';
import { Spin } from 'antd';
import { homeRouteOf } from '@/providers/access-control-provider';

/** Where a role lands: its own first page. */
export function HomeRedirect() {
  const { data: role, isLoading } = usePermissions<string>({});
  if (isLoading) return <Spin aria-label="Loading" />;
  return <Navigate to={homeRouteOf(role)} replace />;
}

/** The route's resource, or the role's home page when the role may not open it. */
export function RoleRoute({ children }: { children: ReactNode }) {
  return <CanAccess fallback={<HomeRedirect />}>{children}</CanAccess>;
}
