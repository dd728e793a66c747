import type { ReactNode } from 'react';
import { Tag } from 'antd';
import { money } from '../workspace-format';

/** What the agent sees of an account a caller may be about. */
export type CallerAccount = { documentId: string; accountNumber: string; debtorName: string; clientName?: string; balance: number; currency: string; status: string };

type Props = {
  testId: string;
  accounts: CallerAccount[];
  /** The client column: the caller's number can match accounts of several clients; a search answers one client's only. */
  showClient?: boolean;
  /** The row the agent chose, shaded. */
  picked?: string | null;
  /** The button that opens or links the account. */
  action: (account: CallerAccount) => ReactNode;
};

/** The accounts an inbound caller may be about, as the several-matches card and the unknown caller's search list them. */
export function InboundAccountTable({ testId, accounts, showClient = false, picked = null, action }: Props) {
  return (
    <table data-testid={testId} style={{ width: '100%', borderCollapse: 'collapse' }}>
      <thead>
        <tr style={{ textAlign: 'left' }}>
          <th>Account</th>
          <th>Debtor</th>
          {showClient && <th>Client</th>}
          <th>Balance</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {accounts.map((a) => (
          <tr key={a.documentId} style={{ borderTop: '1px solid #f0f0f0', background: picked === a.documentId ? '#e6f4ff' : undefined }}>
            <td>{a.accountNumber}</td>
            <td>{a.debtorName}</td>
            {showClient && <td>{a.clientName}</td>}
            <td>{money(a.balance, a.currency)}</td>
            <td>
              <Tag>{a.status}</Tag>
            </td>
            <td>{action(a)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
