import { List, useTable } from '@refinedev/antd';
import { Space, Table, Tag, Typography } from 'antd';
import { countLabel } from '@/components/count-label';

type Disposition = { id: string; code: string; label: string; sortOrder?: number; active?: boolean } & Partial<Record<Flag, boolean>>;
type Flag = 'contact' | 'rightPartyContact' | 'promiseToPay' | 'callback' | 'doNotCall' | 'final';

const FLAGS: Array<[Flag, string, string]> = [
  ['contact', 'Contact', 'blue'],
  ['rightPartyContact', 'Right party', 'geekblue'],
  ['promiseToPay', 'Promise to pay', 'gold'],
  ['callback', 'Callback', 'cyan'],
  ['doNotCall', 'Do not call', 'red'],
  ['final', 'Stops dialing', 'volcano'],
];

/** The outcomes agents record, as cms holds them. Reference data: admins change it in the cms panel. */
export default function DispositionList() {
  const { tableProps } = useTable<Disposition>({
    resource: 'dispositions',
    sorters: { initial: [{ field: 'sortOrder', order: 'asc' }] },
    pagination: { pageSize: 50 },
    syncWithLocation: true,
  });
  return (
    <List title="Dispositions" headerButtons={<Typography.Text type="secondary">Managed by administrators in the cms panel</Typography.Text>}>
      <Table {...tableProps} rowKey="id" size="middle" pagination={{ ...tableProps.pagination, showTotal: countLabel('disposition') }}>
        <Table.Column<Disposition> dataIndex="code" title="Code" sorter render={(c) => <Typography.Text code>{c}</Typography.Text>} />
        <Table.Column<Disposition> dataIndex="label" title="Label" sorter render={(l) => <Typography.Text strong>{l}</Typography.Text>} />
        <Table.Column<Disposition>
          title="What it means"
          render={(_, d) => (
            <Space size={[4, 4]} wrap>
              {FLAGS.filter(([flag]) => d[flag]).map(([flag, label, color]) => <Tag key={flag} color={color}>{label}</Tag>)}
            </Space>
          )}
        />
        <Table.Column<Disposition> dataIndex="active" title="In use" render={(a) => (a === false ? <Tag>retired</Tag> : <Tag color="green">active</Tag>)} />
        <Table.Column<Disposition> dataIndex="sortOrder" title="Order" sorter align="right" />
      </Table>
    </List>
  );
}
