import { List, useTable } from '@refinedev/antd';
import { usePermissions } from '@refinedev/core';
import { DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import roles from '@config/roles.json';
import { listFilters } from '@/components/list-filters';
import { formatDateTime } from '@/pages/accounts/account-format';
import { ACTIONS, ENTITY_LABELS, actorOf, type AuditEntry } from './audit-format';
import { AuditChanges } from './components/audit-changes';
import { ChainVerification } from './components/chain-verification';
import { countLabel } from '@/components/count-label';

const AUDIT_FILTERS = listFilters({
  entity: { field: 'entity', operator: 'eq' },
  record: { field: 'entityDocumentId', operator: 'eq' },
  actor: { field: 'actorName', operator: 'contains' },
  from: { field: 'at', operator: 'gte' },
  to: { field: 'at', operator: 'lte' },
});
type AuditFilterName = Parameters<typeof AUDIT_FILTERS.filter>[0];
const ENTITY_OPTIONS = Object.entries(ENTITY_LABELS).map(([value, label]) => ({ value, label }));

/** Whether a role's cms grants include verifying the chain (config/roles.json, which cms applies). */
const mayVerify = (role: string | undefined) =>
  !!role && ((roles.roles as Record<string, { grants: Record<string, string[]> }>)[role]?.grants['api::audit-log.audit-log'] ?? []).includes('verify');

export default function AuditLogList() {
  const { data: role } = usePermissions<string>({});
  const { tableProps, filters, setFilters } = useTable<AuditEntry>({
    resource: 'audit-logs',
    sorters: { initial: [{ field: 'seq', order: 'desc' }] },
    pagination: { pageSize: 25 },
    syncWithLocation: true,
  });
  const value = (name: AuditFilterName) => AUDIT_FILTERS.valueOf(filters, name);
  const set = (name: AuditFilterName) => (v: string | undefined) => setFilters([AUDIT_FILTERS.filter(name, v?.trim())], 'merge');
  const from = value('from'), to = value('to');

  return (
    <List title="Audit log">
      {mayVerify(role) && <ChainVerification />}
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label="Entity" placeholder="Any entity" allowClear style={{ width: 180 }} options={ENTITY_OPTIONS} value={value('entity')} onChange={set('entity')} />
        <Input.Search aria-label="Record id" placeholder="Record id (documentId)" allowClear defaultValue={value('record')} style={{ width: 260 }} onSearch={set('record')} />
        <Input.Search aria-label="Actor" placeholder="Actor name" allowClear defaultValue={value('actor')} style={{ width: 220 }} onSearch={set('actor')} />
        <DatePicker.RangePicker
          aria-label="Date range"
          allowEmpty={[true, true]}
          value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
          onChange={(range) => setFilters([AUDIT_FILTERS.filter('from', range?.[0]?.startOf('day').toISOString()), AUDIT_FILTERS.filter('to', range?.[1]?.endOf('day').toISOString())], 'merge')}
        />
      </Space>
      <Table {...tableProps} rowKey="id" size="middle" pagination={{ ...tableProps.pagination, showSizeChanger: true, showTotal: countLabel('entry', 'entries') }}>
        <Table.Column<AuditEntry> dataIndex="seq" title="#" sorter width={80} />
        <Table.Column<AuditEntry> dataIndex="at" title="When" sorter width={190} render={formatDateTime} />
        <Table.Column<AuditEntry> title="Actor" width={220} render={(_, e) => actorOf(e)} />
        <Table.Column<AuditEntry> dataIndex="action" title="Action" width={110} render={(a: string) => <Tag color={ACTIONS[a]?.color}>{ACTIONS[a]?.label ?? a}</Tag>} />
        <Table.Column<AuditEntry>
          title="Record"
          width={240}
          render={(_, e) => (
            <Space direction="vertical" size={0}>
              <span>{ENTITY_LABELS[e.entity] ?? e.entity}</span>
              {e.entityDocumentId && <Typography.Text type="secondary" copyable={{ text: e.entityDocumentId }} style={{ fontSize: 12 }}>{e.entityDocumentId}</Typography.Text>}
            </Space>
          )}
        />
        <Table.Column<AuditEntry> title="Changes" render={(_, e) => <AuditChanges changes={e.changes} />} />
      </Table>
    </List>
  );
}
