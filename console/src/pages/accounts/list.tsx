import { useState } from 'react';
import { List, useTable } from '@refinedev/antd';
import { useCan, usePermissions } from '@refinedev/core';
import { Link } from 'react-router';
import { Input, Table, Tag, Typography } from 'antd';
import { strapiFilters } from '@/providers/strapi-query';
import { accountSearchFilters, searchTextOf } from './account-search';
import { ACCOUNT_STATUSES, debtorName, formatDate, formatDateTime, formatPhone, money, primaryPhone, type Account } from './account-format';
import { accountBarValues, DELINQUENCY_BUCKETS, withBarFilters } from './account-filters';
import { AccountFilterBar } from './components/account-filter-bar';
import { BulkReassignBar } from './components/bulk-reassign-bar';
import { useAssignableAgents, useReassignAccounts } from './use-account-reassign';

const LIST_FIELDS = ['accountNumber', 'debtorFirstName', 'debtorLastName', 'balance', 'currency', 'daysPastDue', 'delinquencyBucket', 'status', 'timezone', 'nextActionDate', 'lastContactAt'];

export default function AccountList() {
  const { data: role } = usePermissions<string>({});
  const isAgent = role === 'agent';
  // Only supervisors read users: cms leaves the assigned agent out for everyone else.
  const showsAgent = role === 'supervisor';
  const { data: reassignable } = useCan({ resource: 'accounts', action: 'reassign' });
  const canReassign = reassignable?.can === true;
  const { agents } = useAssignableAgents(showsAgent);
  const { reassign, pending } = useReassignAccounts();
  const [selected, setSelected] = useState<string[]>([]);
  const { tableProps, filters, setFilters } = useTable<Account>({
    resource: 'accounts',
    sorters: { initial: [{ field: 'accountNumber', order: 'asc' }] },
    pagination: { pageSize: 20 },
    meta: { fields: LIST_FIELDS, populate: { phones: { fields: ['number', 'isPrimary'] }, ...(showsAgent ? { assignedAgent: { fields: ['username'] } } : {}) } },
    syncWithLocation: true,
    queryOptions: { enabled: role !== undefined },
  });
  const total = tableProps.pagination ? (tableProps.pagination.total ?? 0) : 0;
  const matching = filters.length ? { total, filters: strapiFilters(filters) } : null;
  const refilter = (next: typeof filters) => {
    setSelected([]);
    setFilters(next, 'replace');
  };
  return (
    <List title={isAgent ? 'My accounts' : 'Accounts'}>
      <Input.Search
        aria-label="Search accounts"
        placeholder="Debtor name, account number or phone"
        allowClear
        enterButton="Search"
        defaultValue={searchTextOf(filters)}
        style={{ maxWidth: 480, marginBottom: 16 }}
        onSearch={(q) => refilter(withBarFilters(accountSearchFilters(q), accountBarValues(filters)))}
      />
      {!isAgent && role && <AccountFilterBar values={accountBarValues(filters)} agents={showsAgent ? agents : undefined} onChange={(values) => refilter(withBarFilters(filters, values))} />}
      {canReassign && (
        <BulkReassignBar
          selectedIds={selected}
          matching={matching}
          agents={agents}
          pending={pending}
          onReassign={async (selection, agent) => {
            const done = (await reassign(selection, agent)) !== null;
            if (done) setSelected([]);
            return done;
          }}
        />
      )}
      <Table
        {...tableProps}
        rowKey="id"
        size="middle"
        // antd scrolls to the first row with a 450 ms animation that re-lays out the page every frame; a page change jumps instead.
        scroll={{ scrollToFirstRowOnChange: false }}
        onChange={(pagination, tableFilters, sorter, extra) => {
          tableProps.onChange?.(pagination, tableFilters, sorter, extra);
          if (extra.action === 'paginate') window.scrollTo({ top: 0 });
        }}
        rowSelection={canReassign ? { selectedRowKeys: selected, preserveSelectedRowKeys: true, onChange: (keys) => setSelected(keys.map(String)) } : undefined}
        pagination={{ ...tableProps.pagination, showSizeChanger: true, showTotal: (n) => `${n.toLocaleString('en-US')} accounts` }}
      >
        <Table.Column<Account>
          dataIndex="accountNumber"
          title="Account"
          sorter
          render={(value, a) => (
            <Link to={`/accounts/${a.id}`} aria-label={`Open account ${value}`}>
              <Typography.Text strong>{value}</Typography.Text>
            </Link>
          )}
        />
        <Table.Column<Account> dataIndex="debtorLastName" title="Debtor" sorter render={(_, a) => debtorName(a)} />
        <Table.Column<Account> title="Phone" render={(_, a) => { const p = primaryPhone(a); return p ? formatPhone(p.number) : '—'; }} />
        <Table.Column<Account> dataIndex="balance" title="Balance" sorter align="right" render={(v, a) => money(v, a.currency)} />
        <Table.Column<Account> dataIndex="daysPastDue" title="DPD" sorter align="right" />
        {!isAgent && <Table.Column<Account> dataIndex="delinquencyBucket" title="Bucket" render={(b: string | null) => (b ? DELINQUENCY_BUCKETS[b] ?? b : '—')} />}
        <Table.Column<Account> dataIndex="status" title="Status" render={(s: string) => <Tag color={ACCOUNT_STATUSES[s]?.color}>{ACCOUNT_STATUSES[s]?.label ?? s}</Tag>} />
        {!isAgent && <Table.Column<Account> dataIndex="timezone" title="Time zone" sorter />}
        <Table.Column<Account> dataIndex="nextActionDate" title="Next action" sorter render={formatDate} />
        <Table.Column<Account> dataIndex="lastContactAt" title="Last contact" sorter render={formatDateTime} />
        {showsAgent && <Table.Column<Account> title="Agent" render={(_, a) => a.assignedAgent?.username ?? <Typography.Text type="secondary">unassigned</Typography.Text>} />}
      </Table>
    </List>
  );
}
