export type RuntimeConfig = { cmsUrl: string; workerUrl: string; idleLogoutMinutes?: number };
export function startConsoleServer(options: { root: string; port: number; host?: string; runtimeConfig: RuntimeConfig }): Promise<{ url: string; port: number; close: () => Promise<void> }>;
