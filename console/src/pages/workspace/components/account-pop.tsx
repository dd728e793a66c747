import { useOne } from '@refinedev/core';
import { Card, Descriptions, Skeleton, Space, Tag } from 'antd';
import type { AccountSummary } from '@protocol/hopper-item';
import type { ScreenPop } from '@/providers/worker-connection';

type Phone = { number: string; type?: string; status?: string; autodialConsent?: boolean };
type Account = { id: string; accountNumber: string; debtorFirstName?: string; debtorLastName: string; balance: number; currency?: string; daysPastDue?: number; status?: string; timezone?: string; phones?: Phone[] };
type Shown = Pick<AccountSummary, 'accountNumber' | 'debtorName' | 'balance' | 'currency' | 'daysPastDue' | 'status' | 'timezone'> & Partial<Pick<AccountSummary, 'clientName' | 'callingWindow'>> & { phone?: { type: string | null; autodialConsent: boolean } };

const money = (amount: number, currency = 'USD') => new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);

function localTime(timezone: string | undefined): string | null {
  if (!timezone) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: '2-digit', minute: '2-digit' }).format(new Date());
  } catch {
    return null;
  }
}

/** An attempt queued before pops carried the summary: the same view from the record read over REST. */
function fromRecord(account: Account, dialed: string): Shown {
  const phone = account.phones?.find((p) => p.number === dialed);
  return {
    accountNumber: account.accountNumber,
    debtorName: [account.debtorFirstName, account.debtorLastName].filter(Boolean).join(' '),
    balance: Number(account.balance),
    currency: account.currency || 'USD',
    daysPastDue: account.daysPastDue ?? null,
    status: account.status ?? '—',
    timezone: account.timezone ?? '',
    phone: phone && { type: phone.type ?? null, autodialConsent: !!phone.autodialConsent },
  };
}

/** The popped call's account: painted at once from the summary the pop carries, the record read from cms with the agent's own rights behind it. */
export function AccountPop({ pop }: { pop: ScreenPop }) {
  const { result: account, query } = useOne<Account>({ resource: 'accounts', id: pop.accountDocumentId, meta: { populate: ['phones'] } });
  const shown: Shown | null = pop.account ?? (account ? fromRecord(account, pop.phone) : null);
  return (
    <Card title={<span>Account {shown ? <strong data-testid="account-number">{shown.accountNumber}</strong> : null}</span>} aria-busy={!shown && query.isLoading} data-testid="account-pop">
      {!shown ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : (
        <Descriptions column={2} size="small">
          <Descriptions.Item label="Debtor">{shown.debtorName}</Descriptions.Item>
          {shown.clientName && <Descriptions.Item label="Client">{shown.clientName}</Descriptions.Item>}
          <Descriptions.Item label="Balance">{money(shown.balance, shown.currency)}</Descriptions.Item>
          <Descriptions.Item label="Days past due">{shown.daysPastDue ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="Status">{shown.status}</Descriptions.Item>
          <Descriptions.Item label="Debtor's local time">
            {localTime(shown.timezone) ?? '—'} {shown.timezone ? `(${shown.timezone})` : ''}
            {shown.callingWindow && ` · may be called ${shown.callingWindow.start}–${shown.callingWindow.end}`}
          </Descriptions.Item>
          <Descriptions.Item label="Phone dialed">
            <Space size={4} wrap>
              <span>{pop.phone}</span>
              {shown.phone?.type && <Tag>{shown.phone.type}</Tag>}
              {shown.phone && <Tag color={shown.phone.autodialConsent ? 'green' : 'orange'}>{shown.phone.autodialConsent ? 'autodial consent' : 'no autodial consent'}</Tag>}
            </Space>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}
