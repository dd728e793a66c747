/**
 * The same seeded month and the same figures on SQLite, the demo's database: there the
 * report reads raw calls (no rollup) and works days out from each client's UTC offset.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';

const dbFile = path.join(os.tmpdir(), `cms-kpi-${process.pid}-${Date.now()}.db`);
const saved = { ...process.env };
Object.assign(process.env, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: dbFile });
afterAll(() => {
  process.env = saved;
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./kpi-report.test');
