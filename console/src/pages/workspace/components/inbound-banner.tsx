import { Alert } from 'antd';
import type { InboundPopInfo } from '@protocol/inbound-call';

export const callerLabel = (i: InboundPopInfo) => (i.callerNumber ?? (i.callerKind === 'withheld' ? 'a withheld number' : 'an unreadable number'));

/** The head of an inbound call: who called which number, how long they waited. */
export function InboundBanner({ inbound }: { inbound: InboundPopInfo }) {
  return (
    <Alert
      type="info"
      showIcon
      data-testid="inbound-banner"
      message={`Inbound call from ${callerLabel(inbound)} to ${inbound.did}`}
      description={`Waited ${Math.round(inbound.queueWaitSec)} s on hold · ${inbound.matches.length === 1 ? 'one account on this number' : inbound.matches.length ? `${inbound.matches.length} accounts on this number` : inbound.linkedAccountDocumentId ? 'no account on this number; you linked one' : 'no account on this number'}`}
    />
  );
}
