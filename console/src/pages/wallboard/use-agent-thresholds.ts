import { useCallback, useState } from 'react';
import { useConsoleServices } from '@/providers/console-services';
import { readThresholds, thresholdsKey } from './agent-thresholds';
import type { Thresholds } from './pacing-wording';

/** The signed-in supervisor's thresholds for the agent grid, kept in this browser's localStorage. */
export function useAgentThresholds(): [Thresholds, (next: Thresholds) => void] {
  const { store } = useConsoleServices();
  const key = thresholdsKey(store.get()?.user.id ?? 'anonymous');
  const [thresholds, setThresholds] = useState(() => readThresholds(safeGet(key)));
  const save = useCallback(
    (next: Thresholds) => {
      const clean = readThresholds(JSON.stringify(next));
      try {
        localStorage.setItem(key, JSON.stringify(clean));
      } catch {
        // Storage full or disabled: the thresholds hold for this page only.
      }
      setThresholds(clean);
    },
    [key],
  );
  return [thresholds, save];
}

function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
