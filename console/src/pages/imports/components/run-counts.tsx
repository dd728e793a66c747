import { Tag } from 'antd';
import type { ImportRun } from '../imports-api';

const n = (v: number) => v.toLocaleString('en-US');

/** A run's counts in one line of tags: the rows, what they did (would do, for a dry run), and what was refused. Counts of nothing are left out. */
export function RunCounts({ run }: { run: ImportRun }) {
  const dry = run.mode === 'dry-run';
  const counts: Array<[number, string, string | undefined]> = [
    [run.createdCount, dry ? 'to create' : 'created', 'green'],
    [run.updatedCount, dry ? 'to update' : 'updated', 'blue'],
    [run.skippedCount, 'skipped', undefined],
    [run.errorCount, 'refused', 'red'],
    [run.warningCount, run.warningCount === 1 ? 'notice' : 'notices', 'gold'],
  ];
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
      <Tag bordered={false} style={{ margin: 0 }}>{n(run.totalRows)} rows</Tag>
      {counts.filter(([v]) => v > 0).map(([v, label, color]) => (
        <Tag key={label} color={color} style={{ margin: 0 }}>
          {n(v)} {label}
        </Tag>
      ))}
    </span>
  );
}
