import { useCallback, useEffect, useMemo, useState } from 'react';
import { List, useSelect, useTable } from '@refinedev/antd';
import { useInvalidate, type HttpError } from '@refinedev/core';
import { DownloadOutlined, InboxOutlined, SaveOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Radio, Select, Space, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import { formatDateTime } from '@/pages/accounts/account-format';
import { countLabel } from '@/components/count-label';
import { relativeTime } from '@/components/relative-time';
import { useConsoleServices } from '@/providers/console-services';
import { PREVIEW_BYTES, previewFile, type FilePreview } from './import-file';
import { applyTemplate, IMPORT_KINDS, mappingOf, mappingProblems, proposedFields, type ColumnChoice, type ImportKind } from './import-mapping';
import { importsApi, isRunning, type ImportRefusal, type ImportRun, type ImportTemplate } from './imports-api';
import { STATUS_COLORS } from './import-labels';
import { ColumnMapping } from './components/column-mapping';
import { ImportOutcome } from './components/import-outcome';
import { RunCounts } from './components/run-counts';

type Notice = { kind: 'success' | 'error' | 'info'; text: string; details?: string[] };
const POLL_MS = 1000;
const kindLabel = (k: string) => IMPORT_KINDS.find((x) => x.value === k)?.label ?? k;
const fileSize = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);
const problemText = (e: HttpError): Notice => ({ kind: 'error', text: e.message, details: Object.values(e.errors ?? {}).flat().filter((m): m is string => typeof m === 'string' && m !== e.message) });

/** A supervisor loads a client's file: preview and mapping, a dry run that explains every refused row, the commit, its progress, and the history. */
export default function ImportsPage() {
  const { config, store } = useConsoleServices();
  const api = useMemo(() => importsApi(config.cmsUrl, () => store.token()), [config.cmsUrl, store]);
  const invalidate = useInvalidate();
  const [client, setClient] = useState<string | undefined>();
  const [kind, setKind] = useState<ImportKind>('accounts');
  const [onDuplicate, setOnDuplicate] = useState<'skip' | 'update'>('skip');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<FilePreview | null>(null);
  // A workbook's headers, as its dry run answered them.
  const [workbookHeaders, setWorkbookHeaders] = useState<string[] | null>(null);
  const [choices, setChoices] = useState<ColumnChoice[]>([]);
  const [templates, setTemplates] = useState<ImportTemplate[]>([]);
  const [template, setTemplate] = useState<string | undefined>();
  const [templateName, setTemplateName] = useState('');
  const [run, setRun] = useState<ImportRun | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);

  const { selectProps: clientSelect } = useSelect({ resource: 'clients', optionLabel: 'name', optionValue: 'id', pagination: { pageSize: 100 } });
  const { tableProps } = useTable<ImportRun>({ resource: 'imports', pagination: { pageSize: 10 }, syncWithLocation: false });
  const refreshHistory = useCallback(() => invalidate({ resource: 'imports', invalidates: ['list'] }), [invalidate]);

  // One client: chosen for the supervisor.
  const clientOptions = clientSelect.options ?? [];
  useEffect(() => {
    if (!client && clientOptions.length === 1) setClient(String(clientOptions[0].value));
  }, [client, clientOptions]);

  useEffect(() => {
    if (!client) return setTemplates([]);
    let live = true;
    api.templates(client).then((t) => live && setTemplates(t)).catch(() => live && setTemplates([]));
    return () => {
      live = false;
    };
  }, [api, client]);

  const headers = preview?.format === 'text' ? preview.headers : (workbookHeaders ?? []);
  const rows = preview?.format === 'text' ? preview.rows : [];
  const problems = headers.length ? mappingProblems(headers, kind, choices) : [];
  const templateMapping = templates.find((t) => t.documentId === template)?.mapping;

  // Columns proposed again when the file, the kind or the template changes.
  useEffect(() => {
    setChoices(templateMapping ? applyTemplate(headers, kind, templateMapping) : proposedFields(headers, kind));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [headers.join('\u0000'), kind, templateMapping]);

  // The running import, read again every second until it ends.
  const runId = run?.documentId;
  const running = isRunning(run?.status);
  useEffect(() => {
    if (!runId || !running) return;
    let live = true;
    const timer = setInterval(() => {
      api
        .get(runId)
        .then((next) => {
          if (!live) return;
          setRun(next);
          if (!isRunning(next.status)) refreshHistory();
        })
        .catch(() => undefined);
    }, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, runId, running, refreshHistory]);

  async function choose(next: File) {
    setFile(next);
    setRun(null);
    setNotice(null);
    setWorkbookHeaders(null);
    const head = new Uint8Array(await next.slice(0, PREVIEW_BYTES).arrayBuffer());
    setPreview(previewFile(head, next.size > PREVIEW_BYTES));
  }

  /** Every column named when the page knows the headers; else cms matches them by name (and the template, if one is chosen). */
  const mapping = () => (headers.length ? mappingOf(headers, choices) : null);

  async function start(mode: 'dry-run' | 'commit') {
    if (!file || !client) return;
    setBusy(true);
    setNotice(null);
    try {
      const started = await api.start({ file, client, kind, mode, onDuplicate, mapping: mapping(), template: headers.length ? null : template });
      setRun(started);
      if (preview?.format === 'xlsx' && started.columns) setWorkbookHeaders(started.columns.map((c) => c.header));
      refreshHistory();
    } catch (e) {
      const refusal = e as ImportRefusal;
      // A workbook without a column cms could match to a required field: its headers come back with the refusal, to be mapped here.
      if (preview?.format === 'xlsx' && refusal.columns?.length) {
        setWorkbookHeaders(refusal.columns);
        setNotice({ ...problemText(refusal), details: ['Choose the field of each column below, then run it again.'] });
      } else setNotice(problemText(refusal));
    } finally {
      setBusy(false);
    }
  }

  async function retry(corrected: File, of: ImportRun | null = run) {
    if (!of) return;
    setBusy(true);
    setNotice(null);
    try {
      // The corrected file's own header is read by name: the refused-rows file adds row, field and error columns, which are left out.
      setRun(await api.retry(of.documentId, { file: corrected, mode: of.mode }));
      setNotice({ kind: 'info', text: `Retrying with ${corrected.name}` });
      refreshHistory();
    } catch (e) {
      setNotice(problemText(e as HttpError));
    } finally {
      setBusy(false);
    }
  }

  async function cancel() {
    if (!run) return;
    setBusy(true);
    try {
      setRun(await api.cancel(run.documentId));
      refreshHistory();
    } catch (e) {
      setNotice(problemText(e as HttpError));
    } finally {
      setBusy(false);
    }
  }

  async function downloadErrors(id: string) {
    try {
      const size = await api.downloadErrors(id);
      setNotice({ kind: 'success', text: `Refused rows downloaded (${(size / 1024).toFixed(1)} KB)` });
    } catch (e) {
      setNotice(problemText(e as HttpError));
    }
  }

  async function saveTemplate() {
    if (!client || !headers.length || !templateName.trim()) return;
    try {
      const saved = await api.saveTemplate({ name: templateName.trim(), client, kind, mapping: mappingOf(headers, choices) });
      setTemplates([...templates.filter((t) => t.documentId !== saved.documentId), saved].sort((a, b) => a.name.localeCompare(b.name)));
      setTemplate(saved.documentId);
      setTemplateName('');
      setNotice({ kind: 'success', text: `Mapping saved as "${saved.name}"` });
    } catch (e) {
      setNotice(problemText(e as HttpError));
    }
  }

  const now = Date.now();
  const canStart = !!file && !!client && preview?.format !== 'empty' && problems.length === 0 && !busy && !running;
  const committable = run && run.mode === 'dry-run' && file && run.fileName === file.name ? () => start('commit') : undefined;

  return (
    <List title="Imports">
      <Card title="New import" style={{ marginBottom: 24 }}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap size="middle">
            <Space>
              <Typography.Text id="import-client-label">Client</Typography.Text>
              <Select aria-labelledby="import-client-label" aria-label="Client" placeholder="Choose a client" style={{ width: 240 }} loading={clientSelect.loading} options={clientOptions.map((o) => ({ value: String(o.value), label: o.label }))} value={client} onChange={(v: string) => { setClient(v); setTemplate(undefined); }} />
            </Space>
            <Space>
              <Typography.Text>What</Typography.Text>
              <Radio.Group aria-label="What the file holds" value={kind} optionType="button" options={IMPORT_KINDS.map((k) => ({ ...k }))} onChange={(e) => { setKind(e.target.value); setTemplate(undefined); }} />
            </Space>
            <Space>
              <Typography.Text>Accounts already stored</Typography.Text>
              <Radio.Group
                aria-label="Accounts already stored"
                value={kind === 'payments' ? 'skip' : onDuplicate}
                disabled={kind === 'payments'}
                onChange={(e) => setOnDuplicate(e.target.value)}
                options={[{ value: 'skip', label: 'Skip' }, { value: 'update', label: 'Update' }]}
              />
            </Space>
          </Space>
          <Upload.Dragger
            accept=".csv,.tsv,.txt,.xlsx"
            multiple={false}
            showUploadList={false}
            aria-label="Import file"
            beforeUpload={(f) => {
              void choose(f);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{file ? `${file.name} (${(file.size / 1024).toFixed(1)} KB): drop or click for another` : 'Drop a CSV, TSV or Excel file here, or click to choose one'}</p>
            <p className="ant-upload-hint">UTF-8, UTF-16 or Windows-1252; comma, semicolon or tab. A workbook's first sheet is read.</p>
          </Upload.Dragger>
          {preview?.format === 'empty' && <Alert type="error" showIcon message="The file is empty" />}
          {preview?.format === 'xlsx' && !workbookHeaders && (
            <Alert type="info" showIcon message="A workbook's columns are matched by their header names (and the template, if you choose one). Run a dry run to see how they map and change it." />
          )}
          {file && (headers.length > 0 || templates.length > 0) && (
            <Space wrap>
              <Typography.Text id="import-template-label">Mapping template</Typography.Text>
              <Select
                aria-labelledby="import-template-label"
                aria-label="Mapping template"
                allowClear
                placeholder="None: matched by header names"
                style={{ width: 280 }}
                value={template}
                onChange={setTemplate}
                options={templates.filter((t) => t.kind === kind).map((t) => ({ value: t.documentId, label: t.name }))}
              />
              {headers.length > 0 && (
                <>
                  <Input aria-label="Template name" placeholder="Save this mapping as…" style={{ width: 220 }} value={templateName} onChange={(e) => setTemplateName(e.target.value)} maxLength={100} />
                  <Button icon={<SaveOutlined />} disabled={!templateName.trim() || !client} onClick={saveTemplate}>Save mapping</Button>
                </>
              )}
            </Space>
          )}
          {headers.length > 0 && <ColumnMapping kind={kind} headers={headers} rows={rows} choices={choices} onChange={(next) => (setChoices(next), setNotice(null))} />}
          {problems.length > 0 && <Alert type="warning" showIcon message="Before this file can be imported" description={<ul style={{ margin: 0 }}>{problems.map((p) => <li key={p}>{p}</li>)}</ul>} />}
          <Space>
            <Button onClick={() => start('dry-run')} disabled={!canStart} loading={busy && !run}>Dry run</Button>
            <Button type="primary" onClick={() => start('commit')} disabled={!canStart}>Import</Button>
            {!client && <Typography.Text type="secondary">Choose a client first.</Typography.Text>}
          </Space>
          <div role="status" aria-live="polite">
            {notice && <Alert type={notice.kind} showIcon message={notice.text} description={notice.details?.length ? notice.details.join(' · ') : undefined} />}
          </div>
        </Space>
      </Card>
      {run && (
        <Card title={run.mode === 'dry-run' ? 'Dry run' : 'Import'} style={{ marginBottom: 24 }} role="region" aria-label="This import">
          <ImportOutcome run={run} api={api} busy={busy} onCommit={committable} onCancel={cancel} onRetry={retry} onDownloadErrors={() => downloadErrors(run.documentId)} />
        </Card>
      )}
      <Typography.Title level={5} id="import-history-title">History</Typography.Title>
      <Table {...tableProps} aria-labelledby="import-history-title" rowKey="documentId" size="middle" pagination={{ ...tableProps.pagination, showTotal: countLabel('import') }}>
        <Table.Column<ImportRun>
          dataIndex="createdAt"
          title="When"
          width={130}
          render={(v: string, r) => (
            <Tooltip title={`${formatDateTime(v)}${r.startedBy ? ` by ${r.startedBy.username}` : ''}`}>
              <span style={{ whiteSpace: 'nowrap' }}>{relativeTime(v, now)}</span>
            </Tooltip>
          )}
        />
        <Table.Column<ImportRun> dataIndex={['client', 'name']} title="Client" width={150} ellipsis />
        <Table.Column<ImportRun>
          dataIndex="fileName"
          title="File"
          ellipsis
          render={(f: string, r) => (
            <>
              <Tooltip title={f}>
                <Typography.Text strong ellipsis style={{ display: 'block' }}>{f}</Typography.Text>
              </Tooltip>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {kindLabel(r.kind).split(' (')[0]} · {fileSize(r.fileSize)}
              </Typography.Text>
            </>
          )}
        />
        <Table.Column<ImportRun>
          dataIndex="status"
          title="Run"
          width={170}
          render={(s: string, r) => (
            <Space size={0}>
              <Tag color={r.mode === 'dry-run' ? 'purple' : 'geekblue'}>{r.mode === 'dry-run' ? 'dry run' : 'commit'}</Tag>
              <Tag color={STATUS_COLORS[s]}>{s}</Tag>
            </Space>
          )}
        />
        <Table.Column<ImportRun> key="counts" title="Rows" width={330} render={(_, r) => <RunCounts run={r} />} />
        <Table.Column<ImportRun>
          key="actions"
          title="Actions"
          width={150}
          render={(_, r) => (
            <Space size={4}>
              <Button size="small" onClick={() => { setRun(r); window.scrollTo({ top: 0, behavior: 'smooth' }); }} aria-label={`Open the import of ${r.fileName}`}>Open</Button>
              {r.errorCount > 0 && (
                <Tooltip title="Download the refused rows (CSV)">
                  <Button size="small" icon={<DownloadOutlined />} aria-label={`Download the refused rows of ${r.fileName}`} title="Download the refused rows (CSV)" onClick={() => downloadErrors(r.documentId)} />
                </Tooltip>
              )}
              {!isRunning(r.status) && (r.errorCount > 0 || r.status === 'failed') && (
                <Upload accept=".csv,.tsv,.txt,.xlsx" showUploadList={false} beforeUpload={(f) => (void retry(f, r), false)}>
                  <Tooltip title="Retry with a corrected file">
                    <Button size="small" icon={<UploadOutlined />} disabled={busy} aria-label={`Retry the import of ${r.fileName} with a corrected file`} title="Retry with a corrected file" />
                  </Tooltip>
                </Upload>
              )}
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
