import { List, useTable } from '@refinedev/antd';
import { usePermissions } from '@refinedev/core';
import { Link } from 'react-router';
import { Input, Table, Tag, Typography } from 'antd';
import { accountSearchFilters, searchTextOf } from './account-search';
import { ACCOUNT_STATUSES, debtorName, formatDate, formatDateTime, formatPhone, money, primaryPhone, type Account } from './account-format';

const LIST_FIELDS = ['accountNumber', 'debtorFirstName', 'debtorLastName', 'balance', 'currency', 'daysPastDue', 'status', 'nextActionDate', 'lastContactAt'];

export default function AccountList() {
  const { data: role } = usePermissions<string>({});
  const isAgent = role === 'agent';
  // Only supervisors read users: cms leaves the assigned agent out for everyone else.
  const showsAgent = role === 'supervisor';
  const { tableProps, filters, setFilters } = useTable<Account>({
    resource: 'accounts',
    sorters: { initial: [{ field: 'accountNumber', order: 'asc' }] },
    pagination: { pageSize: 20 },
    meta: { fields: LIST_FIELDS, populate: { phones: { fields: ['number', 'isPrimary'] }, ...(showsAgent ? { assignedAgent: { fields: ['username'] } } : {}) } },
    syncWithLocation: true,
    queryOptions: { enabled: role !== undefined },
  });
  return (
    <List title={isAgent ? 'My accounts' : 'Accounts'}>
      <Input.Search
        aria-label="Search accounts"
        placeholder="Debtor name, account number or phone"
        allowClear
        enterButton="Search"
        defaultValue={searchTextOf(filters)}
        style={{ maxWidth: 480, marginBottom: 16 }}
        onSearch={(q) => setFilters(accountSearchFilters(q), 'replace')}
      />
      <Table {...tableProps} rowKey="id" size="middle" pagination={{ ...tableProps.pagination, showSizeChanger: true, showTotal: (total) => `${total} accounts` }}>
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
        <Table.Column<Account> dataIndex="status" title="Status" render={(s: string) => <Tag color={ACCOUNT_STATUSES[s]?.color}>{ACCOUNT_STATUSES[s]?.label ?? s}</Tag>} />
        <Table.Column<Account> dataIndex="nextActionDate" title="Next action" sorter render={formatDate} />
        <Table.Column<Account> dataIndex="lastContactAt" title="Last contact" sorter render={formatDateTime} />
        {showsAgent && <Table.Column<Account> title="Agent" render={(_, a) => a.assignedAgent?.username ?? <Typography.Text type="secondary">unassigned</Typography.Text>} />}
      </Table>
    </List>
  );
}
