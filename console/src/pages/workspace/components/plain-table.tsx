import type { ReactNode } from 'react';
import { Skeleton, Typography } from 'antd';

export type PlainColumn<T> = { title: string; width?: number; render: (row: T) => ReactNode };

const cell = { padding: '8px', borderBottom: '1px solid #f0f0f0', textAlign: 'start' as const, verticalAlign: 'top' as const };

/**
 * A small read-only table for the workspace: antd's Table (with its pagination, selection and
 * sorting code) would add about 100 KB to the route every agent loads, for a few rows shown.
 */
export function PlainTable<T>({ label, rows, rowKey, columns, loading, empty }: { label: string; rows: T[]; rowKey: (row: T) => string; columns: PlainColumn<T>[]; loading?: boolean; empty: string }) {
  // Still, not shimmering: twenty agents' screens on one machine paid for every frame of that animation while reads were slow.
  if (loading && !rows.length) return <Skeleton title={false} paragraph={{ rows: 2 }} />;
  return (
    <table aria-label={label} style={{ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed' }}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.title} scope="col" style={{ ...cell, width: c.width, background: '#fafafa', fontWeight: 600 }}>
              {c.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length ? (
          rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.title} style={{ ...cell, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))
        ) : (
          <tr>
            <td colSpan={columns.length} style={{ ...cell, textAlign: 'center' }}>
              <Typography.Text type="secondary">{empty}</Typography.Text>
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
