/**
 * The statistics book against a store whose writes fail on demand. A stand-in for Redis
 * here: a real Redis cannot be made to refuse one write and accept the next on cue.
 */
import { CampaignStatsBook, type StatsStore } from '../src/dialing/campaign-stats-book';

class FlakyStore implements StatsStore {
  saved = new Map<string, string>();
  failNext = 0;
  writes = 0;
  async stats(): Promise<string | null> {
    return null;
  }
  async putStats(id: string, json: string): Promise<void> {
    this.writes++;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('READONLY You can\'t write against a read only replica.');
    }
    this.saved.set(id, json);
  }
}

const OPTIONS = { abandonTarget: 0.03, windowHours: 720 };

describe('CampaignStatsBook', () => {
  it('after one failed write, later changes are still saved, and the failure is logged, not thrown', async () => {
    const store = new FlakyStore();
    const logs: string[] = [];
    const book = new CampaignStatsBook(store, (m) => logs.push(m), 60_000);
    await book.load('c1', OPTIONS);
    store.failNext = 1;
    book.recordTalk('c1', 100);
    await expect(book.settled()).resolves.toBeUndefined();
    expect(logs).toEqual(['saving pacing statistics failed; kept for the next save']);
    book.recordTalk('c1', 200);
    await book.settled();
    expect(JSON.parse(store.saved.get('c1')!)).toEqual(JSON.parse(JSON.stringify(book.get('c1'))));
    expect(book.unsaved()).toEqual([]);
    book.stop();
  });

  it('retries a failed save on its own, without waiting for the next change', async () => {
    const store = new FlakyStore();
    const book = new CampaignStatsBook(store, () => undefined, 50);
    await book.load('c1', OPTIONS);
    // The change's own save and settled()'s attempt both fail.
    store.failNext = 2;
    book.recordWrap('c1', 30);
    await book.settled();
    expect(book.unsaved()).toEqual(['c1']);
    const deadline = Date.now() + 2000;
    while (!store.saved.has('c1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(store.saved.has('c1')).toBe(true);
    expect(book.unsaved()).toEqual([]);
    book.stop();
  });

  it('one failing campaign does not keep another from being saved', async () => {
    const store = new FlakyStore();
    const book = new CampaignStatsBook(store, () => undefined, 60_000);
    await book.load('c1', OPTIONS);
    await book.load('c2', OPTIONS);
    store.failNext = 1;
    book.recordTalk('c1', 10);
    book.recordTalk('c2', 10);
    await book.settled();
    expect(store.saved.has('c2')).toBe(true);
    book.stop();
  });
});
