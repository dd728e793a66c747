import { useState } from 'react';
import { List, useTable } from '@refinedev/antd';
import { useInvalidate } from '@refinedev/core';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Radio, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { formatDateTime } from '@/pages/accounts/account-format';
import { useConsoleServices } from '@/providers/console-services';
import { countLabel } from '@/components/count-label';
import { EXPORT_FORMATS, EXPORT_TYPES, exportPath, OPERATORS, SUGGESTED_COLUMNS, type ExportFilter } from './export-request';

type ExportRun = { id: number; documentId: string; type: string; format: string; rowCount: number; status: string; startedAt: string; columns: string[] | null };

const STATUS_COLORS: Record<string, string> = { completed: 'green', running: 'blue', failed: 'red', aborted: 'orange' };
const typeLabel = (t: string) => EXPORT_TYPES.find((x) => x.value === t)?.label ?? t;

export default function ExportsPage() {
  const { config, store } = useConsoleServices();
  const invalidate = useInvalidate();
  const [type, setType] = useState<string>('accounts');
  const [format, setFormat] = useState<string>('csv');
  const [columns, setColumns] = useState<string[]>([]);
  const [filters, setFilters] = useState<ExportFilter[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const { tableProps } = useTable<ExportRun>({ resource: 'exports', sorters: { initial: [{ field: 'startedAt', order: 'desc' }] }, pagination: { pageSize: 10 }, syncWithLocation: false });

  async function download() {
    setBusy(true);
    setStatus(null);
    try {
      const res = await fetch(`${config.cmsUrl}${exportPath({ type, format, columns, filters })}`, { headers: { Authorization: `Bearer ${store.token()}` } });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        setStatus({ kind: 'error', text: body?.error?.message ?? `The export failed (${res.status})` });
        return;
      }
      // Held in the browser until saved: cms streams it, the page hands it to the browser's downloads.
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${type}-${new Date().toISOString().slice(0, 10)}.${format}`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus({ kind: 'success', text: `${typeLabel(type)} exported (${(blob.size / 1024).toFixed(0)} KB)` });
    } catch (error) {
      setStatus({ kind: 'error', text: `The export failed: ${(error as Error).message}` });
    } finally {
      setBusy(false);
      invalidate({ resource: 'exports', invalidates: ['list'] });
    }
  }

  const setFilter = (i: number, patch: Partial<ExportFilter>) => setFilters(filters.map((f, k) => (k === i ? { ...f, ...patch } : f)));

  return (
    <List title="Exports">
      <Card title="New export" style={{ marginBottom: 24 }}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap>
            <Typography.Text id="export-type-label">What</Typography.Text>
            <Select aria-labelledby="export-type-label" aria-label="What to export" style={{ width: 220 }} value={type} options={EXPORT_TYPES.map((t) => ({ ...t }))} onChange={(v) => { setType(v); setColumns([]); setFilters([]); }} />
            <Typography.Text>Format</Typography.Text>
            <Radio.Group aria-label="Format" value={format} onChange={(e) => setFormat(e.target.value)} options={EXPORT_FORMATS.map((f) => ({ ...f }))} optionType="button" />
          </Space>
          <Select
            mode="tags"
            aria-label="Columns"
            placeholder="Columns: the usual set when empty; type any field, relation.field or phoneN"
            style={{ width: '100%' }}
            value={columns}
            onChange={setColumns}
            options={(SUGGESTED_COLUMNS[type] ?? []).map((c) => ({ value: c, label: c }))}
            tokenSeparators={[',']}
          />
          {filters.map((f, i) => (
            <Space key={i} wrap>
              <Input aria-label={`Filter ${i + 1} field`} placeholder="field, e.g. status or client.name" style={{ width: 240 }} value={f.field} onChange={(e) => setFilter(i, { field: e.target.value })} />
              <Select aria-label={`Filter ${i + 1} operator`} style={{ width: 130 }} value={f.operator} options={OPERATORS.map((o) => ({ ...o }))} onChange={(v) => setFilter(i, { operator: v })} />
              <Input aria-label={`Filter ${i + 1} value`} placeholder="value" style={{ width: 200 }} value={f.value} onChange={(e) => setFilter(i, { value: e.target.value })} />
              <Button aria-label={`Remove filter ${i + 1}`} icon={<MinusCircleOutlined />} onClick={() => setFilters(filters.filter((_, k) => k !== i))} />
            </Space>
          ))}
          <Space>
            <Button icon={<PlusOutlined />} onClick={() => setFilters([...filters, { field: '', operator: '$eq', value: '' }])}>Add a filter</Button>
            <Button type="primary" loading={busy} onClick={download}>Download</Button>
          </Space>
          <div role="status" aria-live="polite">
            {status && <Alert type={status.kind} showIcon message={status.text} />}
          </div>
        </Space>
      </Card>
      <Typography.Title level={5}>History</Typography.Title>
      <Table {...tableProps} rowKey="id" size="middle" tableLayout="fixed" style={{ width: '100%' }} pagination={{ ...tableProps.pagination, showTotal: countLabel('export') }}>
        <Table.Column<ExportRun> dataIndex="startedAt" title="When" width={190} render={(v) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span>} />
        <Table.Column<ExportRun> dataIndex="type" title="What" width={170} render={typeLabel} />
        <Table.Column<ExportRun> dataIndex="format" title="Format" width={90} render={(f) => f.toUpperCase()} />
        <Table.Column<ExportRun> dataIndex="rowCount" title="Rows" width={110} align="right" render={(n) => Number(n).toLocaleString('en-US')} />
        <Table.Column<ExportRun> dataIndex="status" title="Status" width={120} render={(s) => <Tag color={STATUS_COLORS[s]}>{s}</Tag>} />
        {/* A long column list stays on one line (the whole list on hover): it took the row's width and wrapped the date onto five lines. */}
        <Table.Column<ExportRun>
          dataIndex="columns"
          title="Columns"
          ellipsis={{ showTitle: false }}
          render={(c) => {
            const text = Array.isArray(c) ? c.join(', ') : '';
            return text ? <Tooltip title={text} placement="topLeft"><span style={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{text}</span></Tooltip> : <Typography.Text type="secondary">the usual set</Typography.Text>;
          }}
        />
      </Table>
    </List>
  );
}
