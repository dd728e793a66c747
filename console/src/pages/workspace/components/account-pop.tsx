import { useOne } from '@refinedev/core';
import { Card, Descriptions, Skeleton, Space, Tag } from 'antd';
import type { ScreenPop } from '@/providers/worker-connection';

type Phone = { number: string; type?: string; status?: string; autodialConsent?: boolean };
type Account = { id: string; accountNumber: string; debtorFirstName?: string; debtorLastName: string; balance: number; currency?: string; daysPastDue?: number; status?: string; timezone?: string; phones?: Phone[] };

const money = (amount: number, currency = 'USD') => new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);

function localTime(timezone: string | undefined): string | null {
  if (!timezone) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: '2-digit', minute: '2-digit' }).format(new Date());
  } catch {
    return null;
  }
}

/** The popped call's account, read from cms with the agent's own rights. */
export function AccountPop({ pop }: { pop: ScreenPop }) {
  const { result: account, query } = useOne<Account>({ resource: 'accounts', id: pop.accountDocumentId, meta: { populate: ['phones'] } });
  const dialed = account?.phones?.find((p) => p.number === pop.phone);
  return (
    <Card title={<span>Account {account ? <strong data-testid="account-number">{account.accountNumber}</strong> : null}</span>} aria-busy={query.isLoading} data-testid="account-pop">
      {query.isLoading || !account ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : (
        <Descriptions column={2} size="small">
          <Descriptions.Item label="Debtor">{[account.debtorFirstName, account.debtorLastName].filter(Boolean).join(' ')}</Descriptions.Item>
          <Descriptions.Item label="Balance">{money(Number(account.balance), account.currency || 'USD')}</Descriptions.Item>
          <Descriptions.Item label="Days past due">{account.daysPastDue ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="Status">{account.status ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="Debtor's local time">{localTime(account.timezone) ?? '—'} {account.timezone ? `(${account.timezone})` : ''}</Descriptions.Item>
          <Descriptions.Item label="Phone dialed">
            <Space size={4} wrap>
              <span>{pop.phone}</span>
              {dialed?.type && <Tag>{dialed.type}</Tag>}
              {dialed && <Tag color={dialed.autodialConsent ? 'green' : 'orange'}>{dialed.autodialConsent ? 'autodial consent' : 'no autodial consent'}</Tag>}
            </Space>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}
