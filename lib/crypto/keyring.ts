// The master keyring: every configured version unwraps, the newest wraps.
// KEYHOLD_MASTER_KEY is either one base64 key (version 1) or a comma-separated
// list of `version:base64` entries, e.g. `1:abc...=,2:def...=`.

export type Keyring = {
  /** The newest version: it wraps new project data keys. */
  readonly current: number;
  readonly keys: ReadonlyMap<number, Buffer>;
};

export class KeyringConfigError extends Error {}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeKey(text: string, label: string): Buffer {
  const trimmed = text.trim();
  const key = BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new KeyringConfigError(`${label} must be 32 random bytes in base64 (44 characters)`);
  }
  return key;
}

export function parseKeyring(value: string): Keyring {
  const entries = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyringConfigError('KEYHOLD_MASTER_KEY is empty');
  const keys = new Map<number, Buffer>();
  if (entries.length === 1 && !entries[0].includes(':')) {
    keys.set(1, decodeKey(entries[0], 'KEYHOLD_MASTER_KEY'));
  } else {
    for (const entry of entries) {
      const match = /^(\d{1,9}):(.+)$/.exec(entry);
      if (!match) throw new KeyringConfigError('KEYHOLD_MASTER_KEY entries must look like `version:base64key`');
      const version = Number(match[1]);
      if (version < 1) throw new KeyringConfigError('master key versions start at 1');
      if (keys.has(version)) throw new KeyringConfigError(`master key version ${version} is listed twice`);
      keys.set(version, decodeKey(match[2], `master key version ${version}`));
    }
  }
  return { current: Math.max(...keys.keys()), keys };
}

export const MAKE_KEY_HINT = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;
