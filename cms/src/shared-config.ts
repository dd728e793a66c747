import type { ComplianceRules } from '../../protocol/compliance-rules';
import fs from 'fs';
import path from 'path';

/**
 * The repository's top-level config/ holds what cms, console and worker share
 * as data. cms runs from source (tests) and from dist/ (start), so look in
 * both places, unless SHARED_CONFIG_DIR says where (containers).
 */
function sharedConfigDir(): string {
  const candidates = [
    process.env.SHARED_CONFIG_DIR,
    path.resolve(__dirname, '../../config'),
    path.resolve(__dirname, '../../../config'),
  ].filter(Boolean) as string[];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'roles.json')));
  if (!found) throw new Error(`Shared config not found (looked in ${candidates.join(', ')}); set SHARED_CONFIG_DIR`);
  return found;
}

const cache = new Map<string, unknown>();

export function sharedConfig<T>(name: 'roles' | 'dispositions' | 'compliance' | 'promises'): T {
  if (!cache.has(name)) {
    cache.set(name, JSON.parse(fs.readFileSync(path.join(sharedConfigDir(), `${name}.json`), 'utf8')));
  }
  return cache.get(name) as T;
}

/** The numbers of config/compliance.json, as protocol/ describes them for cms and the dialer-worker. */
export type Compliance = ComplianceRules;

/** config/promises.json: grace days and the callback a broken promise raises. */
export type PromiseRules = {
  graceDays: number;
  brokenPromiseCallback: { enabled: boolean; alsoPartiallyKept: boolean; dueInHours: number };
  evaluateCron: string;
};
