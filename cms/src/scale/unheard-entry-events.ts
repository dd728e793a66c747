import path from 'path';
import type { Core } from '@strapi/strapi';

// The document service's event manager, the very module its repositories load (repository.js
// reads `events.createEventManager` when it builds each content type's repository). By file:
// @strapi/core exports no subpaths.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const events = require(path.join(path.dirname(require.resolve('@strapi/core/package.json')), 'dist/services/document-service/events.js'));

type Listener = (...args: unknown[]) => unknown;
type Hub = Record<string, any>;

const watched = new WeakSet<object>();
let managerPatched = false;
/** Who can hear an entry event, per Strapi instance (a test may boot two in one process). */
const audiences = new WeakMap<object, (eventName: string) => boolean>();

/**
 * After every document write Strapi reads the entry back with a deep populate (for a call: the
 * call, its account, client, campaign, agent, accounts and disposition, nine statements),
 * sanitises it and hands it to `strapi.eventHub`, whose only consumers are webhooks (the runner
 * listens to an event once an administrator adds a webhook for it) and Enterprise audit logs (a
 * subscriber). With none, the read is thrown away: about a third of the statements of a dialer's
 * call record. Here the event is emitted exactly as before whenever anything can hear it, and
 * skipped when nothing can. Strapi's hub keeps its listeners private, so its methods are wrapped
 * to keep count, before any plugin's bootstrap can listen.
 */
export function skipUnheardEntryEvents(strapi: Core.Strapi): void {
  const hub = strapi.eventHub as unknown as Hub;
  if (!watched.has(hub)) {
    watched.add(hub);
    const listeners = new Map<string, Listener[]>();
    const subscribers: Listener[] = [];
    const wrap = (name: string, track: (...args: any[]) => void) => {
      const original = hub[name].bind(hub);
      hub[name] = (...args: any[]) => {
        track(...args);
        return original(...args);
      };
    };
    const remove = (list: Listener[] | undefined, item: Listener) => {
      const at = list?.indexOf(item) ?? -1;
      if (at >= 0) list!.splice(at, 1);
    };
    // once() and addListener() go through on(), removeListener() and the returned closures through off()/unsubscribe().
    wrap('on', (eventName: string, listener: Listener) => listeners.set(eventName, [...(listeners.get(eventName) ?? []), listener]));
    wrap('off', (eventName: string, listener: Listener) => remove(listeners.get(eventName), listener));
    wrap('subscribe', (subscriber: Listener) => subscribers.push(subscriber));
    wrap('unsubscribe', (subscriber: Listener) => remove(subscribers, subscriber));
    wrap('removeAllListeners', () => listeners.clear());
    wrap('removeAllSubscribers', () => (subscribers.length = 0));
    audiences.set(strapi, (eventName) => subscribers.length > 0 || (listeners.get(eventName)?.length ?? 0) > 0);
  }
  if (managerPatched) return;
  managerPatched = true;
  const original = events.createEventManager;
  events.createEventManager = (instance: Core.Strapi, uid: string) => {
    const manager = original(instance, uid);
    return {
      ...manager,
      emitEvent(eventName: string, entry: unknown) {
        const heard = audiences.get(instance);
        if (heard && !heard(eventName)) return;
        return manager.emitEvent(eventName, entry);
      },
    };
  };
}

/** Whether an entry event would reach anyone now (tests). */
export function entryEventHeard(strapi: Core.Strapi, eventName: string): boolean {
  return audiences.get(strapi)?.(eventName) ?? true;
}
