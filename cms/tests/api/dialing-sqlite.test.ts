/**
 * The hopper's rules on SQLite, the demo's database: it reads accounts, calls and callbacks with
 * its own statements (booleans come back as 0 and 1 there, dates as numbers), so the same suite
 * runs on both.
 */
import { onSqlite } from '../helpers/on-sqlite';

onSqlite('dialing');
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./dialing.test');
