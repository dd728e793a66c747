import { Show } from '@refinedev/antd';
import { useOne, usePermissions, type HttpError } from '@refinedev/core';
import { Link, useNavigate, useParams } from 'react-router';
import { Button, Card, Col, Descriptions, Result, Row, Space, Tag, Typography } from 'antd';
import { debtorName, formatDateTime, formatPhone } from '@/pages/accounts/account-format';
import { OUTCOMES, callPopulate, callTime, duration, type Call } from './call-format';
import { ComplianceReceiptCard } from './components/compliance-receipt';
import { CallAuditTrail } from './components/call-audit-trail';

const retryServerErrors = (count: number, error: HttpError) => error.statusCode >= 500 && count < 2;
const STEPS: Array<[keyof Call, string]> = [['queuedAt', 'Queued'], ['dialedAt', 'Dialed'], ['answeredAt', 'Answered'], ['bridgedAt', 'Reached the agent'], ['endedAt', 'Ended'], ['wrapEndedAt', 'Wrap-up done']];

export default function CallShow() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { data: role } = usePermissions<string>({});
  const showsAgent = role === 'supervisor';
  const { result: call, query } = useOne<Call, HttpError>({
    resource: 'calls',
    id,
    meta: {
      populate: callPopulate(showsAgent),
    },
    errorNotification: false,
    queryOptions: { retry: retryServerErrors, enabled: role !== undefined },
  });

  if (query.error?.statusCode === 404) {
    return <Result status="404" title="Call not found" subTitle="There is no such call among yours." extra={<Button type="primary" onClick={() => navigate('/calls')}>Back to calls</Button>} />;
  }
  const outcome = call ? OUTCOMES[call.outcome] : undefined;

  return (
    <Show title={call ? `Call of ${formatDateTime(callTime(call))}` : 'Call'} isLoading={query.isLoading} headerButtons={() => null} breadcrumb={false}>
      {call && (
        <Row gutter={[24, 24]}>
          <Col xs={24} xl={14}>
            <Space direction="vertical" size="large" style={{ width: '100%' }}>
              <Card>
                <Space align="baseline" size="middle" wrap>
                  <Typography.Title level={4} style={{ margin: 0 }}>{call.account ? debtorName(call.account) : 'Unknown account'}</Typography.Title>
                  <Tag color={outcome?.color}>{outcome?.label ?? call.outcome}</Tag>
                  {call.disposition && <Tag>{call.disposition.label}</Tag>}
                </Space>
                <Descriptions column={3} size="small" style={{ marginTop: 12 }}>
                  <Descriptions.Item label="Account">{call.account ? <Link to={`/accounts/${call.account.documentId}`}>{call.account.accountNumber}</Link> : '—'}</Descriptions.Item>
                  <Descriptions.Item label="Phone">{call.phone ? formatPhone(call.phone) : '—'}</Descriptions.Item>
                  <Descriptions.Item label="Direction">{call.direction}{call.dialMode ? ` · ${call.dialMode}` : ''}</Descriptions.Item>
                  <Descriptions.Item label="Campaign">{call.campaign ? <Link to={`/campaigns/${call.campaign.documentId}`}>{call.campaign.name}</Link> : 'manual'}</Descriptions.Item>
                  {showsAgent && <Descriptions.Item label="Agent">{call.agent?.username ?? 'none'}</Descriptions.Item>}
                  <Descriptions.Item label="Ring / talk / wrap">{duration(call.ringSeconds)} / {duration(call.talkSeconds)} / {duration(call.wrapSeconds)}</Descriptions.Item>
                  {call.attemptId && <Descriptions.Item label="Attempt"><Typography.Text code copyable>{call.attemptId}</Typography.Text></Descriptions.Item>}
                  {call.amdStatus && <Descriptions.Item label="Answering machine detection">{call.amdStatus}</Descriptions.Item>}
                  {call.hangupCause != null && <Descriptions.Item label="Hang-up cause">{call.hangupCause}</Descriptions.Item>}
                </Descriptions>
                {call.notes && <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0, whiteSpace: 'pre-wrap' }}><Typography.Text type="secondary">Notes: </Typography.Text>{call.notes}</Typography.Paragraph>}
              </Card>
              <ComplianceReceiptCard receipt={call.complianceReceipt} direction={call.direction} />
            </Space>
          </Col>
          <Col xs={24} xl={10}>
            <Space direction="vertical" size="large" style={{ width: '100%' }}>
              <Card title="Timeline">
                <Descriptions column={1} size="small">
                  {STEPS.filter(([field]) => call[field]).map(([field, label]) => (
                    <Descriptions.Item key={field} label={label}>{formatDateTime(call[field] as string)}</Descriptions.Item>
                  ))}
                </Descriptions>
              </Card>
              <CallAuditTrail callId={call.id} />
            </Space>
          </Col>
        </Row>
      )}
    </Show>
  );
}
