import crypto from 'crypto';
import fs from 'fs';
import path from 'path';

export const SECRET_NAMES = [
  'APP_KEYS',
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
] as const;

export type SecretName = (typeof SECRET_NAMES)[number];

// Values that ship in templates and tutorials; a server holding debtors' data
// must never run on one of them.
const KNOWN_DEFAULTS = ['tobemodified', 'change-me', 'changeme', 'secret', 'password', 'example', 'default'];
const MIN_LENGTH = 16;

export function isDemoMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['1', 'true', 'yes'].includes(String(env.DEMO_MODE ?? '').toLowerCase());
}

/** Why a secret value is unacceptable, or null when it is fine. */
export function secretProblem(name: SecretName, value: string | undefined): string | null {
  if (!value || !value.trim()) return `${name} is missing`;
  const parts = name === 'APP_KEYS' ? value.split(',') : [value];
  for (const part of parts) {
    const lower = part.trim().toLowerCase();
    if (KNOWN_DEFAULTS.some((d) => lower.includes(d))) return `${name} is a default or example value`;
    if (part.trim().length < MIN_LENGTH) return `${name} is shorter than ${MIN_LENGTH} characters`;
  }
  return null;
}

function generate(name: SecretName): string {
  const one = () => crypto.randomBytes(24).toString('base64');
  return name === 'APP_KEYS' ? [one(), one(), one(), one()].join(',') : one();
}

let demoSecrets: Partial<Record<SecretName, string>> | null = null;

// Demo secrets are generated once and kept beside the demo database, so that
// tokens and encrypted values survive a restart of the demo.
function demoSecret(name: SecretName): string {
  const file = process.env.DEMO_SECRETS_FILE || path.join(process.cwd(), '.tmp', 'demo-secrets.json');
  if (!demoSecrets) {
    demoSecrets = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  }
  if (!demoSecrets[name]) {
    demoSecrets[name] = generate(name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(demoSecrets, null, 2), { mode: 0o600 });
  }
  return demoSecrets[name];
}

// `strapi build` loads the configuration but serves nothing; an image or a
// CI job must be able to build the admin panel without production secrets.
function isBuildOnly(argv: string[] = process.argv): boolean {
  return /strapi(\.js)?$/.test(argv[1] ?? '') && argv[2] === 'build';
}

/**
 * The value of a required secret. Outside demo mode a missing or default
 * secret stops the server at start-up with a message naming it.
 */
export function requireSecret(name: SecretName, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  const problem = secretProblem(name, value);
  if (!problem) return value;
  if (isDemoMode(env)) return demoSecret(name);
  if (isBuildOnly()) return generate(name);
  throw new Error(
    `Refusing to start: ${problem}. Set ${name} to a long random value (see config/.env.example at the repository root), ` +
      'or set DEMO_MODE=true for a throwaway demo.',
  );
}
