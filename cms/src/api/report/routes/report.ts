export default {
  routes: [
    { method: 'GET', path: '/reports/kpis', handler: 'api::report.report.kpis', config: {} },
    { method: 'GET', path: '/reports/kpis.csv', handler: 'api::report.report.kpisCsv', config: {} },
    { method: 'GET', path: '/reports/kpis.xlsx', handler: 'api::report.report.kpisXlsx', config: {} },
    { method: 'GET', path: '/reports/kpis.pdf', handler: 'api::report.report.kpisPdf', config: {} },
  ],
};
