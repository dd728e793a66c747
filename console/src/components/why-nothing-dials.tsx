import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import type { CampaignDialing } from '@worker/realtime/realtime-events';
import { useConsoleServices } from '@/providers/console-services';
import { useNow } from './clock';
import { describeNothingToDial } from './nothing-to-dial-text';

/**
 * Why no call comes to a Ready agent, as the worker relays it from cms (`campaign:dialing`,
 * sent when it changes and every few seconds). Nothing is shown while calls can come.
 */
export function WhyNothingDials({ ready, campaignId }: { ready: boolean; campaignId: string | null }) {
  const { worker } = useConsoleServices();
  const [latest, setLatest] = useState<CampaignDialing | null>(null);
  useEffect(() => {
    const on = (e: CampaignDialing) => setLatest(e);
    worker.socket.on('campaign:dialing', on);
    return () => {
      worker.socket.off('campaign:dialing', on);
    };
  }, [worker]);

  const why = ready && latest?.campaignId === campaignId ? latest.nothingToDial : null;
  return why ? <NothingToDialAlert why={why} /> : null;
}

/** The reasons, with their "in 12 min" counted on a clock of its own (only while they are shown). */
function NothingToDialAlert({ why }: { why: NonNullable<CampaignDialing['nothingToDial']> }) {
  const now = useNow();
  const { headline, details } = describeNothingToDial(why, now);
  return (
    <section aria-label="Why no call comes" aria-live="polite">
      <Alert
        type="info"
        showIcon
        message={headline}
        description={details.length ? <ul style={{ margin: 0, paddingLeft: 20 }}>{details.map((d) => <li key={d}>{d}</li>)}</ul> : undefined}
      />
    </section>
  );
}
