/**
 * The same seeded month and the same figures on SQLite, the demo's database: there the
 * report reads raw calls (no rollup) and works days out from each client's UTC offset.
 */
import { onSqlite } from '../helpers/on-sqlite';

onSqlite('kpi');
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./kpi-report.test');
