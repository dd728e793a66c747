import { Alert, Button, Descriptions, Progress, Space, Statistic, Tag, Upload } from 'antd';
import { DownloadOutlined, ReloadOutlined, StopOutlined, UploadOutlined } from '@ant-design/icons';
import { formatDateTime } from '@/pages/accounts/account-format';
import { isRunning, type ImportRun, type ImportsApi } from '../imports-api';
import { STATUS_COLORS } from '../import-labels';
import { ImportProblems } from './import-problems';

type Props = {
  run: ImportRun;
  api: ImportsApi;
  busy: boolean;
  /** The dry run's file committed with the same settings; absent when the page no longer holds the file. */
  onCommit?: () => void;
  onCancel: () => void;
  onRetry: (file: File) => void;
  onDownloadErrors: () => void;
};

/** An import as it runs and as it ended: progress, counts, the problems by kind and row, and what to do next. */
export function ImportOutcome({ run, api, busy, onCommit, onCancel, onRetry, onDownloadErrors }: Props) {
  const running = isRunning(run.status);
  const dry = run.mode === 'dry-run';

  const percent = run.status === 'completed' ? 100 : Math.floor(run.progress * 100);
  const progressStatus = run.status === 'failed' ? 'exception' : run.status === 'completed' ? 'success' : running ? 'active' : 'normal';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label="File">{run.fileName}</Descriptions.Item>
        <Descriptions.Item label="Client">{run.client?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="Run">
          <Space size={4}>
            <Tag color={dry ? 'purple' : 'geekblue'}>{dry ? 'dry run' : 'commit'}</Tag>
            <Tag color={STATUS_COLORS[run.status]} data-import-status={run.status}>{run.status}</Tag>
            {run.cancelRequested && running && <Tag color="orange">stopping</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label="Started">{formatDateTime(run.startedAt ?? run.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="Finished">{formatDateTime(run.finishedAt)}</Descriptions.Item>
        <Descriptions.Item label="Duplicates">{run.kind === 'payments' ? 'never updated' : run.onDuplicate === 'update' ? 'updated' : 'skipped'}</Descriptions.Item>
      </Descriptions>
      <Progress
        percent={percent}
        status={progressStatus}
        aria-label="Import progress"
        format={() => `${run.processedRows.toLocaleString('en-US')} of ${run.totalRows ? run.totalRows.toLocaleString('en-US') : '…'} rows`}
      />
      <Space size="large" wrap role="group" aria-label="Counts">
        <Statistic title={dry ? 'Would create' : 'Created'} value={run.createdCount} />
        <Statistic title={dry ? 'Would update' : 'Updated'} value={run.updatedCount} />
        <Statistic title="Skipped" value={run.skippedCount} />
        <Statistic title="Rows refused" value={run.errorCount} valueStyle={run.errorCount ? { color: '#cf1322' } : undefined} />
        <Statistic title="Notices" value={run.warningCount} />
      </Space>
      {run.status === 'failed' && <Alert type="error" showIcon message="The import stopped" description={run.failureMessage ?? run.failureCode ?? 'No reason was given'} />}
      {run.status === 'cancelled' && <Alert type="warning" showIcon message={`Cancelled: ${run.processedRows.toLocaleString('en-US')} rows were handled before it stopped, and what they wrote stays.`} />}
      <Space wrap>
        {running && (
          <Button danger icon={<StopOutlined />} onClick={onCancel} disabled={run.cancelRequested} loading={busy}>
            Cancel the import
          </Button>
        )}
        {!running && dry && onCommit && run.status === 'completed' && (
          <Button type="primary" onClick={onCommit} loading={busy}>
            Import the good rows
          </Button>
        )}
        {!running && run.errorCount > 0 && (
          <Button icon={<DownloadOutlined />} onClick={onDownloadErrors}>
            Download the refused rows (CSV)
          </Button>
        )}
        {!running && (run.errorCount > 0 || run.status === 'failed') && (
          <Upload accept=".csv,.tsv,.txt,.xlsx" showUploadList={false} aria-label="Corrected file" beforeUpload={(file) => (onRetry(file), false)}>
            <Button icon={run.errorCount > 0 ? <UploadOutlined /> : <ReloadOutlined />} disabled={busy}>
              Retry with a corrected file
            </Button>
          </Upload>
        )}
      </Space>
      {!running && <ImportProblems run={run} api={api} />}
    </Space>
  );
}
