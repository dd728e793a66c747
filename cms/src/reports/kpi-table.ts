import { KPI_COUNT_FIELDS, KPI_RATE_FIELDS } from './kpi-formulas';
import type { KpiReport } from './kpi-report';
import type { Cell } from './xlsx-writer';

export const KPI_COLUMNS = ['key', 'label', ...KPI_COUNT_FIELDS, ...KPI_RATE_FIELDS] as const;

/** The report as a table: a header, one line per row, and a totals line (what the CSV and the workbook hold). */
export function kpiTable(report: KpiReport): Cell[][] {
  const line = (r: Record<string, any>): Cell[] => KPI_COLUMNS.map((c) => (r[c] === undefined ? null : r[c]));
  return [[...KPI_COLUMNS], ...report.data.map(line), line({ ...report.totals, key: 'total', label: 'Total' })];
}

/** A text cell a spreadsheet would run as a formula starts with a quote (OWASP's CSV injection advice). */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function kpiCsv(report: KpiReport): string {
  return kpiTable(report).map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
