import fs from 'fs';
import path from 'path';
import type { ComplianceRules } from '../../../protocol/compliance-rules';

export type { ComplianceRules };

let cached: ComplianceRules | undefined;

/**
 * The legal numbers of the repository's config/compliance.json, the file cms reads too. The
 * worker runs from src/ (tsx, tests) and from dist/src/ (npm start), so both depths are tried,
 * unless SHARED_CONFIG_DIR says where (containers).
 */
export function complianceRules(env: NodeJS.ProcessEnv = process.env): ComplianceRules {
  if (cached) return cached;
  const candidates = [env.SHARED_CONFIG_DIR, path.resolve(__dirname, '../../../config'), path.resolve(__dirname, '../../../../config')].filter(Boolean) as string[];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'compliance.json')));
  if (!dir) throw new Error(`dialer-worker: config/compliance.json not found (looked in ${candidates.join(', ')}); set SHARED_CONFIG_DIR`);
  cached = JSON.parse(fs.readFileSync(path.join(dir, 'compliance.json'), 'utf8')) as ComplianceRules;
  return cached;
}
