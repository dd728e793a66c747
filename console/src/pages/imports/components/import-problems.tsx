import { useEffect, useState } from 'react';
import { Alert, Button, Space, Switch, Table, Tag, Typography } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import type { ImportProblem, ImportRun, ImportsApi, ProblemFilter, ProblemKind } from '../imports-api';
import { CODE_LABELS } from '../import-labels';

const PAGE_SIZE = 10;
const kindKey = (k: Pick<ProblemKind, 'code' | 'severity' | 'field'>) => `${k.severity}|${k.code}|${k.field ?? ''}`;
const severityTag = (s: 'error' | 'warning') => <Tag color={s === 'error' ? 'red' : 'gold'}>{s === 'error' ? 'row refused' : 'notice'}</Tag>;

/**
 * A finished import's problems: counted by kind (code and field), and listed by row. The list
 * opens on the refused rows, which a supervisor must fix; notices (rows imported with an
 * assumption) come in with a switch, or by choosing one of their kinds.
 */
export function ImportProblems({ run, api }: { run: ImportRun; api: ImportsApi }) {
  // An import that refused nothing opens on its notices: there is nothing else to show.
  const [withNotices, setWithNotices] = useState(run.errorCount === 0);
  const [kind, setKind] = useState<ProblemKind | null>(null);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<{ rows: ImportProblem[]; total: number; kinds: ProblemKind[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setWithNotices(run.errorCount === 0);
    setKind(null);
    setPage(1);
  }, [run.documentId, run.errorCount]);

  const filter: ProblemFilter = kind ? { severity: kind.severity, code: kind.code, field: kind.field } : withNotices ? {} : { severity: 'error' };
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    let live = true;
    api
      .problems(run.documentId, page, PAGE_SIZE, JSON.parse(filterKey) as ProblemFilter)
      .then((body) => {
        if (!live) return;
        setResult({ rows: body.data, total: body.meta.pagination.total, kinds: body.meta.byKind });
        setError(null);
      })
      .catch((e) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [api, run.documentId, page, filterKey]);

  const choose = (next: ProblemKind | null) => {
    setKind(next && kind && kindKey(next) === kindKey(kind) ? null : next);
    setPage(1);
  };
  // The refused first, the most frequent first, then by name: the same order on every reading.
  const kinds = [...(result?.kinds ?? [])].sort((a, b) => (a.severity !== b.severity ? (a.severity === 'error' ? -1 : 1) : b.count - a.count || a.code.localeCompare(b.code) || (a.field ?? '').localeCompare(b.field ?? '')));
  const refused = kinds.filter((k) => k.severity === 'error');
  const notices = kinds.length - refused.length;

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!result) return null;
  if (kinds.length === 0) return run.status === 'completed' ? <Alert type="success" showIcon message="Every row passed" /> : null;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={5} id="import-problem-kinds">
          Problems by kind
        </Typography.Title>
        <Table<ProblemKind>
          size="small"
          aria-labelledby="import-problem-kinds"
          rowKey={kindKey}
          pagination={false}
          dataSource={kinds}
          rowClassName={(k) => (kind && kindKey(k) === kindKey(kind) ? 'ant-table-row-selected' : '')}
          onRow={(k) => ({ onClick: () => choose(k), style: { cursor: 'pointer' } })}
          columns={[
            { title: 'Kind', dataIndex: 'code', width: 220, render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
            { title: 'Field', dataIndex: 'field', width: 160, render: (f: string | null) => f ?? <Typography.Text type="secondary">the row</Typography.Text> },
            { title: 'What it means', dataIndex: 'code', render: (c: string) => CODE_LABELS[c] ?? '' },
            { title: 'Severity', dataIndex: 'severity', width: 120, render: severityTag },
            {
              title: 'Rows',
              dataIndex: 'count',
              width: 120,
              align: 'right',
              render: (n: number, k) => (
                <Button type="link" size="small" aria-label={`Show the ${n} ${k.code} problems on ${k.field ?? 'the row'}`} onClick={(e) => (e.stopPropagation(), choose(k))}>
                  {n.toLocaleString('en-US')}
                </Button>
              ),
            },
          ]}
        />
      </div>
      <div>
        <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
          <Typography.Title level={5} id="import-problem-rows" style={{ margin: 0 }}>
            {kind ? 'Rows with this problem' : withNotices ? 'Rows with problems' : 'Refused rows'}
          </Typography.Title>
          <Space wrap>
            {kind && (
              <Tag color={kind.severity === 'error' ? 'red' : 'gold'} closable closeIcon={<CloseOutlined aria-label="Show every kind" />} onClose={(e) => (e.preventDefault(), choose(null))} data-testid="problem-filter">
                {kind.code} · {kind.field ?? 'the row'}
              </Tag>
            )}
            <Switch
              size="small"
              checked={withNotices || kind?.severity === 'warning'}
              disabled={!!kind || notices === 0}
              onChange={(on) => (setWithNotices(on), setPage(1))}
              aria-label="Show notices too"
            />
            <Typography.Text type={notices === 0 ? 'secondary' : undefined}>Show notices too ({run.warningCount.toLocaleString('en-US')})</Typography.Text>
          </Space>
        </Space>
        <Table<ImportProblem>
          size="small"
          aria-labelledby="import-problem-rows"
          rowKey={(r, i) => `${r.row}-${r.field}-${r.code}-${i}`}
          dataSource={result.rows}
          locale={{ emptyText: withNotices || kind ? 'No problem' : 'No row was refused' }}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: result.total, onChange: setPage, showSizeChanger: false, showTotal: (t) => `${t.toLocaleString('en-US')} problems` }}
          columns={[
            { title: 'Row', dataIndex: 'row', width: 70, align: 'right' },
            { title: 'Column', dataIndex: 'column', width: 160, ellipsis: true, render: (c: string | null) => c ?? '—' },
            { title: 'Field', dataIndex: 'field', width: 150, render: (f: string | null) => f ?? '—' },
            { title: 'Kind', dataIndex: 'code', width: 200, render: (c: string, r) => <Tag color={r.severity === 'error' ? 'red' : 'gold'}>{c}</Tag> },
            { title: 'Message', dataIndex: 'message' },
            { title: 'Value in the file', dataIndex: 'rawValue', width: 180, ellipsis: true, render: (v: string | null) => (v === null ? '—' : v === '' ? <Typography.Text type="secondary">(empty)</Typography.Text> : <Typography.Text code>{v}</Typography.Text>) },
          ]}
        />
      </div>
    </Space>
  );
}
