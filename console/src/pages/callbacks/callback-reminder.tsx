import { useEffect, useRef } from 'react';
import { usePermissions } from '@refinedev/core';
import { useNavigate } from 'react-router';
import { Button, notification } from 'antd';
import { debtorName, formatPhone } from '@/pages/accounts/account-format';
import { cameDue, nextDueAt } from './callback-schedule';
import { useTodaysCallbacks, type TodaysCallback } from './use-todays-callbacks';

/** A callback that came due just before the console opened (a reload, a sign-in) is still worth a reminder. */
const GRACE_MS = 5 * 60_000;
/** Browsers run longer timeouts at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const timeOf = (iso: string) => new Date(iso).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' });

function Reminders() {
  const navigate = useNavigate();
  const { result } = useTodaysCallbacks();
  const since = useRef(Date.now() - GRACE_MS);
  const callbacks = result.data;

  useEffect(() => {
    if (!callbacks) return;
    const remind = (c: TodaysCallback) => {
      const key = `callback-${c.id}`;
      const account = c.account;
      notification.warning({
        key,
        duration: 0,
        message: `Callback due: ${account ? `${debtorName(account)} (${account.accountNumber})` : 'an account'}`,
        description: [`Due ${timeOf(c.dueAt)}`, c.phone && formatPhone(c.phone), c.notes].filter(Boolean).join(' · '),
        btn: account && (
          <Button type="primary" size="small" onClick={() => { notification.destroy(key); navigate(`/accounts/${account.documentId}`); }}>
            Open account
          </Button>
        ),
      });
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const now = Date.now();
      cameDue(callbacks, since.current, now).forEach(remind);
      since.current = now;
      const next = nextDueAt(callbacks, now);
      if (next !== null) timer = setTimeout(check, Math.min(next - now, MAX_TIMER_MS));
    };
    check();
    return () => clearTimeout(timer);
  }, [callbacks, notification, navigate]);
  return null;
}

/** Reminds an agent, on whatever page is open, when one of their callbacks comes due. */
export function CallbackReminder() {
  const { data: role } = usePermissions<string>({});
  return role === 'agent' ? <Reminders /> : null;
}
