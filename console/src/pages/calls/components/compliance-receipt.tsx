import { Alert, Card, List, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, InfoCircleFilled } from '@ant-design/icons';
import { formatDateTime } from '@/pages/accounts/account-format';
import { receiptChecks, type ComplianceReceipt } from '../receipt-checks';

const ICONS = {
  passed: <CheckCircleFilled style={{ color: '#389e0d', fontSize: 18 }} aria-label="met" />,
  failed: <CloseCircleFilled style={{ color: '#cf1322', fontSize: 18 }} aria-label="not met" />,
  fact: <InfoCircleFilled style={{ color: '#8c8c8c', fontSize: 18 }} aria-label="fact" />,
};

/** The rules cms checked before this call was dialed, with the facts it saw, in words. */
export function ComplianceReceiptCard({ receipt, direction }: { receipt: ComplianceReceipt | null | undefined; direction: string }) {
  if (!receipt || !receipt.checkedAt) {
    return (
      <Card title="Compliance receipt">
        <Alert
          type="info"
          showIcon
          message="No pre-dial check was recorded for this call"
          description={direction === 'inbound' ? 'The debtor called in: nothing was dialed.' : 'It was not placed by the dialer (a manual or imported call), so cms did not clear the number before it was dialed.'}
        />
      </Card>
    );
  }
  const checks = receiptChecks(receipt, formatDateTime);
  const failed = checks.filter((c) => c.passed === false).length;
  return (
    <Card
      title="Compliance receipt"
      extra={failed ? <Tag color="red">{failed} rule{failed === 1 ? '' : 's'} not met</Tag> : <Tag color="green">Every rule met</Tag>}
      data-testid="compliance-receipt"
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        Checked by cms {formatDateTime(receipt.checkedAt)}, just before dialing, under rule set <Typography.Text code>{receipt.ruleSet ?? 'unknown'}</Typography.Text>.
      </Typography.Paragraph>
      <List
        itemLayout="horizontal"
        dataSource={checks}
        renderItem={(check) => (
          <List.Item>
            <List.Item.Meta
              avatar={check.passed === null ? ICONS.fact : check.passed ? ICONS.passed : ICONS.failed}
              title={
                <Space size="small" wrap>
                  <span>{check.rule}</span>
                  {check.source && <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>{check.source}</Typography.Text>}
                </Space>
              }
              description={<span style={{ color: 'rgba(0,0,0,0.75)' }}>{check.facts}</span>}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
