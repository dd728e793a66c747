import fs from 'fs';
import os from 'os';
import path from 'path';
import { requireSecret, secretProblem } from '../../src/security/secrets';

describe('secretProblem', () => {
  it.each([
    ['JWT_SECRET', undefined, /missing/],
    ['JWT_SECRET', 'tobemodified', /default/],
    ['APP_KEYS', 'aVeryLongRandomKeyNumberOne1,toBeModified2', /default/],
    ['APP_KEYS', 'aVeryLongRandomKeyNumberOne1,short', /shorter/],
  ] as const)('%s=%p is refused', (name, value, why) => expect(secretProblem(name, value)).toMatch(why));
  it('accepts long random values', () => expect(secretProblem('APP_KEYS', 'q8Zr0vX3mN4pL1sK9tY2,w7Bc5Hd6Jf8Gk0Lm2Nq4')).toBeNull());
});

describe('requireSecret', () => {
  it('throws outside demo mode, naming the secret', () => {
    expect(() => requireSecret('ENCRYPTION_KEY', { DEMO_MODE: 'false' })).toThrow(/Refusing to start: ENCRYPTION_KEY is missing/);
  });

  it('in demo mode generates a secret once and keeps it', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-')), 'demo-secrets.json');
    process.env.DEMO_SECRETS_FILE = file;
    try {
      const first = requireSecret('ADMIN_JWT_SECRET', { DEMO_MODE: 'true' });
      expect(secretProblem('ADMIN_JWT_SECRET', first)).toBeNull();
      expect(JSON.parse(fs.readFileSync(file, 'utf8')).ADMIN_JWT_SECRET).toBe(first);
      expect(requireSecret('ADMIN_JWT_SECRET', { DEMO_MODE: 'true' })).toBe(first);
    } finally {
      delete process.env.DEMO_SECRETS_FILE;
    }
  });
});
