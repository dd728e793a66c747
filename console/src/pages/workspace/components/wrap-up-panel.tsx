import { useEffect, useRef, useState } from 'react';
import { useList } from '@refinedev/core';
import { Button, Card, Input, Space, Switch, Typography } from 'antd';

type Disposition = { id: string; code: string; label: string; sortOrder?: number };

const isTextField = (el: Element | null) => !!el && (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'button'));

/**
 * Dispositions as buttons with hotkeys 1–9 and a notes box; Enter submits. A plain disposition
 * is two keystrokes: its number, then Enter.
 */
const HOTKEYS_KEY = 'collections.disposition-hotkeys';

/** Number keys may be turned off (WCAG 2.1.4: single-key shortcuts); the choice stays with this browser. */
function useHotkeysSetting(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => (typeof localStorage === 'undefined' ? true : localStorage.getItem(HOTKEYS_KEY) !== 'off'));
  return [
    on,
    (next) => {
      localStorage.setItem(HOTKEYS_KEY, next ? 'on' : 'off');
      setOn(next);
    },
  ];
}

export function WrapUpPanel({ onSubmit, busy }: { onSubmit: (dispositionId: string, notes: string) => void; busy: boolean }) {
  const { result } = useList<Disposition>({ resource: 'dispositions', pagination: { pageSize: 100 }, sorters: [{ field: 'sortOrder', order: 'asc' }], filters: [{ field: 'active', operator: 'eq', value: true }] });
  const dispositions = result.data ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [hotkeys, setHotkeys] = useHotkeysSetting();
  const state = useRef({ chosen, notes, dispositions, busy, hotkeys });
  state.current = { chosen, notes, dispositions, busy, hotkeys };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { chosen, notes, dispositions, busy, hotkeys } = state.current;
      if (e.key === 'Enter' && !e.shiftKey) {
        if (!chosen || busy) return;
        e.preventDefault();
        onSubmit(chosen, notes);
        return;
      }
      if (!hotkeys || isTextField(document.activeElement) || e.ctrlKey || e.metaKey || e.altKey) return;
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= 9 && dispositions[n - 1]) {
        e.preventDefault();
        setChosen(dispositions[n - 1].id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onSubmit]);

  return (
    <Card
      title="Wrap-up"
      data-testid="wrap-up"
      extra={
        <label style={{ display: 'inline-flex', alignItems: 'center', gap: 10 }}>
          <Switch size="small" checked={hotkeys} onChange={setHotkeys} aria-label="Number keys choose a disposition" />
          <span>Number keys</span>
        </label>
      }
    >
      <Typography.Paragraph type="secondary">Choose a disposition{hotkeys ? ' (keys 1–9)' : ''}, add notes, press Enter.</Typography.Paragraph>
      <Space wrap role="group" aria-label="Dispositions">
        {dispositions.map((d, i) => (
          <Button key={d.id} type={chosen === d.id ? 'primary' : 'default'} aria-pressed={chosen === d.id} aria-label={d.label} aria-keyshortcuts={hotkeys && i < 9 ? String(i + 1) : undefined} onClick={() => setChosen(d.id)}>
            {hotkeys && i < 9 && <kbd style={{ marginRight: 6, opacity: 0.7 }}>{i + 1}</kbd>}
            {d.label}
          </Button>
        ))}
      </Space>
      <label style={{ display: 'block', marginTop: 16 }}>
        <span style={{ display: 'block', marginBottom: 4 }}>Notes</span>
        <Input.TextArea aria-label="Notes" value={notes} maxLength={4000} rows={3} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <Button type="primary" style={{ marginTop: 16 }} disabled={!chosen} loading={busy} onClick={() => chosen && onSubmit(chosen, notes)}>
        Submit and go Ready
      </Button>
    </Card>
  );
}
