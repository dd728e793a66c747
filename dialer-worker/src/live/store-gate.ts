/**
 * Open while the worker's Redis is connected and its state has been checked (same generation, or
 * rebuilt after coming back empty). Work that needs Redis waits here while it is closed, instead
 * of failing after ioredis's retries and being lost; it runs, in the order it came, once open.
 */
export class StoreGate {
  private open = true;
  private waiters: Array<() => void> = [];

  isOpen(): boolean {
    return this.open;
  }

  close(): void {
    this.open = false;
  }

  reopen(): void {
    this.open = true;
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }

  wait(): Promise<void> {
    return this.open ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
