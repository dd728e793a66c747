import fs from 'fs';
import os from 'os';
import path from 'path';

/**
 * Points the cms this test file boots at a SQLite file of its own (the demo's database), and
 * removes it afterwards: a suite written for PostgreSQL then runs there too, by requiring it next.
 */
export function onSqlite(label: string): void {
  const dbFile = path.join(os.tmpdir(), `cms-${label}-${process.pid}-${Date.now()}.db`);
  const saved = { ...process.env };
  Object.assign(process.env, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: dbFile });
  afterAll(() => {
    process.env = saved;
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
  });
}
