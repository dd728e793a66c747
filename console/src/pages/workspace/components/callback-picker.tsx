import { useState } from 'react';
import { Input, Typography } from 'antd';
import { useNow } from '@/components/clock';
import { Field, FieldRow } from './form-field';
import { callbackRefusal, localParts, zonedInstant, type CallingWindow } from '../debtor-time';

export type CallbackValue = { dueAt: string | null };

/**
 * A date and a time on the debtor's clock, refused outside the calling window (and in the past);
 * the agent sees what that is on their own clock.
 */
export function CallbackPicker({ timezone, window, onChange }: { timezone: string; window: CallingWindow; onChange: (v: CallbackValue) => void }) {
  const now = useNow();
  const debtorToday = localParts(now, timezone).date;
  const [date, setDate] = useState(debtorToday);
  const [time, setTime] = useState('');
  const update = (d: string, t: string) => {
    setDate(d);
    setTime(t);
    const ok = /^\d{4}-\d{2}-\d{2}$/.test(d) && /^\d{2}:\d{2}$/.test(t) && !callbackRefusal(d, t, timezone, window, now);
    onChange({ dueAt: ok ? new Date(zonedInstant(d, t, timezone)).toISOString() : null });
  };
  const complete = /^\d{4}-\d{2}-\d{2}$/.test(date) && /^\d{2}:\d{2}$/.test(time);
  const refusal = complete ? callbackRefusal(date, time, timezone, window, now) : null;
  const mine = complete && !refusal ? new Date(zonedInstant(date, time, timezone)).toLocaleString('en-US', { weekday: 'short', hour: '2-digit', minute: '2-digit' }) : null;
  return (
    <div style={{ marginTop: 12 }} data-testid="callback-picker">
      <Typography.Text type="secondary">
        Callback on the debtor's clock ({timezone}, calling window {window.start}–{window.end})
      </Typography.Text>
      <FieldRow style={{ marginTop: 6 }}>
          <Field label="Callback date" htmlFor="cb-date">
            <Input id="cb-date" type="date" min={debtorToday} value={date} onChange={(e) => update(e.target.value, time)} />
          </Field>
          <Field label="Callback time" htmlFor="cb-time" error={refusal} help={mine ? `${mine} your time` : ' '}>
            <Input id="cb-time" status={refusal ? 'error' : undefined} type="time" autoFocus min={window.start} max={window.end} step={300} value={time} onChange={(e) => update(date, e.target.value)} />
          </Field>
      </FieldRow>
    </div>
  );
}
