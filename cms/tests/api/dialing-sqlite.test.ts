/**
 * The hopper's rules on SQLite, the demo's database: it reads accounts, calls and callbacks with
 * its own statements (booleans come back as 0 and 1 there, dates as numbers), so the same suite
 * runs on both.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';

const dbFile = path.join(os.tmpdir(), `cms-dialing-${process.pid}-${Date.now()}.db`);
const saved = { ...process.env };
Object.assign(process.env, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: dbFile });
afterAll(() => {
  process.env = saved;
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./dialing.test');
