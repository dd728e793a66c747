import { useState } from 'react';
import { useCustom } from '@refinedev/core';
import { Alert, Button, Card, Flex, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { formatDateTime } from '@/pages/accounts/account-format';

/** cms's answer to `/api/audit-logs/verify` (cms/src/api/audit-log/services/audit-log.ts). */
type ChainReport = { ok: boolean; entries: number; brokenAt: number | null; reason?: string };

const REASONS: Record<string, string> = {
  hash: 'its content no longer matches its hash: it was changed after it was written',
  link: 'it does not point at the entry before it: an entry was removed or inserted',
  sequence: 'its number is out of sequence: an entry is missing',
};

/** Re-computes the whole audit chain in cms and says whether any entry was altered, removed or inserted. */
export function ChainVerification() {
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  const { query } = useCustom<ChainReport>({ url: '/audit-logs/verify', method: 'get', queryOptions: { enabled: false, retry: false }, errorNotification: false });
  const verify = async () => {
    await query.refetch();
    setCheckedAt(new Date().toISOString());
  };
  const report = query.data?.data;
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Flex align="start" gap="large">
        <Button icon={<SafetyCertificateOutlined />} onClick={verify} loading={query.isFetching}>
          Verify the chain
        </Button>
        <div role="status" style={{ flex: 1, minWidth: 0 }}>
          {query.isError && !query.isFetching && <Alert type="error" showIcon message="The chain could not be verified" description={query.error?.message} />}
          {report && !query.isFetching && !query.isError && (report.ok ? (
            <Alert
              type="success"
              showIcon
              message="The audit chain is intact"
              description={`All ${report.entries.toLocaleString('en-US')} entries were re-hashed and each links to the one before it: nothing was altered, removed or inserted. Verified ${formatDateTime(checkedAt)}.`}
            />
          ) : (
            <Alert
              type="error"
              showIcon
              message={`The audit chain is broken at entry #${report.brokenAt}`}
              description={`Entry #${report.brokenAt}: ${REASONS[report.reason ?? ''] ?? report.reason ?? 'unknown reason'}. ${report.entries.toLocaleString('en-US')} entries read. Verified ${formatDateTime(checkedAt)}.`}
            />
          ))}
          {!report && !query.isError && !query.isFetching && (
            <Typography.Text type="secondary" style={{ display: 'block', paddingTop: 5 }}>
              Every entry carries the hash of the one before it. Verifying re-computes the whole chain in cms and shows whether any entry was changed, removed or inserted since it was written.
            </Typography.Text>
          )}
        </div>
      </Flex>
    </Card>
  );
}
