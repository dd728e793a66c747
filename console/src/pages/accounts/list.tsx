import { List, useTable } from '@refinedev/antd';
import { Input, Table } from 'antd';

type Account = { id: string; accountNumber: string; debtorFirstName?: string; debtorLastName: string; balance: number; currency?: string; status?: string };

export default function AccountList() {
  const { tableProps, setFilters } = useTable<Account>({
    resource: 'accounts',
    sorters: { initial: [{ field: 'accountNumber', order: 'asc' }] },
    meta: { fields: ['accountNumber', 'debtorFirstName', 'debtorLastName', 'balance', 'currency', 'status'] },
    syncWithLocation: true,
  });
  return (
    <List title="My accounts">
      <Input.Search
        aria-label="Search accounts"
        placeholder="Name or account number"
        allowClear
        style={{ maxWidth: 360, marginBottom: 16 }}
        onSearch={(q) =>
          setFilters(q ? [{ operator: 'or', value: [{ field: 'accountNumber', operator: 'contains', value: q }, { field: 'debtorLastName', operator: 'contains', value: q }] }] : [], 'replace')
        }
      />
      <Table {...tableProps} rowKey="id">
        <Table.Column dataIndex="accountNumber" title="Account" sorter />
        <Table.Column<Account> title="Debtor" render={(_, a) => [a.debtorFirstName, a.debtorLastName].filter(Boolean).join(' ')} />
        <Table.Column<Account> dataIndex="balance" title="Balance" sorter render={(v, a) => `${Number(v).toFixed(2)} ${a.currency ?? ''}`} />
        <Table.Column dataIndex="status" title="Status" />
      </Table>
    </List>
  );
}
