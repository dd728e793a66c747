import { useSyncExternalStore } from 'react';

/**
 * One clock for every timer on screen, ticking each second while something reads it. A component
 * re-renders only when what it reads of it changes (the second, the minute, a moment reached):
 * the page around the timers does not re-render with them.
 */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (!listeners.size) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

// Nothing subscribed yet (the first timer mounting): the time now, not when the clock last ran.
const read = () => (timer ? now : (now = Date.now()));

/** The current time, re-rendering every second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, read);
}

/** The current time floored to the minute, re-rendering once a minute. */
export function useMinute(): number {
  return useSyncExternalStore(subscribe, () => Math.floor(read() / 60_000) * 60_000);
}

/** Whether the clock has reached `at` (never for null), re-rendering only when that flips. */
export function useReached(at: number | null): boolean {
  return useSyncExternalStore(subscribe, () => at !== null && read() >= at);
}
