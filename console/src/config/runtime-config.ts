export type RuntimeConfig = { cmsUrl: string; workerUrl: string; idleLogoutMinutes: number };

const DEFAULTS: RuntimeConfig = { cmsUrl: 'http://localhost:1337', workerUrl: 'http://localhost:4000', idleLogoutMinutes: 30 };

/**
 * Where cms and the worker are is decided where the console is served (`/config.json`, written by
 * console/server), not at build time: one build runs against any cms.
 */
export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    if (!res.ok) return DEFAULTS;
    return { ...DEFAULTS, ...((await res.json()) as Partial<RuntimeConfig>) };
  } catch {
    return DEFAULTS;
  }
}
