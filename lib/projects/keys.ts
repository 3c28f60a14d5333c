// No `server-only` marker: shared with the lean /api/v1 handler (see lib/db.ts).
import { open, seal, generateDataKey, wrapContext } from '@/lib/crypto/envelope';
import { parseKeyring, type Keyring } from '@/lib/crypto/keyring';
import { db, type Tx } from '@/lib/db';
import { env } from '@/lib/env';

// Project data keys: random 256-bit keys stored only wrapped by the master
// keyring. The newest project key version encrypts; every version decrypts.

let keyring: Keyring | undefined;
export const masterKeyring = (): Keyring => (keyring ??= parseKeyring(env().KEYHOLD_MASTER_KEY));

export async function createProjectKey(tx: Tx, projectId: string): Promise<void> {
  const ring = masterKeyring();
  const dataKey = generateDataKey();
  const version = 1;
  const wrappedKey = seal(ring.keys.get(ring.current)!, ring.current, dataKey, wrapContext(projectId, version));
  dataKey.fill(0);
  await tx.projectKey.create({ data: { projectId, version, masterKeyVersion: ring.current, wrappedKey } });
}

function unwrap(projectId: string, row: { version: number; wrappedKey: Uint8Array }): Buffer {
  return open((v) => masterKeyring().keys.get(v), row.wrappedKey, wrapContext(projectId, row.version), `project key ${row.version}`);
}

export type ProjectKeys = {
  /** The version and key that encrypt new values. */
  current: { version: number; key: Buffer };
  /** Finds the key for a stored blob's key version. */
  keyFor: (version: number) => Buffer | undefined;
};

export async function projectKeys(projectId: string, client: Tx | typeof db = db): Promise<ProjectKeys> {
  const rows = await client.projectKey.findMany({ where: { projectId }, orderBy: { version: 'desc' } });
  if (rows.length === 0) throw new Error(`project ${projectId} has no data key`);
  const keys = new Map(rows.map((row) => [row.version, unwrap(projectId, row)]));
  return { current: { version: rows[0].version, key: keys.get(rows[0].version)! }, keyFor: (v) => keys.get(v) };
}

/**
 * True when the configured master keys unwrap every stored project key (the
 * readiness check). Throws when the database cannot be read.
 */
export async function everyProjectKeyUnwraps(): Promise<boolean> {
  const rows = await db.projectKey.findMany({ select: { projectId: true, version: true, wrappedKey: true } });
  for (const row of rows) {
    try {
      unwrap(row.projectId, row).fill(0);
    } catch {
      return false;
    }
  }
  return true;
}

/** Counts encryptions per data key: random 96-bit nonces are safe up to ~2^32 per key. */
export async function countEncryption(tx: Tx, projectId: string, version: number): Promise<void> {
  await tx.projectKey.update({
    where: { projectId_version: { projectId, version } },
    data: { encryptions: { increment: 1 } },
  });
}
