import { useState } from 'react';
import { Alert, Button, Popconfirm, Select, Space, Typography } from 'antd';
import type { AssignableAgent, ReassignSelection } from '../use-account-reassign';

type Props = {
  selectedIds: string[];
  /** Accounts the list's filters match, and those filters as cms takes them; null when nothing is filtered. */
  matching: { total: number; filters: Record<string, unknown> } | null;
  agents: AssignableAgent[];
  pending: boolean;
  onReassign: (selection: ReassignSelection, agent: string) => Promise<boolean>;
};

/**
 * Reassigns the ticked accounts, or every account the filters match. "All matching" needs a
 * filter: every account of every client in one click is not a selection anyone means.
 */
export function BulkReassignBar({ selectedIds, matching, agents, pending, onReassign }: Props) {
  const [all, setAll] = useState(false);
  const [agent, setAgent] = useState<string | undefined>();
  const useAll = all && matching !== null;
  const count = useAll ? matching.total : selectedIds.length;
  const agentName = agents.find((a) => a.documentId === agent)?.username;
  if (selectedIds.length === 0 && !useAll) {
    return (
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">Tick accounts to reassign them</Typography.Text>
        {matching && matching.total > 0 && <Button size="small" onClick={() => setAll(true)}>Select all {matching.total.toLocaleString('en-US')} matching</Button>}
      </Space>
    );
  }
  const reassign = async () => {
    if (!agent) return;
    const done = await onReassign(useAll ? { filters: matching.filters } : { documentIds: selectedIds }, agent);
    if (done) setAll(false);
  };
  return (
    <Alert
      type="info"
      style={{ marginBottom: 12 }}
      role="region"
      aria-label="Bulk reassign"
      message={
        <Space wrap>
          <Typography.Text strong data-testid="reassign-count">{useAll ? `All ${count.toLocaleString('en-US')} matching accounts` : `${count} selected`}</Typography.Text>
          {!useAll && matching && matching.total > selectedIds.length && <Button size="small" type="link" onClick={() => setAll(true)}>Select all {matching.total.toLocaleString('en-US')} matching</Button>}
          {useAll && <Button size="small" type="link" onClick={() => setAll(false)}>Only the ticked ones</Button>}
          <Select aria-label="Reassign to agent" placeholder="Reassign to…" showSearch optionFilterProp="label" style={{ width: 200 }} value={agent} onChange={setAgent} options={agents.map((a) => ({ value: a.documentId, label: a.username }))} />
          <Popconfirm title={`Reassign ${count.toLocaleString('en-US')} account${count === 1 ? '' : 's'} to ${agentName}?`} okText="Reassign" onConfirm={reassign} disabled={!agent}>
            <Button type="primary" disabled={!agent} loading={pending}>Reassign</Button>
          </Popconfirm>
        </Space>
      }
    />
  );
}
