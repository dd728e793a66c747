import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallOutcome } from '../../src/ami/call-events';

/** What a real Asterisk 20 sent, and what each call really was: `tests/fixtures/asterisk-20/README.md`. */
export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'asterisk-20');

export function captureBytes(): Buffer {
  return readFileSync(join(FIXTURE_DIR, 'ami-capture.txt'));
}

/** The README's words for a correct reading, in the call record's vocabulary. */
const READING: Record<string, CallOutcome> = {
  connected: 'connected',
  machine: 'machine',
  busy: 'busy',
  'busy (rejected)': 'busy',
  'no answer': 'no_answer',
  failed: 'failed',
  'person hung up before an agent': 'abandoned',
};

export interface FixtureRow {
  attemptId: string;
  farEnd: string;
  reading: string;
  outcome: CallOutcome;
}

/** Every row of the README's table; throws on a reading it does not know, so a new row cannot be skipped. */
export function fixtureTable(): FixtureRow[] {
  const readme = readFileSync(join(FIXTURE_DIR, 'README.md'), 'utf8');
  const rows: FixtureRow[] = [];
  for (const line of readme.split('\n')) {
    const cells = /^\| (a-\d+) \| (.+?) \| (.+?) \|$/.exec(line.trim());
    if (!cells) continue;
    const outcome = READING[cells[3]];
    if (!outcome) throw new Error(`fixture README: no outcome for the reading "${cells[3]}"`);
    rows.push({ attemptId: cells[1], farEnd: cells[2], reading: cells[3], outcome });
  }
  return rows;
}
