import { Alert, Button, Card, Space, Tag, Typography } from 'antd';
import type { InboundPopInfo } from '@protocol/inbound-call';
import { money } from '../workspace-format';

type Props = {
  inbound: InboundPopInfo;
  /** the account the agent chose among several */
  picked: string | null;
  onPick: (accountDocumentId: string) => void;
  callerName: string;
  onCallerName: (name: string) => void;
};

const callerLabel = (i: InboundPopInfo) => (i.callerNumber ?? (i.callerKind === 'withheld' ? 'a withheld number' : 'an unreadable number'));

/** The head of an inbound call: who called which number, how long they waited. */
export function InboundBanner({ inbound }: { inbound: InboundPopInfo }) {
  return (
    <Alert
      type="info"
      showIcon
      data-testid="inbound-banner"
      message={`Inbound call from ${callerLabel(inbound)} to ${inbound.did}`}
      description={`Waited ${Math.round(inbound.queueWaitSec)} s on hold · ${inbound.matches.length === 1 ? 'one account on this number' : inbound.matches.length ? `${inbound.matches.length} accounts on this number` : 'no account on this number'}`}
    />
  );
}

/**
 * An inbound caller matched to several accounts (the agent picks the one the call is about) or
 * to none (an unknown caller: the agent notes their name, recorded with the call to resolve later).
 */
export function InboundCaller({ inbound, picked, onPick, callerName, onCallerName }: Props) {
  if (inbound.matches.length === 0) {
    return (
      <Card size="small" title={<span data-testid="unknown-caller">Unknown caller</span>}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            No account has {callerLabel(inbound)}. Ask who is calling; their name and number are recorded with the call for a supervisor to resolve.
          </Typography.Text>
          <label>
            <span style={{ marginRight: 8 }}>Caller&apos;s name</span>
            <input aria-label="Caller's name" value={callerName} maxLength={120} onChange={(e) => onCallerName(e.target.value)} style={{ padding: '4px 8px', minWidth: 260 }} />
          </label>
        </Space>
      </Card>
    );
  }
  return (
    <Card size="small" title={`${inbound.matches.length} accounts on ${callerLabel(inbound)}: which one is this call about?`}>
      <table data-testid="inbound-matches" style={{ width: '100%', borderCollapse: 'collapse' }}>
        <thead>
          <tr style={{ textAlign: 'left' }}>
            <th>Account</th>
            <th>Debtor</th>
            <th>Client</th>
            <th>Balance</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {inbound.matches.map((a) => (
            <tr key={a.documentId} style={{ borderTop: '1px solid #f0f0f0', background: picked === a.documentId ? '#e6f4ff' : undefined }}>
              <td>{a.accountNumber}</td>
              <td>{a.debtorName}</td>
              <td>{a.clientName}</td>
              <td>{money(a.balance, a.currency)}</td>
              <td>
                <Tag>{a.status}</Tag>
              </td>
              <td>
                <Button size="small" type={picked === a.documentId ? 'primary' : 'default'} aria-pressed={picked === a.documentId} onClick={() => onPick(a.documentId)}>
                  Open {a.accountNumber}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
