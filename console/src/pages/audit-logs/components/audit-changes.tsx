import { Typography } from 'antd';
import { shortValue, type AuditEntry } from '../audit-format';

/** What one write changed, a field a line: before → after. */
export function AuditChanges({ changes }: { changes: AuditEntry['changes'] }) {
  const fields = Object.entries(changes ?? {});
  if (!fields.length) return <Typography.Text type="secondary">no field changed</Typography.Text>;
  return (
    <ul style={{ margin: 0, paddingLeft: 16 }}>
      {fields.map(([field, { before, after }]) => (
        <li key={field}>
          <Typography.Text code>{field}</Typography.Text>{' '}
          <Typography.Text type="secondary" delete={before !== null}>{shortValue(before)}</Typography.Text> → <Typography.Text>{shortValue(after)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
