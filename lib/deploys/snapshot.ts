import { open, seal, snapshotContext } from '@/lib/crypto/envelope';
import { db, type Tx } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { projectKeys, type ProjectKeys } from '@/lib/projects/keys';

// A deployment keeps every key and value of its environment as ONE encrypted
// blob: consumers decrypt once per deployment and serve many reads from it.
// Plaintext is a JSON array of [key, value] pairs sorted by key, read back
// into a Map, so keys like `__proto__` survive.

export type DeployedSecrets = ReadonlyMap<string, string>;

export function sealSnapshot(keys: ProjectKeys, deploymentId: string, secrets: DeployedSecrets) {
  const pairs = [...secrets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return seal(keys.current.key, keys.current.version, Buffer.from(JSON.stringify(pairs), 'utf8'), snapshotContext(deploymentId));
}

export function openSnapshot(keys: Pick<ProjectKeys, 'keyFor'>, deploymentId: string, blob: Uint8Array): DeployedSecrets {
  const json = open(keys.keyFor, blob, snapshotContext(deploymentId), `deployment ${deploymentId}`).toString('utf8');
  return new Map(JSON.parse(json) as [string, string][]);
}

export type LiveDeployment = { id: string; number: number; projectId: string; environmentId: string; createdAt: Date };

/**
 * The deployment consumers read: an environment's latest SUCCEEDED one (by
 * number). The one place this rule is written: as a relation filter
 * (`deployments: { ...LATEST_SUCCEEDED, select }`) or through latestSucceeded.
 */
export const LATEST_SUCCEEDED = { where: { status: 'SUCCEEDED' }, orderBy: { number: 'desc' }, take: 1 } as const;

/** An environment's live deployment with the fields of `select`, or null before the first. */
export function latestSucceeded<S extends Prisma.DeploymentSelect>(environmentId: string, select: S, client: Tx | typeof db = db) {
  return client.deployment.findFirst({ where: { environmentId, ...LATEST_SUCCEEDED.where }, orderBy: LATEST_SUCCEEDED.orderBy, select });
}

export async function liveDeployment(environmentId: string): Promise<LiveDeployment | null> {
  return latestSucceeded(environmentId, { id: true, number: true, projectId: true, environmentId: true, createdAt: true });
}

/** Decrypts a deployment's snapshot (one database read for the blob, one for the project keys). */
export async function readSnapshot(deployment: Pick<LiveDeployment, 'id' | 'projectId'>): Promise<DeployedSecrets> {
  const [row, keys] = await Promise.all([
    db.deployment.findUniqueOrThrow({ where: { id: deployment.id }, select: { snapshot: true } }),
    projectKeys(deployment.projectId),
  ]);
  return openSnapshot(keys, deployment.id, row.snapshot);
}
