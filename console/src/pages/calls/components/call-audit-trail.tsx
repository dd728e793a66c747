import { useList } from '@refinedev/core';
import { Card, Empty, Tag, Timeline, Typography } from 'antd';
import { formatDateTime } from '@/pages/accounts/account-format';
import { AuditChanges } from '@/pages/audit-logs/components/audit-changes';
import { ACTIONS, actorOf, type AuditEntry } from '@/pages/audit-logs/audit-format';

/** Every write to this call, oldest first, from the audit chain. */
export function CallAuditTrail({ callId }: { callId: string }) {
  const { result, query } = useList<AuditEntry>({
    resource: 'audit-logs',
    filters: [
      { field: 'entity', operator: 'eq', value: 'api::call.call' },
      { field: 'entityDocumentId', operator: 'eq', value: callId },
    ],
    sorters: [{ field: 'seq', order: 'asc' }],
    pagination: { pageSize: 100 },
  });
  const entries = result?.data ?? [];
  return (
    <Card title="Audit trail" loading={query.isLoading} data-testid="call-audit-trail">
      {entries.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No write to this call is in the audit log you may read" />
      ) : (
        <Timeline
          items={entries.map((e) => ({
            color: ACTIONS[e.action]?.color,
            children: (
              <>
                <div>
                  <Tag color={ACTIONS[e.action]?.color}>{ACTIONS[e.action]?.label ?? e.action}</Tag>
                  <Typography.Text strong>{formatDateTime(e.at)}</Typography.Text> <Typography.Text type="secondary">by {actorOf(e)} · #{e.seq}</Typography.Text>
                </div>
                <AuditChanges changes={e.changes} />
              </>
            ),
          }))}
        />
      )}
    </Card>
  );
}
