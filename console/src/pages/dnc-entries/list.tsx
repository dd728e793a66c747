import { DeleteButton, List, useTable } from '@refinedev/antd';
import { useCan } from '@refinedev/core';
import { Input, Select, Space, Table, Tag, Typography } from 'antd';
import { listFilters } from '@/components/list-filters';
import { formatDateTime, formatPhone } from '@/pages/accounts/account-format';
import { DNC_REASONS, DNC_SOURCES, type DncEntry } from './dnc-format';
import { DncCreateButton } from './components/dnc-create-modal';
import { countLabel } from '@/components/count-label';

const DNC_FILTERS = listFilters({
  phone: { field: 'phone', operator: 'contains' },
  scope: { field: 'scope', operator: 'eq' },
});
const SCOPE_OPTIONS = [{ value: 'global', label: 'Global' }, { value: 'client', label: 'Client' }];

export default function DncList() {
  const { data: canCreate } = useCan({ resource: 'dnc-entries', action: 'create' });
  const { tableProps, filters, setFilters } = useTable<DncEntry>({
    resource: 'dnc-entries',
    sorters: { initial: [{ field: 'addedAt', order: 'desc' }] },
    pagination: { pageSize: 25 },
    meta: { populate: { client: { fields: ['name'] } } },
    syncWithLocation: true,
  });
  return (
    <List title="Do not call" headerButtons={canCreate?.can ? <DncCreateButton /> : null}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label="Search numbers"
          placeholder="Phone number"
          allowClear
          defaultValue={DNC_FILTERS.valueOf(filters, 'phone')}
          style={{ width: 260 }}
          // Stored in E.164: search by the digits whatever the punctuation typed.
          onSearch={(q) => setFilters([DNC_FILTERS.filter('phone', q.replace(/[^\d+]/g, ''))], 'merge')}
        />
        <Select aria-label="Scope" placeholder="Any scope" allowClear style={{ width: 160 }} options={SCOPE_OPTIONS} value={DNC_FILTERS.valueOf(filters, 'scope')} onChange={(v) => setFilters([DNC_FILTERS.filter('scope', v)], 'merge')} />
      </Space>
      <Table {...tableProps} rowKey="id" size="middle" pagination={{ ...tableProps.pagination, showTotal: countLabel('number') }}>
        <Table.Column<DncEntry> dataIndex="phone" title="Phone" sorter render={(p) => <Typography.Text strong>{formatPhone(p)}</Typography.Text>} />
        <Table.Column<DncEntry> dataIndex="scope" title="Applies to" render={(_, e) => (e.scope === 'global' ? <Tag color="red">Every client</Tag> : <Tag>{e.client?.name ?? 'client'}</Tag>)} />
        <Table.Column<DncEntry> dataIndex="reason" title="Reason" render={(r) => DNC_REASONS[r] ?? r} />
        <Table.Column<DncEntry> dataIndex="source" title="Source" render={(s) => DNC_SOURCES[s] ?? s} />
        <Table.Column<DncEntry> dataIndex="addedAt" title="Added" sorter render={formatDateTime} />
        <Table.Column<DncEntry> dataIndex="expiresAt" title="Expires" render={(v) => (v ? formatDateTime(v) : 'never')} />
        <Table.Column<DncEntry> dataIndex="notes" title="Notes" ellipsis />
        {canCreate?.can && (
          <Table.Column<DncEntry>
            title=""
            width={60}
            // The global list is the administrators': cms refuses a supervisor's delete there, so none is offered.
            render={(_, e) => e.scope === 'client' && <DeleteButton hideText size="small" recordItemId={e.id} resource="dnc-entries" aria-label={`Remove ${e.phone}`} confirmTitle="Remove this number from the list? It may be dialed again." />}
          />
        )}
      </Table>
    </List>
  );
}
