import { useCallback, useState } from 'react';

export type WorkspaceSettings = {
  /** Number keys choose a disposition; they can be turned off (WCAG 2.1.4: single-key shortcuts). */
  hotkeys: boolean;
  /** Submitting a disposition goes Ready at once; otherwise the agent is paused until they press Ready. */
  autoReady: boolean;
};

const DEFAULTS: WorkspaceSettings = { hotkeys: true, autoReady: true };
const key = (userId: number | undefined) => `collections.workspace-settings.${userId ?? 'anonymous'}`;

function read(userId: number | undefined): WorkspaceSettings {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(key(userId)) ?? '{}') };
  } catch {
    return DEFAULTS;
  }
}

/** Each agent's workspace choices, remembered in this browser under their user id. */
export function useWorkspaceSettings(userId: number | undefined): [WorkspaceSettings, (patch: Partial<WorkspaceSettings>) => void] {
  const [state, setState] = useState<{ userId: number | undefined; settings: WorkspaceSettings }>(() => ({ userId, settings: read(userId) }));
  // The identity arrives after the first render: read that agent's settings when it does.
  const settings = state.userId === userId ? state.settings : read(userId);
  if (state.userId !== userId) setState({ userId, settings });
  const update = useCallback(
    (patch: Partial<WorkspaceSettings>) =>
      setState((current) => {
        const next = { ...current.settings, ...patch };
        localStorage.setItem(key(current.userId), JSON.stringify(next));
        return { ...current, settings: next };
      }),
    [],
  );
  return [settings, update];
}
