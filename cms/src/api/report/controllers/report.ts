import type { Core } from '@strapi/strapi';
import { resolveAccess } from '../../../access/access-context';
import { kpiCsv, kpiTable } from '../../../reports/kpi-table';
import { xlsxWorkbook } from '../../../reports/xlsx-writer';
import { kpiPdf } from '../../../reports/kpi-pdf';

const fileName = (q: any, ext: string) => `kpis-${String(q.groupBy ?? 'day').replace(/[^a-z]/g, '')}-${String(q.from ?? '').replace(/[^0-9-]/g, '')}-${String(q.to ?? '').replace(/[^0-9-]/g, '')}.${ext}`;

/** GET /api/reports/kpis[.csv|.xlsx]: one report, three shapes; the figures are the same in each. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const report = (ctx: any) => strapi.service('api::report.report').kpis(ctx.query ?? {}, resolveAccess(strapi, ctx));
  return {
    async kpis(ctx: any) {
      ctx.body = await report(ctx);
    },
    async kpisCsv(ctx: any) {
      const r = await report(ctx);
      ctx.set('Content-Disposition', `attachment; filename="${fileName(ctx.query, 'csv')}"`);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.body = kpiCsv(r);
    },
    async kpisXlsx(ctx: any) {
      const r = await report(ctx);
      ctx.set('Content-Disposition', `attachment; filename="${fileName(ctx.query, 'xlsx')}"`);
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.body = xlsxWorkbook('KPIs', kpiTable(r));
    },
    async kpisPdf(ctx: any) {
      const r = await report(ctx);
      ctx.set('Content-Disposition', `attachment; filename="${fileName(ctx.query, 'pdf')}"`);
      ctx.type = 'application/pdf';
      ctx.body = kpiPdf(r, 'Collections KPIs');
    },
  };
};
