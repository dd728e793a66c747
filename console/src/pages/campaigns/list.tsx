import { List, useTable } from '@refinedev/antd';
import { Link } from 'react-router';
import { Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { CrudFilter } from '@refinedev/core';
import { CAMPAIGN_STATES, DIAL_MODES, options, percent, type Campaign } from './campaign-format';
import { formatDateTime } from '@/pages/accounts/account-format';
import { countLabel } from '@/components/count-label';

const STATE_OPTIONS = options(Object.fromEntries(Object.entries(CAMPAIGN_STATES).map(([k, s]) => [k, s.label])));
const valueOf = (filters: CrudFilter[], field: string) => (filters.find((f) => 'field' in f && f.field === field)?.value as string | undefined) ?? undefined;

export default function CampaignList() {
  const { tableProps, filters, setFilters } = useTable<Campaign>({
    resource: 'campaigns',
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 20 },
    meta: { populate: { client: { fields: ['name'] } } },
    syncWithLocation: true,
  });
  const setFilter = (field: string, operator: 'eq' | 'containss' | 'contains', value: string | undefined) =>
    setFilters([{ field, operator, value: value || undefined }], 'merge');

  return (
    <List title="Campaigns">
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search aria-label="Search campaigns" placeholder="Campaign name" allowClear defaultValue={valueOf(filters, 'name')} style={{ width: 320 }} onSearch={(q) => setFilter('name', 'contains', q.trim())} />
        <Select aria-label="State" placeholder="Any state" allowClear style={{ width: 180 }} options={STATE_OPTIONS} value={valueOf(filters, 'state')} onChange={(v) => setFilter('state', 'eq', v)} />
      </Space>
      <Table {...tableProps} rowKey="id" size="middle" pagination={{ ...tableProps.pagination, showTotal: countLabel('campaign') }}>
        <Table.Column<Campaign>
          dataIndex="name"
          title="Campaign"
          sorter
          render={(name, c) => (
            <Link to={`/campaigns/${c.id}`} aria-label={`Open campaign ${name}`}>
              <Typography.Text strong>{name}</Typography.Text>
            </Link>
          )}
        />
        <Table.Column<Campaign> title="Client" render={(_, c) => c.client?.name ?? '—'} />
        <Table.Column<Campaign> dataIndex="state" title="State" sorter render={(s: string) => <Tag color={CAMPAIGN_STATES[s]?.color}>{CAMPAIGN_STATES[s]?.label ?? s}</Tag>} />
        <Table.Column<Campaign> dataIndex="dialMode" title="Mode" sorter render={(m: string) => DIAL_MODES[m] ?? m} />
        <Table.Column<Campaign> dataIndex="abandonTarget" title="Abandon target" align="right" render={percent} />
        <Table.Column<Campaign> dataIndex="ringTimeoutSec" title="Ring" align="right" render={(s) => (s ? `${s} s` : '—')} />
        <Table.Column<Campaign> title="Calling window" render={(_, c) => `${c.callWindowStart ?? '08:00'}–${c.callWindowEnd ?? '21:00'}`} />
        <Table.Column<Campaign> dataIndex="updatedAt" title="Changed" sorter render={formatDateTime} />
      </Table>
    </List>
  );
}
