import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeyringConfigError, MAKE_KEY_HINT, parseKeyring } from '@/lib/crypto/keyring';

// Resolves the master key and the session signing secret before the app
// starts. In production both must be configured; elsewhere a missing one is
// generated once into data/ (mode 0600) and a warning is logged.

const DATA_DIR = path.resolve(process.env.KEYHOLD_DATA_DIR ?? 'data');

function devSecret(file: string, what: string, loss: string): string {
  const full = path.join(DATA_DIR, file);
  if (fs.existsSync(full)) return fs.readFileSync(full, 'utf8').trim();
  fs.mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString('base64');
  fs.writeFileSync(full, `${value}\n`, { mode: 0o600, flag: 'wx' });
  console.warn(
    `[keyhold] WARNING: no ${what} configured; generated a development one in ${path.relative(process.cwd(), full)}. ` +
      `Set it in the environment for production. ${loss}`,
  );
  return value;
}

/** Returns an error line to print, or null when the configuration is usable. */
export function resolveRuntimeSecrets(production: boolean): string | null {
  if (!process.env.KEYHOLD_MASTER_KEY) {
    if (production) {
      return `KEYHOLD_MASTER_KEY is not set. Make one with: ${MAKE_KEY_HINT} and keep it safe.`;
    }
    process.env.KEYHOLD_MASTER_KEY = devSecret(
      'master.key',
      'KEYHOLD_MASTER_KEY',
      'Keep a backup: values encrypted under a lost master key cannot be recovered.',
    );
  }
  try {
    parseKeyring(process.env.KEYHOLD_MASTER_KEY);
  } catch (error) {
    if (error instanceof KeyringConfigError) return `${error.message}. Make one with: ${MAKE_KEY_HINT}`;
    throw error;
  }
  if (!process.env.NEXTAUTH_SECRET) {
    if (production) {
      return `NEXTAUTH_SECRET is not set. Make one with: ${MAKE_KEY_HINT}`;
    }
    process.env.NEXTAUTH_SECRET = devSecret('auth.secret', 'NEXTAUTH_SECRET', 'Changing it signs everyone out.');
  }
  return null;
}
