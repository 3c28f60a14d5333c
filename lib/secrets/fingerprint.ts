// Keyed fingerprints of secret values (issue 12, "Guards"): equal values are
// found without decrypting anything, and the fingerprints reveal nothing to
// someone who has the database but not the master key. Never a plain hash
// (a low-entropy value would fall to a dictionary), never sent to a browser.
//
//   fingerprint = `<master key version>:` ‖ base64url(HMAC-SHA256(K, value))
//   K = HKDF-SHA256(newest master key, info = keyhold/value-fingerprint/<project id>)
//
// One key per project: values are compared within a project only. The version
// prefix says which master key K came from; after a master key rotation every
// fingerprint is recomputed (rotate-master calls refreshAllFingerprints; the
// secrets page also refreshes a project whose rows it shows are stale).
// No `server-only` marker: lib/secrets/authorized.ts uses it outside Next too.
import { createHmac, hkdfSync } from 'node:crypto';
import { db } from '@/lib/db';
import { masterKeyring, projectKeys } from '@/lib/projects/keys';
import { currentValues } from '@/lib/secrets/values';

export type Fingerprinter = (value: string) => string;

/** Fingerprints values of one project under the newest configured master key. */
export function fingerprinter(projectId: string): Fingerprinter {
  const ring = masterKeyring();
  const key = Buffer.from(hkdfSync('sha256', ring.keys.get(ring.current)!, Buffer.alloc(0), `keyhold/value-fingerprint/${projectId}`, 32));
  const prefix = `${ring.current}:`;
  return (value) => prefix + createHmac('sha256', key).update(value, 'utf8').digest('base64url');
}

/** True when a stored fingerprint is missing or made under another master key than the newest. */
export const isStaleFingerprint = (fingerprint: string | null) => fingerprint === null || !fingerprint.startsWith(`${masterKeyring().current}:`);

const staleWhere = () => ({ OR: [{ valueFingerprint: null }, { NOT: { valueFingerprint: { startsWith: `${masterKeyring().current}:` } } }] });

const BATCH = 500;

/**
 * Computes the missing or stale fingerprints of a project's secrets, a batch
 * per transaction. A row whose value changed meanwhile is left to its writer
 * (which stored its own fingerprint). Returns how many rows it updated.
 */
export async function refreshFingerprints(projectId: string, onBatch?: (done: number) => void): Promise<number> {
  const fingerprint = fingerprinter(projectId);
  const keys = await projectKeys(projectId);
  let after: string | null = null;
  let done = 0;
  for (;;) {
    const rows: { id: string; currentVersion: number }[] = await db.secret.findMany({
      where: { projectId, ...staleWhere(), ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: 'asc' },
      take: BATCH,
      select: { id: true, currentVersion: true },
    });
    if (rows.length === 0) return done;
    after = rows[rows.length - 1].id;
    const values = await currentValues(db, keys, rows);
    await db.$transaction(
      rows
        .filter((row) => values.has(row.id))
        .map((row) =>
          db.secret.updateMany({
            where: { id: row.id, currentVersion: row.currentVersion },
            data: { valueFingerprint: fingerprint(values.get(row.id)!) },
          }),
        ),
    );
    done += rows.length;
    onBatch?.(done);
    if (rows.length < BATCH) return done;
  }
}

/** Every project's stale fingerprints (after a master key rotation). */
export async function refreshAllFingerprints(progress?: (done: number, total: number) => void): Promise<number> {
  const total = await db.secret.count({ where: staleWhere() });
  const projects = await db.project.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  let done = 0;
  progress?.(0, total);
  for (const { id } of projects) {
    const before = done;
    done += await refreshFingerprints(id, (n) => progress?.(Math.min(before + n, total), total));
  }
  return done;
}
