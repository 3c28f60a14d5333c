// No `server-only` marker: used by lib/secrets/authorized.ts's callers outside Next too (see lib/db.ts).
import { decryptValue } from '@/lib/crypto/envelope';
import type { db, Tx } from '@/lib/db';
import type { ProjectKeys } from '@/lib/projects/keys';

/** Rows per query: far below SQL parameter limits. */
const CHUNK = 250;

/** The current values of some secrets of one project, by secret id. Server-side only: never returned to a caller outside lib/. */
export async function currentValues(
  client: Tx | typeof db,
  keys: ProjectKeys,
  secrets: readonly { id: string; currentVersion: number }[],
): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const versionOf = new Map(secrets.map((s) => [s.id, s.currentVersion]));
  for (let i = 0; i < secrets.length; i += CHUNK) {
    const chunk = secrets.slice(i, i + CHUNK);
    const rows = await client.secretVersion.findMany({
      where: { OR: chunk.map((s) => ({ secretId: s.id, version: s.currentVersion })) },
      select: { secretId: true, blob: true },
    });
    for (const row of rows) values.set(row.secretId, decryptValue(keys.keyFor, row.blob, row.secretId, versionOf.get(row.secretId)!));
  }
  return values;
}
