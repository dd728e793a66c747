import type { FormProps } from 'antd';
import { useCustom, useSelect as useCoreSelect } from '@refinedev/core';
import { useSelect } from '@refinedev/antd';
import { Card, Col, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import compliance from '@config/compliance.json';
import { ACCOUNT_STATUSES } from '@/pages/accounts/account-format';
import { COMPLIANCE_PROFILES, DIAL_MODES, options, type Ref } from '../campaign-format';
import { campaignUpdate, relationField, type CampaignFormValues } from '../campaign-update';

const STATUS_OPTIONS = Object.entries(ACCOUNT_STATUSES).map(([value, s]) => ({ value, label: s.label }));
const wide = { style: { width: '100%' } };

type Props = {
  formProps: FormProps;
  readOnly: boolean;
  /** The client the campaign dials for: fixed once the campaign exists. */
  clientId: string | null | undefined;
  /** Whether the client is chosen here (a new campaign) or shown. */
  choosesClient: boolean;
  /** Only supervisors read users: analysts see the campaign without its agents. */
  showsAgents: boolean;
};

function AgentPicker({ clientId, readOnly }: { clientId: string | null | undefined; readOnly: boolean }) {
  const { query } = useCustom<{ data: Ref[] }>({
    url: `/clients/${clientId}/agents`,
    method: 'get',
    queryOptions: { enabled: !!clientId && !readOnly },
  });
  const agents = query.data?.data.data ?? [];
  return (
    <Form.Item label="Agents" name="agents" {...relationField} extra={clientId ? 'Agents of the campaign’s client who may take its calls' : 'Choose the client first'}>
      <Select mode="multiple" allowClear placeholder="Agents" loading={query.isLoading && !!clientId} options={agents.map((a) => ({ value: a.documentId, label: a.username }))} optionFilterProp="label" />
    </Form.Item>
  );
}

export function CampaignForm({ formProps, readOnly, clientId, choosesClient, showsAgents }: Props) {
  const { selectProps: clientSelect } = useSelect({ resource: 'clients', optionLabel: 'name', optionValue: 'id', pagination: { pageSize: 100 }, queryOptions: { enabled: choosesClient } });
  const { options: dispositionOptions } = useCoreSelect({
    resource: 'dispositions',
    optionLabel: (d: any) => `${d.label} (${d.code})`,
    optionValue: (d: any) => d.id,
    filters: [{ field: 'active', operator: 'eq', value: true }],
    sorters: [{ field: 'sortOrder', order: 'asc' }],
    pagination: { pageSize: 100 },
  });
  const { start, end } = compliance.callingHours;

  return (
    <Form
      {...formProps}
      layout="vertical"
      disabled={readOnly}
      // cms's error on a field stands until the field is changed.
      onValuesChange={(changed) => formProps.form?.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })))}
      onFinish={(values) => formProps.onFinish?.(campaignUpdate(values as CampaignFormValues))}
    >
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={12}>
          <Space direction="vertical" size="large" style={{ width: '100%' }}>
            <Card title="Campaign">
              <Form.Item label="Name" name="name">
                <Input placeholder="e.g. 30–60 DPD, consumer cards" />
              </Form.Item>
              {choosesClient && (
                <Form.Item label="Client" name="client">
                  <Select {...clientSelect} placeholder="The creditor whose accounts this campaign works" />
                </Form.Item>
              )}
              <Row gutter={16}>
                <Col span={12}>
                  <Form.Item label="Dial mode" name="dialMode">
                    <Select options={options(DIAL_MODES)} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label="Compliance profile" name="complianceProfile">
                    <Select options={options(COMPLIANCE_PROFILES)} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item label="Caller ID" name="callerId" extra="The number debtors see; the client's when empty">
                <Input placeholder="+1 212 555 0143" />
              </Form.Item>
              <Form.Item label="Description" name="description">
                <Input.TextArea rows={3} placeholder="What the campaign is for, for the supervisors who run it" />
              </Form.Item>
            </Card>
            <Card title="Accounts to dial">
              <Row gutter={16}>
                <Col span={12}><Form.Item label="Days past due from" name={['accountFilter', 'daysPastDue', 'min']}><InputNumber {...wide} /></Form.Item></Col>
                <Col span={12}><Form.Item label="Days past due to" name={['accountFilter', 'daysPastDue', 'max']}><InputNumber {...wide} /></Form.Item></Col>
                <Col span={12}><Form.Item label="Balance from" name={['accountFilter', 'balance', 'min']}><InputNumber {...wide} prefix="$" /></Form.Item></Col>
                <Col span={12}><Form.Item label="Balance to" name={['accountFilter', 'balance', 'max']}><InputNumber {...wide} prefix="$" /></Form.Item></Col>
              </Row>
              <Form.Item label="Account statuses" name={['accountFilter', 'statuses']} extra="Accounts on hold (dispute, cease contact, paid, closed) are never dialed, whatever is chosen here">
                <Select mode="multiple" allowClear placeholder="Any status" options={STATUS_OPTIONS} />
              </Form.Item>
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <Space direction="vertical" size="large" style={{ width: '100%' }}>
            <Card title="Pacing and compliance">
              <Row gutter={16}>
                <Col span={12}>
                  <Form.Item label="Abandon-rate target" name="abandonTarget" extra={`A fraction of live answers; the law allows at most ${compliance.abandon.maxRate} (${compliance.abandon.maxRate * 100} %)`}>
                    <InputNumber {...wide} step={0.005} placeholder={String(compliance.abandon.maxRate)} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label="Drop window" name="dropWindowSec" extra={`An answered call reaches an agent within this, at most ${compliance.abandon.dropWindowSecMax} s`}>
                    <InputNumber {...wide} step={0.5} addonAfter="s" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label="Ring timeout" name="ringTimeoutSec" extra={`Ring at least ${compliance.ringTimeoutSecMin} s before giving up`}>
                    <InputNumber {...wide} addonAfter="s" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label="Maximum dial ratio" name="maxDialRatio" extra="Lines per available agent, at most (predictive)">
                    <InputNumber {...wide} step={0.1} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label="Fixed dial ratio" name="fixedDialRatio" extra="Lines per available agent (fixed ratio)">
                    <InputNumber {...wide} step={0.1} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label="Wrap-up limit" name="wrapUpLimitSec" extra="Time to record an outcome before the agent is flagged">
                    <InputNumber {...wide} addonAfter="s" />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
            <Card title="Calling window and attempts">
              <Row gutter={16}>
                <Col span={12}>
                  <Form.Item label="Calls from" name="callWindowStart" extra={`Debtor's local time; legal from ${start}`}>
                    <Input placeholder={start} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label="Calls until" name="callWindowEnd" extra={`Legal until ${end}`}>
                    <Input placeholder={end} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label="Attempts per account" name="maxAttemptsPerAccount" extra={`And never over ${compliance.regulationF.maxAttemptsPerAccount} in ${compliance.regulationF.periodDays} days`}>
                    <InputNumber {...wide} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label="Daily per phone" name="maxAttemptsPerPhonePerDay">
                    <InputNumber {...wide} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label="Retry after" name="retryDelayMinutes">
                    <InputNumber {...wide} addonAfter="min" />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
            <Card title="Agents and dispositions">
              {showsAgents && <AgentPicker clientId={clientId} readOnly={readOnly} />}
              <Form.Item label="Allowed dispositions" name="allowedDispositions" {...relationField} extra="What agents may record on this campaign's calls; every active one when empty">
                <Select mode="multiple" allowClear placeholder="Every active disposition" options={dispositionOptions} optionFilterProp="label" />
              </Form.Item>
              <Form.Item label="Default disposition" name="defaultDisposition" {...relationField}>
                <Select allowClear placeholder="None" options={dispositionOptions} optionFilterProp="label" />
              </Form.Item>
              {readOnly && <Typography.Text type="secondary">Read only: your role does not change campaigns.</Typography.Text>}
            </Card>
          </Space>
        </Col>
      </Row>
    </Form>
  );
}
