import { useState, type FormEvent } from 'react';
import { useDataProvider } from '@refinedev/core';
import { Alert, Button, Space, Typography } from 'antd';
import type { AccountSearchHit } from '@protocol/inbound-call';
import { InboundAccountTable } from './inbound-account-table';

type Props = {
  attemptId: string;
  /** links the chosen account to the call (through the worker, which asks cms as this agent); resolves to an error to show, or null */
  onLink: (accountDocumentId: string) => Promise<string | null>;
};

/**
 * An unknown caller: the agent searches the accounts of the client whose number was dialed (cms
 * answers only for this live call of theirs, and records each search) and links the one the
 * caller is about. Loaded only when an unknown caller is on screen.
 */
export default function InboundAccountSearch({ attemptId, onLink }: Props) {
  const dataProvider = useDataProvider();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<AccountSearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    if (q.trim().length < 2) return setError('Type at least 2 characters: an account number, a name or a phone.');
    setWorking(true);
    setError(null);
    try {
      // The console's cms data provider always has custom(): the type leaves it optional for others.
      const ask = () => dataProvider().custom!<{ data: AccountSearchHit[] }>({ url: `/calls/attempts/${encodeURIComponent(attemptId)}/account-search`, method: 'get', query: { q: q.trim() } });
      // The dialer writes the call's record just after the pop: a search in the first seconds may find no call yet.
      for (let tries = 1; ; tries++) {
        try {
          setHits((await ask()).data.data);
          break;
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 404 || tries >= 10) throw err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    } catch (err) {
      setError((err as Error).message || 'The search failed');
    } finally {
      setWorking(false);
    }
  };
  const link = async (documentId: string) => {
    setWorking(true);
    const problem = await onLink(documentId);
    setWorking(false);
    if (problem) setError(problem);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="inbound-account-search">
      <form onSubmit={(e) => void search(e)} style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
        <span>Find their account</span>
        <input aria-label="Search accounts" placeholder="Account number, name or phone" value={q} maxLength={64} onChange={(e) => setQ(e.target.value)} style={{ padding: '4px 8px', minWidth: 260 }} />
        <Button htmlType="submit" disabled={working}>
          Search
        </Button>
      </form>
      {error && <Alert type="error" showIcon message={error} />}
      {hits && hits.length === 0 && <Typography.Text type="secondary">No account of this client matches “{q.trim()}”.</Typography.Text>}
      {hits && hits.length > 0 && (
        <InboundAccountTable
          testId="inbound-search-hits"
          accounts={hits}
          action={(a) => (
            <Button size="small" type="primary" disabled={working} onClick={() => void link(a.documentId)}>
              Link {a.accountNumber}
            </Button>
          )}
        />
      )}
    </Space>
  );
}
