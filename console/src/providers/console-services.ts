import { createContext, useContext } from 'react';
import type { RuntimeConfig } from '@/config/runtime-config';
import { roleAccessControl } from './access-control-provider';
import { cmsAuthProvider } from './auth-provider';
import { strapiDataProvider } from './data-provider';
import { workerLiveProvider } from './live-provider';
import { SessionStore } from './session-store';
import { WorkerConnection } from './worker-connection';

export type ConsoleServices = ReturnType<typeof createConsoleServices>;

/** Every provider of one console, built from where cms and the worker are. */
export function createConsoleServices(config: RuntimeConfig) {
  const store = new SessionStore();
  const worker = new WorkerConnection(config.workerUrl, store);
  return {
    config,
    store,
    dataProvider: strapiDataProvider({ cmsUrl: config.cmsUrl, token: () => store.token() }),
    authProvider: cmsAuthProvider({ cmsUrl: config.cmsUrl, store, idleLogoutMinutes: config.idleLogoutMinutes }),
    accessControlProvider: roleAccessControl(store),
    liveProvider: workerLiveProvider(worker),
    worker,
  };
}

export const ConsoleServicesContext = createContext<ConsoleServices | null>(null);

export function useConsoleServices(): ConsoleServices {
  const services = useContext(ConsoleServicesContext);
  if (!services) throw new Error('useConsoleServices outside ConsoleServicesContext');
  return services;
}
