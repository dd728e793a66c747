import { Button, Form, InputNumber, Select, Space } from 'antd';
import { ACCOUNT_STATUSES } from '../account-format';
import { DELINQUENCY_BUCKETS, TIME_ZONES, UNASSIGNED, type AccountFilterValues } from '../account-filters';
import type { AssignableAgent } from '../use-account-reassign';

const STATUS_OPTIONS = Object.entries(ACCOUNT_STATUSES).map(([value, s]) => ({ value, label: s.label }));
const BUCKET_OPTIONS = Object.entries(DELINQUENCY_BUCKETS).map(([value, label]) => ({ value, label }));
const CLEARED: AccountFilterValues = { status: [], delinquencyBucket: [], balanceMin: null, balanceMax: null, dpdMin: null, dpdMax: null, agent: null, timezone: [] };
const ZONE_OPTIONS = TIME_ZONES.map((tz) => ({ value: tz, label: tz.replace(/^[^/]+\//, '').replace(/_/g, ' ') }));

type Props = {
  values: AccountFilterValues;
  onChange: (values: AccountFilterValues) => void;
  /** Only supervisors read users: the agent filter is theirs. */
  agents?: AssignableAgent[];
};

/** A from–to pair of numbers under one label ("Balance from", "Balance to" to a screen reader). */
function RangeField({ label, from, to, width }: { label: string; from: keyof AccountFilterValues; to: keyof AccountFilterValues; width: number }) {
  return (
    <Form.Item label={label}>
      <Space.Compact>
        {([[from, 'from'], [to, 'to']] as const).map(([name, end]) => (
          <Form.Item key={end} name={name} noStyle>
            <InputNumber aria-label={`${label} ${end}`} placeholder={end} min={0} style={{ width }} />
          </Form.Item>
        ))}
      </Space.Compact>
    </Form.Item>
  );
}

/** The supervisor's and analyst's filters over the accounts list; each change applies at once. */
export function AccountFilterBar({ values, onChange, agents }: Props) {
  const [form] = Form.useForm<AccountFilterValues>();
  const agentOptions = agents && [{ value: UNASSIGNED, label: 'Unassigned' }, ...agents.map((a) => ({ value: a.documentId, label: a.username }))];
  return (
    <Form form={form} layout="inline" initialValues={values} onValuesChange={(_, all) => onChange(all)} aria-label="Account filters" style={{ rowGap: 8, marginBottom: 16 }}>
      <Form.Item name="status" label="Status">
        <Select mode="multiple" allowClear options={STATUS_OPTIONS} placeholder="Any" style={{ minWidth: 160 }} maxTagCount="responsive" />
      </Form.Item>
      <Form.Item name="delinquencyBucket" label="Bucket">
        <Select mode="multiple" allowClear options={BUCKET_OPTIONS} placeholder="Any" style={{ minWidth: 140 }} maxTagCount="responsive" />
      </Form.Item>
      <RangeField label="Balance" from="balanceMin" to="balanceMax" width={100} />
      <RangeField label="Days past due" from="dpdMin" to="dpdMax" width={80} />
      {agentOptions && (
        <Form.Item name="agent" label="Agent">
          <Select allowClear showSearch optionFilterProp="label" options={agentOptions} placeholder="Any" style={{ width: 160 }} />
        </Form.Item>
      )}
      <Form.Item name="timezone" label="Time zone">
        <Select mode="tags" allowClear options={ZONE_OPTIONS} placeholder="Any" style={{ minWidth: 150 }} maxTagCount="responsive" />
      </Form.Item>
      <Form.Item>
        <Button onClick={() => { form.setFieldsValue(CLEARED); onChange({}); }}>Clear filters</Button>
      </Form.Item>
    </Form>
  );
}
