const fs = require('fs');

/** USER_HZ on Linux: /proc counts CPU in these ticks. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat:
 * for processes that are not this one (cms in a cluster or a child, PostgreSQL's
 * backends). Null where there is no /proc or the process has ended.
 */
function processCpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * CPU ms each PostgreSQL backend of one database has used so far, by pid (same machine).
 * `query(sql)` answers rows. With `database`, `query` is a watcher's own connection, left out; without,
 * it is one of the measured pool's, and the database is the one it is connected to.
 */
async function databaseBackendsCpu(query, database = null) {
  const rows = await query(database
    ? `SELECT pid FROM pg_stat_activity WHERE datname = '${database.replace(/'/g, "''")}' AND pid <> pg_backend_pid()`
    : 'SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const out = new Map();
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms !== null) out.set(pid, ms);
  }
  return out;
}

/** What the backends used between two readings of databaseBackendsCpu (ms); a backend that began meanwhile counts from zero. */
function cpuBetween(before, after) {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

module.exports = { processCpuMs, databaseBackendsCpu, cpuBetween };
