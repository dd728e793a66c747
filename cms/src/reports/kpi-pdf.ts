import type { KpiReport } from './kpi-report';

const A4_LANDSCAPE = { w: 842, h: 595 };
const esc = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
const n = (v: number | null) => (v === null ? '-' : String(Math.round(v * 100) / 100));

/**
 * The report on one A4 page a manager can forward: the totals, a bar chart of
 * dials and connects per row, and the table (as many rows as fit; the page
 * says how many were left out). Plain PDF 1.4 with the standard Helvetica
 * font, written here: no PDF library for one page of text and rectangles.
 */
export function kpiPdf(report: KpiReport, title: string): Buffer {
  const { w, h } = A4_LANDSCAPE;
  const ops: string[] = [];
  const text = (x: number, y: number, size: number, s: string, bold = false) => ops.push(`BT /${bold ? 'F2' : 'F1'} ${size} Tf ${x} ${y} Td (${esc(s)}) Tj ET`);
  const rect = (x: number, y: number, rw: number, rh: number, rgb: string) => ops.push(`${rgb} rg ${x.toFixed(1)} ${y.toFixed(1)} ${rw.toFixed(1)} ${rh.toFixed(1)} re f`);
  const t = report.totals;
  text(36, h - 40, 16, title, true);
  text(36, h - 58, 9, `${report.meta.from} to ${report.meta.to}, by ${report.meta.groupBy}. Days in each client's time zone (${Object.values(report.meta.timeZones).join(', ') || 'UTC'}). Definitions: GET /api/reports/kpis meta.definitions.`);
  const tiles: Array<[string, string]> = [
    ['Dials', n(t.dials)], ['Connects', n(t.connects)], ['RPC', n(t.rightPartyContacts)], ['Promises', n(t.promises)], ['Kept rate', pct(t.keptRate)],
    ['Collected', n(t.collectedAmount)], ['Contact rate', pct(t.contactRate)], ['Abandon rate', pct(t.abandonRate)], ['AHT (s)', n(t.aht)],
  ];
  tiles.forEach(([label, value], i) => {
    const x = 36 + i * 86;
    text(x, h - 84, 8, label);
    text(x, h - 100, 13, value, true);
  });
  // Bars: dials (light) and connects (dark) per row, up to 31 rows.
  const rows = report.data.slice(0, 31);
  const chart = { x: 36, y: h - 230, w: w - 72, h: 110 };
  const top = Math.max(1, ...rows.map((r) => r.dials));
  const slot = chart.w / Math.max(1, rows.length);
  rows.forEach((r, i) => {
    const x = chart.x + i * slot + slot * 0.15;
    rect(x, chart.y, slot * 0.7, (r.dials / top) * chart.h, '0.68 0.78 0.93');
    rect(x, chart.y, slot * 0.7, (r.connects / top) * chart.h, '0.12 0.37 0.75');
  });
  ops.push('0 0 0 rg');
  text(chart.x, chart.y + chart.h + 6, 8, `Dials (light) and connects (dark) per ${report.meta.groupBy}; tallest bar ${top} dials`);
  // Table.
  const cols: Array<[string, number, (r: any) => string]> = [
    [report.meta.groupBy, 150, (r) => String(r.label).slice(0, 28)], ['Dials', 50, (r) => n(r.dials)], ['Conn.', 45, (r) => n(r.connects)], ['RPC', 40, (r) => n(r.rightPartyContacts)],
    ['PTP', 40, (r) => n(r.promises)], ['Promised', 60, (r) => n(r.promisedAmount)], ['Kept', 45, (r) => pct(r.keptRate)], ['Collected', 65, (r) => n(r.collectedAmount)],
    ['Contact', 50, (r) => pct(r.contactRate)], ['Abandon', 50, (r) => pct(r.abandonRate)], ['AHT', 40, (r) => n(r.aht)], ['Util.', 45, (r) => pct(r.utilization)], ['Occ.', 45, (r) => pct(r.occupancy)],
  ];
  let y = chart.y - 24;
  const line = (r: any, bold = false) => {
    let x = 36;
    for (const [, cw, f] of cols) {
      text(x, y, 7.5, f(r), bold);
      x += cw;
    }
    y -= 10.5;
  };
  let x0 = 36;
  for (const [label, cw] of cols) {
    text(x0, y, 7.5, label, true);
    x0 += cw;
  }
  y -= 10.5;
  const room = Math.floor((y - 40) / 10.5);
  const shown = report.data.slice(0, Math.max(0, room - 1));
  for (const r of shown) line(r);
  line({ ...t, label: 'Total' }, true);
  if (shown.length < report.data.length) text(36, 28, 8, `${report.data.length - shown.length} more rows in kpis.csv / kpis.xlsx`);
  return pdfDocument(ops.join('\n'), w, h);
}

function pdfDocument(content: string, w: number, h: number): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
