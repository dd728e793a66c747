import { Alert, Button, Card, Space, Tag, Typography } from 'antd';

export type HeldPreview = { attemptId: string; accountDocumentId: string; accountNumber: string; phone: string; kind: 'account' | 'callback' };

/** Preview dialing: the agent reads the next account, then dials it or skips to the one after. */
export function PreviewPanel({ preview, dialing, busy, empty, onDial, onSkip, onNext }: { preview: HeldPreview | null; dialing: boolean; busy: boolean; empty: string | null; onDial: () => void; onSkip: () => void; onNext: () => void }) {
  return (
    <Card size="small" title="Preview" data-testid="preview-panel">
      {preview ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            Next: <strong>{preview.accountNumber}</strong> on {preview.phone} {preview.kind === 'callback' && <Tag color="purple">callback due</Tag>}
          </Typography.Text>
          <Typography.Text type="secondary">Read the account, then dial it or skip it. Nothing is dialed until you press Dial.</Typography.Text>
          <Space>
            <Button type="primary" disabled={dialing || busy} loading={dialing} onClick={onDial}>
              Dial
            </Button>
            <Button disabled={dialing || busy} onClick={onSkip}>
              Skip
            </Button>
          </Space>
        </Space>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {empty && <Alert type="info" showIcon message={empty} />}
          <Button type="primary" loading={busy} onClick={onNext}>
            Next account
          </Button>
        </Space>
      )}
    </Card>
  );
}
