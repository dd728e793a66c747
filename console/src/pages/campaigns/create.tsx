import { Create, useForm } from '@refinedev/antd';
import { usePermissions, type HttpError } from '@refinedev/core';
import { Form } from 'antd';
import { CampaignForm } from './components/campaign-form';
import type { Campaign } from './campaign-format';
import { documentIdOf, type CampaignFormValues } from './campaign-update';
import { CAMPAIGN_META, notSaved } from './campaign-page';

/** A new campaign starts as a draft with the defaults of cms's campaign schema, shown so that they can be read before they apply. */
const NEW_CAMPAIGN: CampaignFormValues = {
  dialMode: 'progressive', complianceProfile: 'us', abandonTarget: 0.03, ringTimeoutSec: 25, dropWindowSec: 2, maxDialRatio: 3, fixedDialRatio: 2,
  callWindowStart: '08:00', callWindowEnd: '21:00', maxAttemptsPerAccount: 20, maxAttemptsPerPhonePerDay: 2, retryDelayMinutes: 120,
};

export default function CampaignCreate() {
  const { data: role } = usePermissions<string>({});
  const { formProps, saveButtonProps, form } = useForm<Campaign, HttpError, CampaignFormValues>({
    resource: 'campaigns',
    action: 'create',
    redirect: 'edit',
    meta: CAMPAIGN_META,
    errorNotification: notSaved,
    successNotification: { type: 'success', message: 'Campaign created' },
  });
  const clientId = documentIdOf(Form.useWatch('client', form));

  return (
    <Create title="New campaign" saveButtonProps={{ ...saveButtonProps, children: 'Create' }} breadcrumb={false}>
      <CampaignForm
        formProps={{ ...formProps, initialValues: NEW_CAMPAIGN }}
        readOnly={false}
        clientId={clientId}
        choosesClient
        showsAgents={role === 'supervisor'}
      />
    </Create>
  );
}
