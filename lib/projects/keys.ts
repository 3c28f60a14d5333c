// No `server-only` marker: shared with the lean /api/v1 handler (see lib/db.ts).
import { open, seal, generateDataKey, wrapContext, type SealedBlob } from '@/lib/crypto/envelope';
import { parseKeyring, type Keyring } from '@/lib/crypto/keyring';
import { db, type Tx } from '@/lib/db';
import { env } from '@/lib/env';

// Project data keys: random 256-bit keys stored only wrapped by the master
// keyring. The newest project key version encrypts; every version decrypts.
// Nothing here is cached: every write reads the project's newest key version
// in its own call, so a rotation (lib/keys/) is picked up by the next write.

let keyring: Keyring | undefined;
export const masterKeyring = (): Keyring => (keyring ??= parseKeyring(env().KEYHOLD_MASTER_KEY));

/** Wraps a data key under the newest master key version. */
export function wrapDataKey(projectId: string, version: number, dataKey: Buffer): { masterKeyVersion: number; wrappedKey: SealedBlob } {
  const ring = masterKeyring();
  return { masterKeyVersion: ring.current, wrappedKey: seal(ring.keys.get(ring.current)!, ring.current, dataKey, wrapContext(projectId, version)) };
}

/** Adds data key `version` to a project (version 1 when the project is created, newer ones on rotation). */
export async function createProjectKey(tx: Tx, projectId: string, version = 1): Promise<void> {
  const dataKey = generateDataKey();
  const wrapped = wrapDataKey(projectId, version, dataKey);
  dataKey.fill(0);
  await tx.projectKey.create({ data: { projectId, version, ...wrapped } });
}

/** Opens a wrapped data key with the configured master keys (IntegrityError when none fits). */
export function unwrapDataKey(projectId: string, row: { version: number; wrappedKey: Uint8Array }): Buffer {
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
  const keys = new Map(rows.map((row) => [row.version, unwrapDataKey(projectId, row)]));
  return { current: { version: rows[0].version, key: keys.get(rows[0].version)! }, keyFor: (v) => keys.get(v) };
}
