import { Edit, useForm } from '@refinedev/antd';
import { useCan, useOne, type HttpError } from '@refinedev/core';
import { useNavigate, useParams } from 'react-router';
import { Button, Card, Col, DatePicker, Descriptions, Form, Input, Result, Row, Select, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { dateField } from './date-field';
import { AccountTimeline } from './components/account-timeline';
import { AgentReassignCard } from './components/agent-reassign-card';
import { ACCOUNT_STATUSES, debtorName, formatDateTime, localTimeIn, money, type Account } from './account-format';
import { accountUpdate, type AccountFormValues } from './account-update';

const PHONE_TYPES = ['mobile', 'landline', 'work', 'other'].map((v) => ({ value: v, label: v }));
const PHONE_STATUSES = [{ value: 'valid', label: 'valid' }, { value: 'bad', label: 'bad number' }, { value: 'dnc', label: 'do not call' }];
const STATUS_OPTIONS = Object.entries(ACCOUNT_STATUSES).map(([value, s]) => ({ value, label: s.label }));
const ACCOUNT_META = { populate: { phones: true, client: { fields: ['name'] }, assignedAgent: { fields: ['username'] } } };
// A 404 is an answer, not a hiccup: only a failing server is worth asking again.
const retryServerErrors = (count: number, error: HttpError) => error.statusCode >= 500 && count < 2;

function AccountSummary({ account }: { account: Account }) {
  const local = localTimeIn(account.timezone);
  return (
    <Card>
      <Space align="baseline" size="middle" wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="account-debtor">{debtorName(account)}</Typography.Title>
        <Tag color={ACCOUNT_STATUSES[account.status ?? '']?.color}>{ACCOUNT_STATUSES[account.status ?? '']?.label ?? account.status}</Tag>
      </Space>
      <Descriptions column={3} size="small" style={{ marginTop: 12 }}>
        <Descriptions.Item label="Balance"><Typography.Text strong>{money(account.balance, account.currency)}</Typography.Text></Descriptions.Item>
        <Descriptions.Item label="Days past due">{account.daysPastDue ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="Client">{account.client?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="Local time">{local ? `${local} (${account.timezone})` : account.timezone ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="Last contact">{formatDateTime(account.lastContactAt)}</Descriptions.Item>
        {account.assignedAgent && <Descriptions.Item label="Agent">{account.assignedAgent.username}</Descriptions.Item>}
      </Descriptions>
    </Card>
  );
}

function PhonesField({ stored, readOnly }: { stored: Account['phones']; readOnly: boolean }) {
  return (
    <Form.List name="phones">
      {(fields, { add }) => (
        <fieldset style={{ border: 0, padding: 0, margin: '0 0 8px' }}>
          <legend style={{ fontSize: 14, marginBottom: 8, border: 0 }}>Phones</legend>
          {fields.map((field, i) => {
            const phone = stored?.[i];
            return (
              <Row key={field.key} gutter={12} align="top">
                <Col flex="180px">
                  <Form.Item name={[field.name, 'number']} rules={[{ required: true, message: 'A number is required' }]} style={{ marginBottom: 12 }}>
                    <Input aria-label={`Phone ${i + 1} number`} placeholder="+1 312 555 0100" />
                  </Form.Item>
                </Col>
                <Col flex="110px">
                  <Form.Item name={[field.name, 'type']} style={{ marginBottom: 12 }}>
                    <Select aria-label={`Phone ${i + 1} type`} options={PHONE_TYPES} />
                  </Form.Item>
                </Col>
                <Col flex="140px">
                  <Form.Item name={[field.name, 'status']} style={{ marginBottom: 12 }}>
                    <Select aria-label={`Phone ${i + 1} status`} options={PHONE_STATUSES} />
                  </Form.Item>
                </Col>
                <Col flex="auto" style={{ paddingTop: 5 }}>
                  <Tag color={phone ? (phone.autodialConsent ? 'green' : 'orange') : 'blue'}>{phone ? (phone.autodialConsent ? 'autodial consent' : 'no autodial consent') : 'new'}</Tag>
                </Col>
              </Row>
            );
          })}
          {!readOnly && (
            <Button icon={<PlusOutlined />} onClick={() => add({ number: '', type: 'mobile', status: 'valid' })}>
              Add phone
            </Button>
          )}
        </fieldset>
      )}
    </Form.List>
  );
}

export default function AccountShowPage() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { data: canEdit } = useCan({ resource: 'accounts', action: 'edit' });
  const readOnly = !canEdit?.can;
  const { data: canReassign } = useCan({ resource: 'accounts', action: 'reassign' });
  // Whether the account is there for this reader, asked quietly: a missing one is shown on the page, not as a toast.
  const found = useOne<Account, HttpError>({ resource: 'accounts', id, meta: ACCOUNT_META, errorNotification: false, queryOptions: { retry: retryServerErrors } });
  const { formProps, saveButtonProps, query } = useForm<Account, HttpError, AccountFormValues>({
    resource: 'accounts',
    action: 'edit',
    id,
    redirect: false,
    meta: ACCOUNT_META,
    queryOptions: { enabled: found.query.isSuccess, retry: retryServerErrors },
    // Refine's antd notifications show the description as the title.
    errorNotification: (error) => ({ type: 'error', description: 'The account was not saved', message: error?.message ?? '' }),
    successNotification: { type: 'success', message: 'Account saved' },
  });
  const account = query?.data?.data;

  if (found.query.error?.statusCode === 404) {
    return (
      <Result
        status="404"
        title="Account not found"
        subTitle="There is no such account among yours."
        extra={<Button type="primary" onClick={() => navigate('/accounts')}>Back to accounts</Button>}
      />
    );
  }

  return (
    <Edit
      title={account ? <span>Account <span data-testid="account-number">{account.accountNumber}</span></span> : 'Account'}
      isLoading={found.query.isLoading || query?.isLoading}
      canDelete={false}
      saveButtonProps={{ ...saveButtonProps, hidden: readOnly, children: 'Save' }}
      headerButtons={() => null}
      breadcrumb={false}
    >
      {account && (
        <Row gutter={[24, 24]}>
          <Col xs={24} xl={15}>
            <Space direction="vertical" size="large" style={{ width: '100%' }}>
              <AccountSummary account={account} />
              {canReassign?.can && <AgentReassignCard key={account.assignedAgent?.documentId ?? 'none'} account={account} />}
              <Card title="Details">
                <Form
                  {...formProps}
                  layout="vertical"
                  disabled={readOnly}
                  // cms's error on a field stands until the field is changed.
                  onValuesChange={(changed) => formProps.form?.setFields((Object.keys(changed) as Array<keyof AccountFormValues>).map((name) => ({ name, errors: [] })))}
                  onFinish={(values) => formProps.onFinish?.(accountUpdate(values, account.phones) as AccountFormValues)}
                >
                  <Row gutter={16}>
                    <Col span={8}>
                      <Form.Item label="Status" name="status">
                        <Select options={STATUS_OPTIONS} />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item label="Next action" name="nextActionDate" {...dateField}>
                        <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item label="Email" name="debtorEmail">
                        <Input type="email" />
                      </Form.Item>
                    </Col>
                  </Row>
                  <PhonesField stored={account.phones} readOnly={readOnly} />
                  <Row gutter={16} style={{ marginTop: 16 }}>
                    <Col span={12}><Form.Item label="Address" name="addressLine1"><Input /></Form.Item></Col>
                    <Col span={12}><Form.Item label="Address line 2" name="addressLine2"><Input /></Form.Item></Col>
                    <Col span={8}><Form.Item label="City" name="city"><Input /></Form.Item></Col>
                    <Col span={6}><Form.Item label="Region" name="region"><Input /></Form.Item></Col>
                    <Col span={5}><Form.Item label="Postal code" name="postalCode"><Input /></Form.Item></Col>
                    <Col span={5}><Form.Item label="Country" name="country"><Input placeholder="US" /></Form.Item></Col>
                  </Row>
                  <Form.Item label="Notes" name="notes">
                    <Input.TextArea rows={4} placeholder="What the next person on this account should know" />
                  </Form.Item>
                </Form>
              </Card>
            </Space>
          </Col>
          <Col xs={24} xl={9}>
            <AccountTimeline accountId={account.id} editable={!readOnly} />
          </Col>
        </Row>
      )}
    </Edit>
  );
}
