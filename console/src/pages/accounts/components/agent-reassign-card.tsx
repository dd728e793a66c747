import { useState } from 'react';
import { Button, Card, Select, Space, Typography } from 'antd';
import type { Account } from '../account-format';
import { useAssignableAgents, useReassignAccounts } from '../use-account-reassign';

/** A supervisor's control over who works an account: the agents of the account's own client. */
export function AgentReassignCard({ account }: { account: Account }) {
  const { agents, loading } = useAssignableAgents(true);
  const { reassign, pending } = useReassignAccounts();
  const current = account.assignedAgent?.documentId;
  const [agent, setAgent] = useState<string | undefined>(current);
  const ofClient = agents.filter((a) => !account.client?.documentId || a.clients.includes(account.client.documentId));
  return (
    <Card title="Assignment" size="small">
      <Space wrap>
        <Typography.Text>Assigned agent</Typography.Text>
        <Select
          aria-label="Assigned agent"
          loading={loading}
          showSearch
          optionFilterProp="label"
          placeholder="Unassigned"
          style={{ width: 220 }}
          value={agent}
          onChange={setAgent}
          options={ofClient.map((a) => ({ value: a.documentId, label: a.username }))}
        />
        <Button type="primary" ghost disabled={!agent || agent === current} loading={pending} onClick={() => agent && reassign({ documentIds: [account.id] }, agent)}>
          Reassign
        </Button>
      </Space>
    </Card>
  );
}
