import { useState } from 'react';
import { Input, Select } from 'antd';
import { Field, FieldRow } from './form-field';
import type { PaymentMethod } from '@protocol/socket-protocol';
import { parseDueDate } from '../debtor-time';

export type PromiseValue = { amount: number | null; dueDate: string | null; paymentMethod: PaymentMethod | null };

const METHODS: Array<{ value: PaymentMethod; label: string }> = [
  { value: 'card', label: 'Card' },
  { value: 'bank_transfer', label: 'Bank transfer' },
  { value: 'check', label: 'Check' },
  { value: 'cash', label: 'Cash' },
  { value: 'other', label: 'Other' },
];

const parseAmount = (text: string): number | null => {
  const t = text.replace(/[,\s$]/g, '');
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(t)) return null;
  const n = Number(t);
  return n >= 0.01 ? n : null;
};

const today = () => new Date().toISOString().slice(0, 10);

/** Amount, due date (`YYYY-MM-DD`, or `+7` for a week from today) and method; the amount has the focus. */
export function PromiseForm({ value, onChange }: { value: PromiseValue; onChange: (v: PromiseValue) => void }) {
  const [amountText, setAmountText] = useState('');
  const [dateText, setDateText] = useState('');
  const dueDate = dateText ? parseDueDate(dateText, today()) : null;
  const dateError = dateText && (!dueDate || dueDate < today()) ? 'A date from today, as YYYY-MM-DD or +days' : null;
  const amountError = amountText && parseAmount(amountText) === null ? 'An amount like 150 or 150.25' : null;
  const set = (patch: Partial<PromiseValue>) => onChange({ ...value, ...patch });
  return (
    <div style={{ marginTop: 12 }} data-testid="promise-form">
      <FieldRow>
          <Field label="Amount" htmlFor="ptp-amount" error={amountError}>
            <Input
              id="ptp-amount"
              status={amountError ? 'error' : undefined}
              autoFocus
              inputMode="decimal"
              prefix="$"
              value={amountText}
              onChange={(e) => {
                setAmountText(e.target.value);
                set({ amount: parseAmount(e.target.value) });
              }}
            />
          </Field>
          <Field label="Due date" htmlFor="ptp-due" error={dateError} help={(dueDate ? new Date(`${dueDate}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }) : 'YYYY-MM-DD or +days')}>
            <Input
              id="ptp-due"
              status={dateError ? 'error' : undefined}
              placeholder="YYYY-MM-DD"
              value={dateText}
              onChange={(e) => {
                setDateText(e.target.value);
                const d = e.target.value ? parseDueDate(e.target.value, today()) : null;
                set({ dueDate: d && d >= today() ? d : null });
              }}
            />
          </Field>
          <Field label="Method" htmlFor="ptp-method">
            <Select id="ptp-method" aria-label="Method" allowClear placeholder="Optional" style={{ width: '100%' }} value={value.paymentMethod ?? undefined} options={METHODS} onChange={(m) => set({ paymentMethod: m ?? null })} />
          </Field>
      </FieldRow>
    </div>
  );
}
