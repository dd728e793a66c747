import { useState } from 'react';
import { useGetIdentity, useList } from '@refinedev/core';
import { Button, Card, Empty, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { CalendarOutlined, DollarOutlined, EditOutlined, PhoneOutlined } from '@ant-design/icons';
import { CommitmentEditModal, type Commitment } from './commitment-edit-modal';
import { formatDate, formatDateTime, formatPhone, money } from '../account-format';
import { actorLabel, buildTimeline, type TimelineCall, type TimelineCallback, type TimelineEvent, type TimelinePromise } from '../timeline-events';

/** The latest of each kind: an account's whole history is the back office's, not the agent's screen. */
const PER_KIND = 50;
const OUTCOME_COLORS: Record<string, string> = { connected: 'green', no_answer: 'default', busy: 'orange', failed: 'red', machine: 'purple', abandoned: 'red', pending: 'blue' };
const STATE_COLORS: Record<string, string> = { pending: 'gold', kept: 'green', broken: 'red', cancelled: 'default', scheduled: 'blue', attempted: 'orange', completed: 'green', failed: 'red' };
const label = (code: string) => code.replace(/_/g, ' ');
const person = { fields: ['username'] };

function useAccountRecords<T>(resource: string, accountId: string, populate: Record<string, unknown>) {
  return useList<T & { id: string }>({
    resource,
    filters: [{ field: 'account.documentId', operator: 'eq', value: accountId }],
    sorters: [{ field: 'createdAt', order: 'desc' }],
    pagination: { currentPage: 1, pageSize: PER_KIND },
    meta: { populate },
  });
}

function Notes({ text }: { text?: string | null }) {
  return text ? <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>{text}</Typography.Paragraph> : null;
}

function Who({ name }: { name: string | null }) {
  return name ? <Typography.Text type="secondary"> · by {name}</Typography.Text> : null;
}

function EditButton({ label, onClick }: { label: string; onClick: () => void }) {
  return <Button type="link" size="small" icon={<EditOutlined />} aria-label={label} onClick={onClick} style={{ paddingInline: 4 }} />;
}

type EventProps = { event: TimelineEvent; readerId?: number; onEdit?: (c: Commitment) => void };

function EventBody({ event, readerId, onEdit }: EventProps) {
  if (event.kind === 'call') {
    const c = event.call;
    return (
      <div data-testid="timeline-call">
        <Space size={6} wrap>
          <Typography.Text strong>{c.direction === 'inbound' ? 'Inbound call' : 'Call'}</Typography.Text>
          <Tag color={OUTCOME_COLORS[c.outcome]}>{label(c.outcome)}</Tag>
          {c.disposition && <Tag color="geekblue">{c.disposition.label}</Tag>}
        </Space>
        <div>
          <Typography.Text type="secondary">
            {formatDateTime(event.at)}
            {c.phone ? ` · ${formatPhone(c.phone)}` : ''}
            {c.talkSeconds ? ` · talked ${Math.round(Number(c.talkSeconds))} s` : ''}
          </Typography.Text>
          <Who name={actorLabel(c.agent, readerId)} />
        </div>
        <Notes text={c.notes} />
      </div>
    );
  }
  if (event.kind === 'promise') {
    const p = event.promise;
    return (
      <div data-testid="timeline-promise">
        <Space size={6} wrap>
          <Typography.Text strong>Promise to pay {money(p.amount, p.currency)}</Typography.Text>
          <Tag color={STATE_COLORS[p.state]}>{p.state}</Tag>
          {onEdit && <EditButton label={`Edit promise of ${money(p.amount, p.currency)}`} onClick={() => onEdit({ kind: 'promise', id: p.id, title: `Promise to pay ${money(p.amount, p.currency)}` })} />}
        </Space>
        <div>
          <Typography.Text type="secondary">due {formatDate(p.dueDate)}{p.paymentMethod ? ` by ${label(p.paymentMethod)}` : ''} · made {formatDateTime(p.createdAt)}</Typography.Text>
          <Who name={actorLabel(p.agent, readerId)} />
        </div>
        <Notes text={p.notes} />
      </div>
    );
  }
  const b = event.callback;
  return (
    <div data-testid="timeline-callback">
      <Space size={6} wrap>
        <Typography.Text strong>Callback {formatDateTime(b.dueAt)}</Typography.Text>
        <Tag color={STATE_COLORS[b.state]}>{b.state}</Tag>
        {onEdit && <EditButton label={`Edit callback due ${formatDateTime(b.dueAt)}`} onClick={() => onEdit({ kind: 'callback', id: b.id, title: `Callback due ${formatDateTime(b.dueAt)}` })} />}
      </Space>
      <div>
        <Typography.Text type="secondary">{b.phone ? `${formatPhone(b.phone)} · ` : ''}set {formatDateTime(b.createdAt)}</Typography.Text>
        <Who name={actorLabel(b.owner, readerId)} />
      </div>
      <Notes text={b.notes} />
    </div>
  );
}

const ICONS = { call: <PhoneOutlined />, promise: <DollarOutlined />, callback: <CalendarOutlined /> };

/** Calls, promises and callbacks on one account, newest first, each read with the reader's own rights; promises and callbacks editable by those who may. */
export function AccountTimeline({ accountId, editable }: { accountId: string; editable: boolean }) {
  const { data: identity } = useGetIdentity<{ id: number }>();
  const [editing, setEditing] = useState<Commitment | null>(null);
  // Every call on the account, not only the reader's own: cms names only the agents the reader may see.
  const calls = useList<TimelineCall>({ resource: `accounts/${accountId}/calls`, pagination: { currentPage: 1, pageSize: PER_KIND } });
  const promises = useAccountRecords<TimelinePromise>('promises-to-pay', accountId, { agent: person });
  const callbacks = useAccountRecords<TimelineCallback>('callbacks', accountId, { owner: person });
  const loading = calls.query.isLoading || promises.query.isLoading || callbacks.query.isLoading;
  const events = buildTimeline(calls.result.data ?? [], promises.result.data ?? [], callbacks.result.data ?? []);
  return (
    <Card title="Timeline" aria-busy={loading}>
      {loading ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : events.length === 0 ? (
        <Empty description="No calls, promises or callbacks yet" />
      ) : (
        <Timeline
          aria-label="Account timeline"
          items={events.map((event) => ({ key: event.id, dot: ICONS[event.kind], children: <EventBody event={event} readerId={identity?.id} onEdit={editable ? setEditing : undefined} /> }))}
        />
      )}
      {editing && <CommitmentEditModal key={editing.id} commitment={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
