import { Alert, Select, Table, Typography } from 'antd';
import { fieldOptions, type ColumnChoice, type ImportKind } from '../import-mapping';

type Props = {
  kind: ImportKind;
  headers: string[];
  /** The file's first rows (CSV and TSV); none for a workbook, whose headers came back with its dry run. */
  rows: string[][];
  choices: ColumnChoice[];
  onChange: (choices: ColumnChoice[]) => void;
};

const IGNORE = '__ignore__';

/** One line per column of the file: its header, the field it fills (changeable), and its first values. */
export function ColumnMapping({ kind, headers, rows, choices, onChange }: Props) {
  const options = [{ value: IGNORE, label: 'Leave out' }, ...fieldOptions(kind)];
  const data = headers.map((header, index) => ({ index, header, samples: rows.map((r) => r[index] ?? '').filter((v) => v !== '').slice(0, 3) }));
  return (
    <>
      <Table
        size="small"
        rowKey="index"
        pagination={false}
        dataSource={data}
        aria-label="Column mapping"
        scroll={{ y: 360 }}
        columns={[
          { title: 'Column in the file', dataIndex: 'header', width: 240, render: (h: string, r) => h || <Typography.Text type="secondary">(column {r.index + 1}, no header)</Typography.Text> },
          {
            title: 'Imports into',
            width: 280,
            render: (_, r) => (
              <Select
                aria-label={`Field for column ${r.header || r.index + 1}`}
                style={{ width: 250 }}
                showSearch
                value={choices[r.index] ?? IGNORE}
                options={options}
                onChange={(v: string) => onChange(choices.map((c, i) => (i === r.index ? (v === IGNORE ? null : v) : c)))}
              />
            ),
          },
          // A workbook's values are not read here: no column for them.
          ...(rows.length
            ? [{ title: 'First values', ellipsis: true, render: (_: unknown, r: (typeof data)[number]) => <Typography.Text type="secondary" title={r.samples.join(' · ')}>{r.samples.join(' · ') || '—'}</Typography.Text> }]
            : []),
        ]}
      />
      {rows.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }} id="import-preview-title">
            The first {rows.length} rows
          </Typography.Title>
          <Table
            size="small"
            aria-labelledby="import-preview-title"
            rowKey={(_, i) => String(i)}
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={rows.map((cells, i) => ({ cells, line: i + 2 }))}
            columns={[
              { title: 'Row', dataIndex: 'line', width: 60, fixed: 'left' },
              ...headers.map((h, i) => ({
                key: String(i),
                title: (
                  <span style={{ whiteSpace: 'nowrap' }}>
                    {h || `column ${i + 1}`}
                    <br />
                    <Typography.Text type={choices[i] ? 'success' : 'secondary'} style={{ fontWeight: 'normal', fontSize: 12 }}>
                      {choices[i] ? `→ ${choices[i]}` : 'left out'}
                    </Typography.Text>
                  </span>
                ),
                render: (_: unknown, r: { cells: string[] }) => <span style={{ whiteSpace: 'nowrap' }}>{r.cells[i] ?? ''}</span>,
              })),
            ]}
          />
        </>
      )}
      {!headers.length && <Alert type="warning" showIcon message="The file has no header row" />}
    </>
  );
}
