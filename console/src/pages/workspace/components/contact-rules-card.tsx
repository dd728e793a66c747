import { memo } from 'react';
import { Card, Descriptions, Skeleton, Typography } from 'antd';
import { useReached } from '@/components/clock';
import type { ContactRules } from '../use-account-record';
import { when } from '../workspace-format';

const BLOCKED: Record<string, string> = {
  reg_f_7_in_7: '7 attempts in 7 days reached',
  reg_f_after_conversation: 'within 7 days of a conversation',
  outside_calling_hours: "outside the debtor's calling hours",
};

/** Regulation F for this debt, as cms counts it for the hopper. Re-renders when the rules change, or when the next call becomes allowed. */
export const ContactRulesCard = memo(function ContactRulesCard({ rules }: { rules: ContactRules | null }) {
  const next = rules?.nextCallAllowedAt ? Date.parse(rules.nextCallAllowedAt) : null;
  // Said "now" from a minute before.
  const allowedNow = useReached(next === null ? null : next - 60_000);
  return (
    <Card title="Regulation F" size="small" data-testid="contact-rules">
      {!rules ? (
        <Skeleton paragraph={{ rows: 2 }} />
      ) : (
        <Descriptions column={1} size="small">
          <Descriptions.Item label={`Attempts, last ${rules.periodDays} days`}>
            <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8, width: '100%' }}>
              <strong data-testid="attempts-7-days">
                {rules.attemptsLast7Days} of {rules.maxAttempts}
              </strong>
              {/* A plain bar: antd's Progress would weigh on the route every agent loads. */}
              <span aria-hidden style={{ display: 'inline-block', width: 90, height: 6, borderRadius: 3, background: '#f0f0f0', overflow: 'hidden', verticalAlign: 'middle' }}>
                <span style={{ display: 'block', height: '100%', width: `${Math.min(100, (rules.attemptsLast7Days / rules.maxAttempts) * 100)}%`, background: rules.attemptsLast7Days >= rules.maxAttempts ? '#ff4d4f' : '#1f5fbf' }} />
              </span>
            </span>
          </Descriptions.Item>
          <Descriptions.Item label="Last conversation">{rules.lastConversationAt ? when(rules.lastConversationAt) : 'none in 7 days'}</Descriptions.Item>
          <Descriptions.Item label="Next call allowed">
            {rules.nextCallAllowedAt === null ? (
              <Typography.Text type="danger">never: account on hold</Typography.Text>
            ) : allowedNow ? (
              'now'
            ) : (
              <span>
                {when(rules.nextCallAllowedAt)}
                {rules.blockedBy.length > 0 && <Typography.Text type="secondary"> · {rules.blockedBy.map((b) => BLOCKED[b] ?? b.replace(/_/g, ' ')).join(', ')}</Typography.Text>}
              </span>
            )}
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
});
