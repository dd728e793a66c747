/** "1 call", "12 calls": a list's total as its footer says it. */
export const countLabel = (noun: string, plural = `${noun}s`) => (total: number) => `${total.toLocaleString('en-US')} ${total === 1 ? noun : plural}`;
