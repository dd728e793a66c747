import { Edit, useForm } from '@refinedev/antd';
import { useCan, usePermissions, type HttpError } from '@refinedev/core';
import { useNavigate, useParams } from 'react-router';
import { Button, Descriptions, Result, Space, Tag, Typography } from 'antd';
import { CampaignForm } from './components/campaign-form';
import { CAMPAIGN_STATES, DIAL_MODES, type Campaign } from './campaign-format';
import type { CampaignFormValues } from './campaign-update';
import { CAMPAIGN_META, notSaved } from './campaign-page';
import { formatDateTime } from '@/pages/accounts/account-format';

export default function CampaignEdit() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { data: canEdit } = useCan({ resource: 'campaigns', action: 'edit' });
  const { data: role } = usePermissions<string>({});
  const readOnly = !canEdit?.can;
  const { formProps, saveButtonProps, query } = useForm<Campaign, HttpError, CampaignFormValues>({
    resource: 'campaigns',
    action: 'edit',
    id,
    redirect: false,
    meta: CAMPAIGN_META,
    // A 404 is an answer, shown on the page: only a failing server is worth asking again.
    queryOptions: { retry: (count, error) => error.statusCode >= 500 && count < 2 },
    errorNotification: notSaved,
    successNotification: { type: 'success', message: 'Campaign saved' },
  });
  const campaign = query?.data?.data;
  const state = campaign ? CAMPAIGN_STATES[campaign.state] : undefined;

  if (query?.error?.statusCode === 404) {
    return <Result status="404" title="Campaign not found" subTitle="There is no such campaign among yours." extra={<Button type="primary" onClick={() => navigate('/campaigns')}>Back to campaigns</Button>} />;
  }

  return (
    <Edit
      title={campaign ? <span data-testid="campaign-name">{campaign.name}</span> : 'Campaign'}
      isLoading={query?.isLoading}
      canDelete={false}
      saveButtonProps={{ ...saveButtonProps, hidden: readOnly, children: 'Save' }}
      headerButtons={() => null}
      breadcrumb={false}
    >
      {campaign && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" column={4}>
            <Descriptions.Item label="Client">{campaign.client?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="State"><Tag color={state?.color}>{state?.label ?? campaign.state}</Tag></Descriptions.Item>
            <Descriptions.Item label="Mode">{DIAL_MODES[campaign.dialMode] ?? campaign.dialMode}</Descriptions.Item>
            <Descriptions.Item label="Started">{formatDateTime(campaign.startedAt)}</Descriptions.Item>
          </Descriptions>
          {campaign.state === 'running' && !readOnly && (
            <Typography.Text type="warning">This campaign is dialing: changes apply to its next calls.</Typography.Text>
          )}
          <CampaignForm
            formProps={formProps}
            readOnly={readOnly}
            clientId={campaign.client?.documentId}
            choosesClient={false}
            showsAgents={role === 'supervisor'}
          />
        </Space>
      )}
    </Edit>
  );
}
