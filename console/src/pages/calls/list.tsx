import { List, useSelect, useTable } from '@refinedev/antd';
import { useCustom, usePermissions } from '@refinedev/core';
import { Link } from 'react-router';
import { DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { debtorName, formatDateTime, formatPhone } from '@/pages/accounts/account-format';
import { OUTCOMES, callPopulate, callTime, duration, type Call } from './call-format';
import { CALL_FILTERS } from './call-filters';
import { countLabel } from '@/components/count-label';

type CallFilterName = Parameters<typeof CALL_FILTERS.filter>[0];

const LIST_FIELDS = ['queuedAt', 'createdAt', 'phone', 'direction', 'outcome', 'talkSeconds', 'ringSeconds'];
const OUTCOME_OPTIONS = Object.entries(OUTCOMES).map(([value, o]) => ({ value, label: o.label }));

export default function CallList() {
  const { data: role } = usePermissions<string>({});
  // Only supervisors read users: cms names no agent to anyone else.
  const showsAgent = role === 'supervisor';
  const { tableProps, filters, setFilters } = useTable<Call>({
    resource: 'calls',
    sorters: { initial: [{ field: 'queuedAt', order: 'desc' }] },
    pagination: { pageSize: 25 },
    meta: {
      fields: LIST_FIELDS,
      populate: callPopulate(showsAgent),
    },
    syncWithLocation: true,
    queryOptions: { enabled: role !== undefined },
  });
  const { selectProps: campaignSelect } = useSelect({ resource: 'campaigns', optionLabel: 'name', optionValue: 'id', pagination: { pageSize: 100 } });
  const { selectProps: dispositionSelect } = useSelect({ resource: 'dispositions', optionLabel: 'label', optionValue: 'id', pagination: { pageSize: 100 }, sorters: [{ field: 'sortOrder', order: 'asc' }] });
  const { query: users } = useCustom<Array<{ id: number; username: string }>>({ url: '/users', method: 'get', queryOptions: { enabled: showsAgent } });
  const value = (name: CallFilterName) => CALL_FILTERS.valueOf(filters, name);
  const set = (name: CallFilterName) => (v: string | number | null | undefined) => setFilters([CALL_FILTERS.filter(name, v)], 'merge');
  const from = value('from'), to = value('to');

  return (
    <List title="Calls">
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label="Campaign" placeholder="Any campaign" allowClear showSearch optionFilterProp="label" style={{ width: 240 }} options={campaignSelect.options} value={value('campaign')} onChange={set('campaign')} />
        {showsAgent && (
          <Select
            aria-label="Agent"
            placeholder="Any agent"
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 180 }}
            value={value('agent') ? Number(value('agent')) : undefined}
            onChange={set('agent')}
            options={(users.data?.data ?? []).map((u) => ({ value: u.id, label: u.username }))}
          />
        )}
        <Select aria-label="Outcome" placeholder="Any outcome" allowClear style={{ width: 160 }} options={OUTCOME_OPTIONS} value={value('outcome')} onChange={set('outcome')} />
        <Select aria-label="Disposition" placeholder="Any disposition" allowClear showSearch optionFilterProp="label" style={{ width: 220 }} options={dispositionSelect.options} value={value('disposition')} onChange={set('disposition')} />
        <DatePicker.RangePicker
          aria-label="Date range"
          allowEmpty={[true, true]}
          value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
          onChange={(range) =>
            setFilters([CALL_FILTERS.filter('from', range?.[0]?.startOf('day').toISOString()), CALL_FILTERS.filter('to', range?.[1]?.endOf('day').toISOString())], 'merge')
          }
        />
      </Space>
      <Table {...tableProps} rowKey="id" size="middle" pagination={{ ...tableProps.pagination, showSizeChanger: true, showTotal: countLabel('call') }}>
        <Table.Column<Call>
          dataIndex="queuedAt"
          title="When"
          sorter
          render={(_, c) => (
            <Link to={`/calls/${c.id}`} aria-label={`Open call of ${formatDateTime(callTime(c))}`}>
              {formatDateTime(callTime(c))}
            </Link>
          )}
        />
        <Table.Column<Call>
          title="Account"
          render={(_, c) =>
            c.account ? (
              <Space direction="vertical" size={0}>
                <Link to={`/accounts/${c.account.documentId}`}>{c.account.accountNumber}</Link>
                <Typography.Text type="secondary">{debtorName(c.account)}</Typography.Text>
              </Space>
            ) : '—'
          }
        />
        <Table.Column<Call> dataIndex="phone" title="Phone" render={(p) => (p ? formatPhone(p) : '—')} />
        <Table.Column<Call> title="Campaign" render={(_, c) => c.campaign?.name ?? <Typography.Text type="secondary">manual</Typography.Text>} />
        {showsAgent && <Table.Column<Call> title="Agent" render={(_, c) => c.agent?.username ?? <Typography.Text type="secondary">none</Typography.Text>} />}
        <Table.Column<Call> dataIndex="outcome" title="Outcome" sorter render={(o: string) => <Tag color={OUTCOMES[o]?.color}>{OUTCOMES[o]?.label ?? o}</Tag>} />
        <Table.Column<Call> title="Disposition" render={(_, c) => c.disposition?.label ?? '—'} />
        <Table.Column<Call> dataIndex="talkSeconds" title="Talk" sorter align="right" render={duration} />
      </Table>
    </List>
  );
}
