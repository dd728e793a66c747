import { isDemoMode } from '../security/secrets';

/** The demo's shared secret for provider webhooks, printed with the demo logins. */
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';

/** The secret providers sign their events with; null when none is configured (the webhook then refuses every event). */
export function telephonyWebhookSecret(env: NodeJS.ProcessEnv = process.env): string | null {
  const set = env.TELEPHONY_WEBHOOK_SECRET?.trim();
  if (set) return set;
  return isDemoMode(env) ? DEMO_WEBHOOK_SECRET : null;
}
