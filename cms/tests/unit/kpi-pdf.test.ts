import { kpiPdf } from '../../src/reports/kpi-pdf';
import { KPI_DEFINITIONS, emptyCounts, kpiRates } from '../../src/reports/kpi-formulas';
import type { KpiReport } from '../../src/reports/kpi-report';

const row = (i: number) => {
  const c = { ...emptyCounts(), dials: 100 + i, connects: 30 + i, collectedAmount: 12.5 * i };
  return { key: `k${i}`, id: i, label: `agent (${i})`, ...c, ...kpiRates(c) };
};
const report = (rows: number): KpiReport => {
  const totals = { ...emptyCounts(), dials: 5 };
  return {
    data: Array.from({ length: rows }, (_, i) => row(i)),
    totals: { ...totals, ...kpiRates(totals) },
    meta: { from: '2026-10-01', to: '2026-10-31', groupBy: 'agent', timeZones: { Bank: 'America/New_York' }, currencies: ['USD'], definitions: KPI_DEFINITIONS, notes: [] },
  };
};

describe('kpiPdf', () => {
  it('is one page whose cross-reference table points at each object', () => {
    const pdf = kpiPdf(report(5), 'KPIs').toString('latin1');
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf.match(/\/Type \/Page /g)).toHaveLength(1);
    const start = Number(pdf.match(/startxref\n(\d+)/)![1]);
    expect(pdf.slice(start, start + 4)).toBe('xref');
    const offsets = pdf.slice(start).split('\n').slice(3, 9).map((l) => Number(l.slice(0, 10)));
    offsets.forEach((o, i) => expect(pdf.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    const length = Number(pdf.match(/<< \/Length (\d+) >>\nstream\n/)![1]);
    const body = pdf.indexOf('stream\n') + 'stream\n'.length;
    expect(pdf.slice(body + length, body + length + 10)).toBe('\nendstream');
  });

  it('escapes parentheses in labels, and says how many rows did not fit', () => {
    const pdf = kpiPdf(report(80), 'KPIs').toString('latin1');
    expect(pdf).toContain('(agent \\(3\\)) Tj');
    expect(pdf).toMatch(/\((\d+) more rows in kpis.csv \/ kpis.xlsx\) Tj/);
    const shown = (pdf.match(/\(agent \\\(\d+\\\)\) Tj/g) ?? []).length;
    const more = Number(pdf.match(/\((\d+) more rows/)![1]);
    expect(shown + more).toBe(80);
  });
});
