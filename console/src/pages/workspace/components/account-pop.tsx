import { memo } from 'react';
import { Card, Descriptions, Empty, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { useMinute } from '@/components/clock';
import { PlainTable, type PlainColumn } from './plain-table';
import { ACCOUNT_STATUSES } from '../../accounts/account-format';
import { localParts } from '../debtor-time';
import type { Account, Callback, CallRow, Phone, PromiseToPay, useAccountRecord } from '../use-account-record';
import { money, when } from '../workspace-format';
import type { AccountSummary } from '@protocol/hopper-item';

/**
 * What the screen pop carries about the account (the worker fetched it with the hopper, when it
 * queued the call): shown as soon as the pop arrives, the REST record fills in the rest.
 */
export type PopSummary = Partial<AccountSummary>;


function PhoneTags({ phone }: { phone: Phone }) {
  return (
    <Space size={4} wrap>
      {phone.type && <Tag>{phone.type}</Tag>}
      {phone.status && phone.status !== 'valid' && <Tag color="red">{phone.status}</Tag>}
      <Tag color={phone.autodialConsent ? 'green' : 'orange'}>{phone.autodialConsent ? 'autodial consent' : 'no autodial consent'}</Tag>
    </Space>
  );
}

/** The debtor's wall clock: minutes, so it re-renders once a minute, on its own. */
function DebtorTime({ timezone }: { timezone?: string }) {
  const minute = useMinute();
  return <Statistic title="Debtor's time" value={timezone ? localParts(minute, timezone).hhmm : '—'} suffix={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{timezone}</Typography.Text>} />;
}

/**
 * The account in front of the agent: the pop's summary at once, then the full record from cms.
 * Each part of the record lands on its own: the parts are memoised on what they show, so each
 * landing re-renders that part only, not the header and every table again.
 */
export const AccountPop = memo(function AccountPop({ phone, summary, record }: { phone: string; summary?: PopSummary; record: ReturnType<typeof useAccountRecord> }) {
  const accountNumber = summary?.accountNumber ?? record.account?.accountNumber;
  return (
    <Card data-testid="account-pop" aria-busy={!accountNumber} styles={{ body: { paddingTop: 16 } }}>
      {!accountNumber ? (
        <Skeleton paragraph={{ rows: 4 }} />
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <AccountHeader phone={phone} summary={summary} account={record.account} window={summary?.callingWindow ?? record.rules?.callingWindow} />
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }} data-testid="account-record">
            <PhonesSection phones={record.account?.phones ?? NO_PHONES} loading={record.accountLoading} />
            <PromisesSection promises={record.promises} callbacks={record.callbacks} />
            <CallsSection calls={record.calls} loading={record.callsLoading} />
          </div>
        </Space>
      )}
    </Card>
  );
});

const NO_PHONES: Phone[] = [];

const AccountHeader = memo(function AccountHeader({ phone, summary, account, window }: { phone: string; summary?: PopSummary; account?: Account; window?: { start: string; end: string } }) {
  const name = summary?.debtorName ?? (account ? [account.debtorFirstName, account.debtorLastName].filter(Boolean).join(' ') : undefined);
  const accountNumber = summary?.accountNumber ?? account?.accountNumber;
  const currency = summary?.currency ?? account?.currency ?? 'USD';
  const balance = summary?.balance ?? (account ? Number(account.balance) : undefined);
  const status = summary?.status ?? account?.status;
  const timezone = summary?.timezone ?? account?.timezone;
  const popped = summary?.phone;
  const dialed: Phone | undefined = account?.phones?.find((p) => p.number === phone) ?? (popped && { number: popped.number, type: popped.type ?? undefined, autodialConsent: popped.autodialConsent });
  return (
    <>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '12px 24px', alignItems: 'center' }}>
        <div style={{ flex: '1 1 auto' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {name ?? '—'}
          </Typography.Title>
          <Space size={8} wrap>
            <Typography.Text type="secondary">Account</Typography.Text>
            <strong data-testid="account-number">{accountNumber}</strong>
            {(summary?.clientName ?? account?.client?.name) && <Typography.Text type="secondary">· {summary?.clientName ?? account?.client?.name}</Typography.Text>}
            {status && <Tag color={ACCOUNT_STATUSES[status]?.color ?? 'default'}>{ACCOUNT_STATUSES[status]?.label ?? status}</Tag>}
          </Space>
        </div>
        <div>
          <Space size={32}>
            <Statistic title="Balance" value={balance !== undefined ? money(balance, currency) : '—'} />
            <Statistic title="Days past due" value={summary?.daysPastDue ?? account?.daysPastDue ?? '—'} />
            <DebtorTime timezone={timezone} />
          </Space>
        </div>
      </div>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label="Phone dialed">
          <Space size={8} wrap>
            <span>{phone}</span>
            {dialed && <PhoneTags phone={dialed} />}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label="Calling window">{window ? `${window.start}–${window.end} debtor's time` : '—'}</Descriptions.Item>
      </Descriptions>
    </>
  );
});

const PHONE_COLUMNS: PlainColumn<Phone>[] = [
  { title: 'Number', render: (p) => (p.isPrimary ? <strong>{p.number}</strong> : p.number) },
  { title: 'Type · consent', render: (p) => <PhoneTags phone={p} /> },
];

const PhonesSection = memo(function PhonesSection({ phones, loading }: { phones: Phone[]; loading: boolean }) {
  return (
    <div style={{ flex: '1 1 420px', minWidth: 0 }}>
      <Typography.Title level={5}>Phones</Typography.Title>
      <PlainTable<Phone> label="Phones" rows={phones} rowKey={(p) => p.number} loading={loading} empty="No phone on this account" columns={PHONE_COLUMNS} />
    </div>
  );
});

const PromisesSection = memo(function PromisesSection({ promises, callbacks }: { promises: PromiseToPay[]; callbacks: Callback[] }) {
  return (
    <div style={{ flex: '1 1 420px', minWidth: 0 }}>
      <Typography.Title level={5}>Promises and callbacks</Typography.Title>
      {promises.length === 0 && callbacks.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No open promise, no callback due" style={{ margin: '8px 0' }} />
      ) : (
        <ul aria-label="Open promises and callbacks" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {promises.map((p) => (
            <li key={p.id} style={{ padding: '4px 0' }}>
              <Tag color="green">promise</Tag>
              {money(Number(p.amount), p.currency ?? 'USD')} due {p.dueDate}
              {p.paymentMethod ? ` · ${p.paymentMethod.replace('_', ' ')}` : ''}
            </li>
          ))}
          {callbacks.map((c) => (
            <li key={c.id} style={{ padding: '4px 0' }}>
              <Tag color="purple">callback</Tag>
              {when(c.dueAt)}
              {c.phone ? ` · ${c.phone}` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});

const CALL_COLUMNS: PlainColumn<CallRow>[] = [
  { title: 'When', width: 150, render: (c) => when(c.dialedAt ?? c.createdAt) },
  { title: 'Outcome', width: 110, render: (c) => c.outcome },
  { title: 'Disposition', width: 220, render: (c) => c.disposition?.label ?? '—' },
  { title: 'Notes', render: (c) => c.notes || '—' },
];

const CallsSection = memo(function CallsSection({ calls, loading }: { calls: CallRow[]; loading: boolean }) {
  return (
    <div style={{ flex: '1 1 100%', minWidth: 0 }}>
      <Typography.Title level={5}>Last calls</Typography.Title>
      <PlainTable label="Last calls" rows={calls} rowKey={(c) => String(c.id)} loading={loading} empty="No earlier call of yours on this account" columns={CALL_COLUMNS} />
    </div>
  );
});
