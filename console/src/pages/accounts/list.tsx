import { useMemo, useState } from 'react';
import type { TableColumnsType } from 'antd';
import { List, useTable } from '@refinedev/antd';
import { useCan, usePermissions } from '@refinedev/core';
import { Link } from 'react-router';
import { Input, Table, Tag } from 'antd';
import { strapiFilters } from '@/providers/strapi-query';
import { accountSearchFilters, searchTextOf } from './account-search';
import { ACCOUNT_STATUSES, debtorName, formatDate, formatDateTime, formatPhone, money, primaryPhone, type Account } from './account-format';
import { accountBarValues, DELINQUENCY_BUCKETS, withBarFilters } from './account-filters';
import { AccountFilterBar } from './components/account-filter-bar';
import { BulkReassignBar } from './components/bulk-reassign-bar';
import { useAssignableAgents, useReassignAccounts } from './use-account-reassign';

const LIST_FIELDS = ['accountNumber', 'debtorFirstName', 'debtorLastName', 'balance', 'currency', 'daysPastDue', 'delinquencyBucket', 'status', 'timezone', 'nextActionDate', 'lastContactAt'];

const showTotal = (n: number) => `${n.toLocaleString('en-US')} accounts`;
const secondary = { color: 'rgba(0, 0, 0, 0.45)' };

/**
 * The columns, built once per role rather than on every render of the page: a page change
 * re-renders twenty rows, and each cell here is plain markup but for the status tag.
 */
function accountColumns({ isAgent, showsAgent }: { isAgent: boolean; showsAgent: boolean }): TableColumnsType<Account> {
  const columns: Array<TableColumnsType<Account>[number] | false> = [
    {
      key: 'accountNumber',
      dataIndex: 'accountNumber',
      title: 'Account',
      sorter: true,
      render: (value: string, a) => (
        <Link to={`/accounts/${a.id}`} aria-label={`Open account ${value}`}>
          <strong>{value}</strong>
        </Link>
      ),
    },
    { key: 'debtorLastName', dataIndex: 'debtorLastName', title: 'Debtor', sorter: true, render: (_: unknown, a) => debtorName(a) },
    { key: 'phone', title: 'Phone', render: (_: unknown, a) => { const p = primaryPhone(a); return p ? formatPhone(p.number) : '—'; } },
    { key: 'balance', dataIndex: 'balance', title: 'Balance', sorter: true, align: 'right', render: (v: number, a) => money(v, a.currency) },
    { key: 'daysPastDue', dataIndex: 'daysPastDue', title: 'DPD', sorter: true, align: 'right' },
    !isAgent && { key: 'delinquencyBucket', dataIndex: 'delinquencyBucket', title: 'Bucket', render: (b: string | null) => (b ? DELINQUENCY_BUCKETS[b] ?? b : '—') },
    { key: 'status', dataIndex: 'status', title: 'Status', render: (st: string) => <Tag color={ACCOUNT_STATUSES[st]?.color}>{ACCOUNT_STATUSES[st]?.label ?? st}</Tag> },
    !isAgent && { key: 'timezone', dataIndex: 'timezone', title: 'Time zone', sorter: true },
    { key: 'nextActionDate', dataIndex: 'nextActionDate', title: 'Next action', sorter: true, render: formatDate },
    { key: 'lastContactAt', dataIndex: 'lastContactAt', title: 'Last contact', sorter: true, render: formatDateTime },
    showsAgent && { key: 'agent', title: 'Agent', render: (_: unknown, a) => a.assignedAgent?.username ?? <span style={secondary}>unassigned</span> },
  ];
  return columns.filter((c): c is TableColumnsType<Account>[number] => !!c);
}

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
  const columns = useMemo(() => accountColumns({ isAgent, showsAgent }), [isAgent, showsAgent]);
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
        pagination={{ ...tableProps.pagination, showSizeChanger: true, showTotal }}
        columns={columns}
      />
    </List>
  );
}
