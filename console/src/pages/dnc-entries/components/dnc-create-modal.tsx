import { useModalForm, useSelect } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Button, DatePicker, Form, Input, Modal, Select } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { dateTimeField } from '@/pages/accounts/date-field';
import { DNC_REASONS, type DncEntry } from '../dnc-format';

const REASON_OPTIONS = Object.entries(DNC_REASONS).map(([value, label]) => ({ value, label }));

/**
 * A number added to one client's do-not-call list. Supervisors add to their clients' lists only:
 * the global list applies to every client, so administrators keep it.
 */
export function DncCreateButton() {
  const { modalProps, formProps, show, form } = useModalForm<DncEntry, HttpError>({
    resource: 'dnc-entries',
    action: 'create',
    redirect: false,
    errorNotification: (error) => ({ type: 'error', description: 'The number was not added', message: error?.message ?? '' }),
    successNotification: { type: 'success', message: 'Number added to the do-not-call list' },
  });
  const { selectProps: clientSelect } = useSelect({ resource: 'clients', optionLabel: 'name', optionValue: 'id', pagination: { pageSize: 100 } });
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => show()}>
        Add number
      </Button>
      <Modal {...modalProps} title="Add a number to a client's do-not-call list" okText="Add" width={560}>
        <Form
          {...formProps}
          layout="vertical"
          initialValues={{ reason: 'debtor_request' }}
          onValuesChange={(changed) => form.setFields(Object.keys(changed).map((name) => ({ name: name as keyof DncEntry, errors: [] })))}
          onFinish={(values: any) => formProps.onFinish?.({ ...values, scope: 'client', source: 'api' })}
        >
          <Form.Item label="Phone" name="phone">
            <Input placeholder="+1 312 555 0100" />
          </Form.Item>
          <Form.Item label="Client" name="client">
            <Select {...clientSelect} placeholder="Whose list" />
          </Form.Item>
          <Form.Item label="Reason" name="reason">
            <Select options={REASON_OPTIONS} />
          </Form.Item>
          <Form.Item label="Expires" name="expiresAt" {...dateTimeField} extra="Leave empty for a permanent entry">
            <DatePicker showTime style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label="Notes" name="notes">
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
