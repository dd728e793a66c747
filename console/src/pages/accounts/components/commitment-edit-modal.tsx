import { useModalForm } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import { dateField, dateTimeField } from '../date-field';

export type Commitment = { kind: 'promise' | 'callback'; id: string; title: string };

const options = (values: string[]) => values.map((v) => ({ value: v, label: v.replace(/_/g, ' ') }));
/** cms refuses any hand-made move but to cancelled (cms/src/access/write-guard.ts): offer the state it has, and cancelled. */
export const promiseStates = (current: string | undefined) => [...new Set([current ?? 'pending', 'cancelled'])];
const RESOURCES = { promise: 'promises-to-pay', callback: 'callbacks' } as const;

/** The fields of a promise to pay or a callback an agent may change (cms/src/access/write-rules.ts); cms's errors land on them. */
function CommitmentFields({ kind, promiseState }: { kind: Commitment['kind']; promiseState?: string }) {
  if (kind === 'promise') {
    return (
      <>
        <Form.Item label="Amount" name="amount">
          <InputNumber style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label="Due date" name="dueDate" {...dateField}>
          <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item label="Payment method" name="paymentMethod">
          <Select allowClear options={options(['card', 'bank_transfer', 'check', 'cash', 'other'])} />
        </Form.Item>
        <Form.Item label="State" name="state" extra="Kept or broken follows from the payments; by hand a promise may only be cancelled.">
          <Select options={options(promiseStates(promiseState))} />
        </Form.Item>
        <Form.Item label="Notes" name="notes">
          <Input.TextArea rows={3} />
        </Form.Item>
      </>
    );
  }
  return (
    <>
      <Form.Item label="Due (your time)" name="dueAt" {...dateTimeField}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item label="Phone" name="phone">
        <Input />
      </Form.Item>
      <Form.Item label="State" name="state">
        <Select options={options(['scheduled', 'attempted', 'completed', 'failed', 'cancelled'])} />
      </Form.Item>
      <Form.Item label="Notes" name="notes">
        <Input.TextArea rows={3} />
      </Form.Item>
    </>
  );
}

const NOUNS = { promise: 'Promise', callback: 'Callback' };
const EDITABLE = { promise: ['amount', 'dueDate', 'paymentMethod', 'state', 'notes'], callback: ['dueAt', 'phone', 'state', 'notes'] };

/** Edits one promise or callback of the account in a dialog; the timeline refreshes when it is saved. */
export function CommitmentEditModal({ commitment, onClose }: { commitment: Commitment; onClose: () => void }) {
  const { modalProps, formProps, query } = useModalForm<Record<string, unknown>, HttpError>({
    resource: RESOURCES[commitment.kind],
    action: 'edit',
    id: commitment.id,
    redirect: false,
    defaultVisible: true,
    // Open until cms accepts the change: a refusal shows on its field, in the dialog.
    autoSubmitClose: false,
    warnWhenUnsavedChanges: false,
    meta: { fields: EDITABLE[commitment.kind] },
    successNotification: { type: 'success', message: `${NOUNS[commitment.kind]} saved` },
    // Refine's antd notifications show the description as the title.
    errorNotification: (error) => ({ type: 'error', description: `The ${NOUNS[commitment.kind].toLowerCase()} was not saved`, message: error?.message ?? '' }),
    onMutationSuccess: onClose,
  });
  return (
    <Modal {...modalProps} width={520} title={commitment.title} okText="Save" onCancel={onClose} destroyOnHidden>
      <Form
        {...formProps}
        layout="vertical"
        onValuesChange={(changed) => formProps.form?.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })))}
      >
        <CommitmentFields kind={commitment.kind} promiseState={query?.data?.data?.state as string | undefined} />
      </Form>
    </Modal>
  );
}
