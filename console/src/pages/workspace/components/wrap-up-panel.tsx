import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Input, Space, Switch, Tag, Typography } from 'antd';
import type { WrapUpCallback, WrapUpPromise } from '@protocol/socket-protocol';
import { useNow } from '@/components/clock';
import type { CallingWindow } from '../debtor-time';
import type { WorkspaceSettings } from '../use-workspace-settings';
import { CallbackPicker, type CallbackValue } from './callback-picker';
import { PromiseForm, type PromiseValue } from './promise-form';

export type Disposition = { id: string; code: string; label: string; promiseToPay?: boolean; callback?: boolean };
export type WrapUp = { disposition: string; notes: string; promise?: WrapUpPromise; callback?: WrapUpCallback };

type Props = {
  dispositions: Disposition[];
  onSubmit: (wrapUp: WrapUp) => void;
  busy: boolean;
  settings: WorkspaceSettings;
  onSettings: (patch: Partial<WorkspaceSettings>) => void;
  /** When the call ended: the wrap-up timer counts from here. */
  endedAt: number;
  /** The campaign's wrap-up limit in seconds, if it has one. */
  limitSec: number | null;
  debtor: { timezone: string; window: CallingWindow } | null;
};

/** Seconds before the limit when the agent is warned. */
const WARN_BEFORE_SEC = 10;

const isTextField = (el: Element | null) => !!el && (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && !['button', 'checkbox', 'radio'].includes((el as HTMLInputElement).type)));

/**
 * Dispositions as buttons with hotkeys 1–9, a search box and notes; Enter submits. A plain
 * disposition is two keystrokes: its number, then Enter. One flagged promise-to-pay asks for
 * amount and due date, one flagged callback for a time in the debtor's zone.
 */
/** Seconds spent in wrap-up and left before the limit, on the page's one clock (so the timer and the warning agree). */
function useWrapUpClock(endedAt: number, limitSec: number | null) {
  const spent = Math.max(0, Math.floor((useNow() - endedAt) / 1000));
  return { spent, left: limitSec ? limitSec - spent : null };
}

/** The seconds in wrap-up: ticks on its own, the panel does not re-render every second. */
function WrapUpTimer({ endedAt, limitSec }: { endedAt: number; limitSec: number | null }) {
  const { spent, left } = useWrapUpClock(endedAt, limitSec);
  return (
    <Tag color={left !== null && left <= WARN_BEFORE_SEC ? 'red' : 'default'} data-testid="wrap-up-timer" aria-label="Seconds in wrap-up">
      {spent} s{limitSec ? ` of ${limitSec}` : ''}
    </Tag>
  );
}

function WrapUpWarning({ endedAt, limitSec }: { endedAt: number; limitSec: number | null }) {
  const { left } = useWrapUpClock(endedAt, limitSec);
  if (left === null || left > WARN_BEFORE_SEC) return null;
  return <Alert role="alert" type="warning" showIcon style={{ marginBottom: 12 }} message={left > 0 ? `Wrap-up time runs out in ${left} s: the campaign's default disposition will be recorded and you will be paused.` : 'Wrap-up time is up: the default disposition is being recorded.'} />;
}

export const WrapUpPanel = memo(function WrapUpPanel({ dispositions, onSubmit, busy, settings, onSettings, endedAt, limitSec, debtor }: Props) {
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [search, setSearch] = useState('');
  const [promise, setPromise] = useState<PromiseValue>({ amount: null, dueDate: null, paymentMethod: null });
  const [callback, setCallback] = useState<CallbackValue>({ dueAt: null });
  const chosen = dispositions.find((d) => d.id === chosenId) ?? null;
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return dispositions.map((d, i) => ({ d, hotkey: i < 9 ? i + 1 : null })).filter(({ d }) => !q || d.label.toLowerCase().includes(q) || d.code.toLowerCase().includes(q));
  }, [dispositions, search]);

  const ready = !!chosen && (!chosen.promiseToPay || (promise.amount !== null && promise.dueDate !== null)) && (!chosen.callback || callback.dueAt !== null);
  const submit = () => {
    if (!chosen || !ready || busy) return;
    onSubmit({
      disposition: chosen.id,
      notes,
      ...(chosen.promiseToPay ? { promise: { amount: promise.amount!, dueDate: promise.dueDate!, paymentMethod: promise.paymentMethod } } : {}),
      ...(chosen.callback ? { callback: { dueAt: callback.dueAt! } } : {}),
    });
  };
  const state = useRef({ submit, shown, hotkeys: settings.hotkeys, dispositions });
  state.current = { submit, shown, hotkeys: settings.hotkeys, dispositions };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { submit, shown, hotkeys, dispositions } = state.current;
      const target = e.target as HTMLElement | null;
      if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
        // Enter in the search box takes the first match; anywhere else it submits.
        if (target?.getAttribute('aria-label') === 'Search dispositions') {
          if (shown[0]) setChosenId(shown[0].d.id);
          e.preventDefault();
          return;
        }
        if (target?.closest('.ant-select')) return;
        e.preventDefault();
        submit();
        return;
      }
      if (!hotkeys || isTextField(document.activeElement) || e.ctrlKey || e.metaKey || e.altKey) return;
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= 9 && dispositions[n - 1]) {
        e.preventDefault();
        setChosenId(dispositions[n - 1].id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <Card
      title={
        <Space size={12}>
          <span>Wrap-up</span>
          <WrapUpTimer endedAt={endedAt} limitSec={limitSec} />
        </Space>
      }
      data-testid="wrap-up"
      size="small"
    >
      <WrapUpWarning endedAt={endedAt} limitSec={limitSec} />
      <Input.Search aria-label="Search dispositions" placeholder="Search dispositions" allowClear value={search} onChange={(e) => setSearch(e.target.value)} style={{ marginBottom: 12 }} />
      <div role="group" aria-label="Dispositions" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(190px, 1fr))', gap: 8 }}>
        {shown.map(({ d, hotkey }) => (
          <Button
            key={d.id}
            type={chosenId === d.id ? 'primary' : 'default'}
            aria-pressed={chosenId === d.id}
            aria-label={d.label}
            aria-keyshortcuts={settings.hotkeys && hotkey ? String(hotkey) : undefined}
            onClick={() => setChosenId(d.id)}
            style={{ justifyContent: 'flex-start', whiteSpace: 'normal', height: 'auto', minHeight: 32, textAlign: 'left', lineHeight: 1.3, padding: '4px 10px' }}
            title={d.label}
          >
            {settings.hotkeys && hotkey && <kbd style={{ marginRight: 6, opacity: 0.7, fontFamily: 'inherit' }}>{hotkey}</kbd>}
            {d.label}
          </Button>
        ))}
      </div>
      {chosen?.promiseToPay && <PromiseForm key={`p${chosen.id}`} value={promise} onChange={setPromise} />}
      {chosen?.callback && debtor && <CallbackPicker key={`c${chosen.id}`} timezone={debtor.timezone} window={debtor.window} onChange={setCallback} />}
      <label style={{ display: 'block', marginTop: 12 }}>
        <span style={{ display: 'block', marginBottom: 4 }}>Notes</span>
        <Input.TextArea aria-label="Notes" value={notes} maxLength={4000} rows={2} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <Space style={{ marginTop: 12, width: '100%', justifyContent: 'space-between' }} wrap>
        <Button type="primary" disabled={!ready} loading={busy} onClick={submit}>
          {settings.autoReady ? 'Submit and go Ready' : 'Submit'} <kbd style={{ marginLeft: 6, opacity: 0.8, fontFamily: 'inherit' }}>Enter</kbd>
        </Button>
        <Space size={16} wrap>
          <label style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
            <Switch size="small" checked={settings.hotkeys} onChange={(hotkeys) => onSettings({ hotkeys })} aria-label="Number keys choose a disposition" />
            <span>Number keys</span>
          </label>
          <label style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
            <Switch size="small" checked={settings.autoReady} onChange={(autoReady) => onSettings({ autoReady })} aria-label="Go Ready after submitting" />
            <span>Ready after submit</span>
          </label>
        </Space>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
        {settings.hotkeys ? 'Keys 1–9 choose, ' : ''}Enter submits, Shift+Enter adds a line to the notes.
      </Typography.Paragraph>
    </Card>
  );
});
