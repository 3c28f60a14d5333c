import type { ChangedField, ChangeSummary } from '@/lib/deploys/schemas';
import { isPublicKey } from '@/lib/secrets/schemas';

// Pure: what a deployment changes against the last successful one, from the
// secret versions each was made of. Keys and field names only, never values.

/** One secret as a deployment records it (DeploymentSecret), or as it is now (Secret). */
export type DeployedItem = { secretId: string; key: string; version: number; revision: number };

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Which fields of one secret changed between two records of it:
 * - `value` when the version differs (or the secret was deleted and created
 *   again under the same key: versions of different secrets do not compare);
 * - `description/type` when the revision moved further than the version did.
 *   Every edit bumps the revision and a value edit also bumps the version, so
 *   more revision steps than version steps means some edit changed only the
 *   description or the type.
 */
export function changedFields(before: DeployedItem, after: DeployedItem): ChangedField[] {
  if (before.secretId !== after.secretId) return ['value'];
  const fields: ChangedField[] = [];
  const versionSteps = after.version - before.version;
  const revisionSteps = after.revision - before.revision;
  if (versionSteps !== 0) fields.push('value');
  if (revisionSteps !== versionSteps && revisionSteps !== 0) fields.push('description/type');
  return fields;
}

/**
 * The change summary from `base` (the last successful deployment; null before
 * the first) to `next`. Keys are matched exactly (they are case-sensitive) and
 * kept in Maps, so keys like `__proto__` are ordinary keys.
 */
export function diffDeployments(base: readonly DeployedItem[] | null, next: readonly DeployedItem[]): ChangeSummary {
  const before = new Map((base ?? []).map((item) => [item.key, item]));
  const after = new Map(next.map((item) => [item.key, item]));
  const summary: ChangeSummary = { added: [], changed: [], removed: [] };
  for (const [key, item] of after) {
    const old = before.get(key);
    if (!old) {
      summary.added.push({ key, rebuild: isPublicKey(key) });
      continue;
    }
    const fields = changedFields(old, item);
    if (fields.length > 0) summary.changed.push({ key, fields, rebuild: isPublicKey(key) && fields.includes('value') });
  }
  for (const key of before.keys()) {
    if (!after.has(key)) summary.removed.push({ key, rebuild: isPublicKey(key) });
  }
  summary.added.sort(byKey);
  summary.changed.sort(byKey);
  summary.removed.sort(byKey);
  return summary;
}

/** Pending changes: the working set changed after the one consumers read was taken (or there is none yet; a rollback's is older than itself). */
export function hasPendingChanges(changedAt: Date | null, liveSnapshotAt: Date | null): boolean {
  if (!changedAt) return false;
  if (!liveSnapshotAt) return true;
  return changedAt.getTime() > liveSnapshotAt.getTime();
}
