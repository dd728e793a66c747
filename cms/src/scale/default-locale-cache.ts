import type { Core } from '@strapi/strapi';
import { invalidationBusOf } from './invalidation-bus';

const TOPIC = 'default-locale';
/** A missed message (Redis restarting) is forgotten after this long at most. */
const MAX_AGE_MS = 60_000;

/**
 * Strapi reads the i18n default locale from its core store table on every
 * document write that carries relations and on several reads: two to three
 * statements for each call record the dialer writes, none of whose content
 * types is localized. The answer is kept until an admin sets another default
 * (in this process or, through the invalidation bus, another), and a minute at most.
 */
export function cacheDefaultLocale(strapi: Core.Strapi): void {
  const locales = strapi.plugin('i18n')?.service('locales') as any;
  if (!locales?.getDefaultLocale || !locales.setDefaultLocale) return;
  const read = locales.getDefaultLocale.bind(locales);
  const set = locales.setDefaultLocale.bind(locales);
  const bus = invalidationBusOf(strapi);
  let cached: { value: Promise<string | null>; at: number } | null = null;
  bus.subscribe(TOPIC, () => (cached = null));
  locales.getDefaultLocale = () => {
    const now = Date.now();
    if (!cached || now - cached.at > MAX_AGE_MS) {
      const value = read();
      cached = { value, at: now };
      // A failed read is not kept.
      value.catch(() => cached?.value === value && (cached = null));
    }
    return cached.value;
  };
  locales.setDefaultLocale = async (...args: unknown[]) => {
    try {
      return await set(...args);
    } finally {
      cached = null;
      bus.publish(TOPIC);
    }
  };
}
