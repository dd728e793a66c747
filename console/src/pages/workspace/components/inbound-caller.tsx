import { lazy, Suspense } from 'react';
import { Button, Card, Space, Typography } from 'antd';
import type { InboundPopInfo } from '@protocol/inbound-call';
import { InboundAccountTable } from './inbound-account-table';

// Only an unknown caller needs it: kept out of what every agent's workspace loads.
const InboundAccountSearch = lazy(() => import('./inbound-account-search'));

type Props = {
  inbound: InboundPopInfo;
  /** the account the agent chose among several */
  picked: string | null;
  onPick: (accountDocumentId: string) => void;
  callerName: string;
  onCallerName: (name: string) => void;
  attemptId: string;
  /** links an account found by search to the call; resolves to an error to show, or null */
  onLink: (accountDocumentId: string) => Promise<string | null>;
  /** the account number linked to the call, once it is */
  linkedAccountNumber: string | null;
};

import { callerLabel } from './inbound-banner';

/**
 * An inbound caller matched to several accounts (the agent picks the one the call is about) or
 * to none (an unknown caller: the agent notes their name, recorded with the call to resolve later).
 */
export default function InboundCaller({ inbound, picked, onPick, callerName, onCallerName, attemptId, onLink, linkedAccountNumber }: Props) {
  if (inbound.matches.length === 0) {
    if (inbound.linkedAccountDocumentId) {
      return (
        <Card size="small" title={<span data-testid="unknown-caller">Unknown caller</span>}>
          <Typography.Text data-testid="inbound-linked">
            Linked to account {linkedAccountNumber ?? inbound.linkedAccountDocumentId}: the call is recorded on it.
          </Typography.Text>
        </Card>
      );
    }
    return (
      <Card size="small" title={<span data-testid="unknown-caller">Unknown caller</span>}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            No account has {callerLabel(inbound)}. Ask who is calling and find their account; if there is none, note their name: it is recorded with the call and their number for a supervisor to resolve.
          </Typography.Text>
          <Suspense fallback={null}>
            <InboundAccountSearch attemptId={attemptId} onLink={onLink} />
          </Suspense>
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
      <InboundAccountTable
        testId="inbound-matches"
        accounts={inbound.matches}
        showClient
        picked={picked}
        action={(a) => (
          <Button size="small" type={picked === a.documentId ? 'primary' : 'default'} aria-pressed={picked === a.documentId} onClick={() => onPick(a.documentId)}>
            Open {a.accountNumber}
          </Button>
        )}
      />
    </Card>
  );
}
