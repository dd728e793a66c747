import { List } from '@refinedev/antd';
import { usePermissions, useUpdate } from '@refinedev/core';
import { Link, useNavigate } from 'react-router';
import { Button, Space, Table, Tag, Typography } from 'antd';
import { debtorName, formatPhone, localTimeIn } from '@/pages/accounts/account-format';
import { useTodaysCallbacks, type TodaysCallback } from './use-todays-callbacks';

const STATE_COLORS: Record<string, string> = { scheduled: 'blue', attempted: 'orange', completed: 'green', failed: 'red', cancelled: 'default' };
const time = (iso: string) => new Date(iso).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' });

export default function CallbackList() {
  const { data: role } = usePermissions<string>({});
  const navigate = useNavigate();
  const { result, query } = useTodaysCallbacks();
  const { mutate: update, mutation } = useUpdate();
  const now = Date.now();
  const rows = result.data ?? [];
  const overdue = (c: TodaysCallback) => c.state === 'scheduled' && Date.parse(c.dueAt) <= now;
  const open = rows.filter((c) => c.state === 'scheduled').length;
  const late = rows.filter(overdue).length;
  return (
    <List title={role === 'agent' ? 'My callbacks today' : 'Callbacks today'}>
      <Typography.Paragraph type="secondary" role="status">
        {open} to make today{late ? `, ${late} overdue` : ''}
      </Typography.Paragraph>
      <Table<TodaysCallback> dataSource={rows} loading={query.isLoading} rowKey="id" pagination={false} size="middle" locale={{ emptyText: 'No callbacks due today' }}>
        <Table.Column<TodaysCallback>
          title="Due"
          dataIndex="dueAt"
          render={(v: string, c) => (
            <Space size={6}>
              <Typography.Text strong>{time(v)}</Typography.Text>
              {overdue(c) && <Tag color="red">overdue</Tag>}
            </Space>
          )}
        />
        <Table.Column<TodaysCallback> title="Debtor's time then" render={(_, c) => (c.account?.timezone ? `${localTimeIn(c.account.timezone, new Date(c.dueAt))} ${c.account.timezone}` : '—')} />
        <Table.Column<TodaysCallback>
          title="Account"
          render={(_, c) => (c.account ? <Link to={`/accounts/${c.account.documentId}`}>{c.account.accountNumber}</Link> : '—')}
        />
        <Table.Column<TodaysCallback> title="Debtor" render={(_, c) => (c.account ? debtorName(c.account) : '—')} />
        <Table.Column<TodaysCallback> title="Phone" dataIndex="phone" render={(p?: string | null) => (p ? formatPhone(p) : '—')} />
        <Table.Column<TodaysCallback> title="Notes" dataIndex="notes" />
        {role !== 'agent' && <Table.Column<TodaysCallback> title="Agent" render={(_, c) => c.owner?.username ?? 'anyone'} />}
        <Table.Column<TodaysCallback> title="State" dataIndex="state" render={(s: string) => <Tag color={STATE_COLORS[s]}>{s}</Tag>} />
        <Table.Column<TodaysCallback>
          title=""
          align="right"
          render={(_, c) => (
            <Space>
              {c.account && (
                <Button size="small" type="primary" aria-label={`Open account ${c.account.accountNumber}`} onClick={() => navigate(`/accounts/${c.account!.documentId}`)}>
                  Open account
                </Button>
              )}
              {c.state === 'scheduled' && (
                <Button size="small" loading={mutation.isPending} onClick={() => update({ resource: 'callbacks', id: c.id, values: { state: 'completed' }, successNotification: { type: 'success', message: 'Callback marked done' } })}>
                  Mark done
                </Button>
              )}
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
