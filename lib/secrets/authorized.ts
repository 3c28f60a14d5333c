// The one implementation of secret writes, for callers that have ALREADY
// authorized the actor they pass (hence `authorized…`); nothing here reads a
// session or a token. Two callers: a signed-in user's `createSecret` & co.
// (lib/secrets/mutations.ts, role checked there) and the machine API's
// `machineCreateSecret` & co. (lib/api/operations.ts: a token's scope, or
// Keyhold's own server code). No `server-only` marker: server.ts loads the
// /api/v1 handler outside Next's bundler (see lib/db.ts).
//
// Each change, its encrypted version and its audit event are one transaction;
// every write is scoped to its project (and, for machine callers, to the
// environment of the token); edits carry the revision they started from.
import { randomUUID } from 'node:crypto';
import { recordAudit, type AuditActor } from '@/lib/audit/mutations';
import { encryptValue } from '@/lib/crypto/envelope';
import { db, isUniqueViolation, SECRET_WRITE_TRANSACTION, type Tx } from '@/lib/db';
import { conflict, invalid, noChanges, notFound, publicCredential } from '@/lib/errors';
import { countEncryption } from '@/lib/keys/rotate-project';
import { projectKeys } from '@/lib/projects/keys';
import { decryptValue } from '@/lib/crypto/envelope';
import { environmentLabel } from '@/lib/projects/schemas';
import { fingerprinter } from '@/lib/secrets/fingerprint';
import { isPublicKey, MESSAGES, publicCredentialProblem, SECRET_TYPE_LABELS, type SecretType } from '@/lib/secrets/schemas';

/** Where a write may land: a project, and for machine callers one environment of it. */
export type SecretScope = { projectId: string; environmentId?: string };

/** `allowPublicCredential`: publish a credential-looking NEXT_PUBLIC_ value anyway (recorded in the audit event). */
export type NewSecret = { key: string; value: string; description: string; type: SecretType; allowPublicCredential?: boolean };

/**
 * A partial change. Absent fields stay as they are; `value` present means a
 * new version. `revision`, when given, is the revision the edit started from
 * (the UI's optimistic concurrency); without it the revision read here is
 * used, so a change committed in between still loses cleanly (409).
 */
export type SecretPatch = {
  key?: string;
  value?: string;
  description?: string;
  type?: SecretType;
  revision?: number;
  allowPublicCredential?: boolean;
};

/** Set only by a restore (lib/secrets/mutations.ts): the earlier version whose value `value` carries again. */
export type ChangeOrigin = { restoredFrom?: number };

export const SECRET_GONE = 'This secret no longer exists. Reload the page.';

/** The environment now differs from its last deployment (see Environment.changedAt). */
const markChanged = (tx: Tx, environmentId: string) => tx.environment.update({ where: { id: environmentId }, data: { changedAt: new Date() } });

// A conflict (the HTTP API's 409) shown next to the key field.
const keyExists = () => conflict(MESSAGES.keyExists, { key: MESSAGES.keyExists });

/**
 * Refuses a credential-looking value under a NEXT_PUBLIC_ key unless the
 * caller allowed it; answers the audit detail to record when it was allowed.
 */
function checkPublicCredential(key: string, value: string, allowed = false): { publicCredentialOverride: true } | Record<string, never> {
  const problem = publicCredentialProblem(key, value);
  if (!problem) return {};
  if (!allowed) throw publicCredential(problem);
  return { publicCredentialOverride: true };
}

const typeLabel = (type: string) => SECRET_TYPE_LABELS[type as SecretType] ?? type;

const secretWhere = (scope: SecretScope, secretId: string) => ({
  id: secretId,
  projectId: scope.projectId,
  ...(scope.environmentId ? { environmentId: scope.environmentId } : {}),
});

/**
 * Creates the secret in `scope.environmentId` and, with the same value, in each
 * of `alsoEnvironmentIds` (other environments of the project): one
 * transaction, one audit event per environment.
 */
export async function authorizedCreateSecret(
  actor: AuditActor,
  scope: Required<SecretScope>,
  input: NewSecret,
  alsoEnvironmentIds: readonly string[] = [],
): Promise<{ id: string }> {
  const { projectId } = scope;
  const targetIds = [...new Set([scope.environmentId, ...alsoEnvironmentIds])];
  const environments = await db.environment.findMany({ where: { id: { in: targetIds }, projectId }, select: { id: true, name: true } });
  const names = new Map(environments.map((e) => [e.id, e.name]));
  if (!names.has(scope.environmentId)) throw notFound('Environment not found');
  if (names.size !== targetIds.length) throw invalid(MESSAGES.alsoEnvironmentMissing, { alsoEnvironmentIds: MESSAGES.alsoEnvironmentMissing });
  const override = checkPublicCredential(input.key, input.value, input.allowPublicCredential);

  const keys = await projectKeys(projectId);
  const fingerprint = fingerprinter(projectId)(input.value);
  const created = targetIds.map((environmentId) => {
    const id = randomUUID();
    return { id, environmentId, blob: encryptValue(keys.current.key, keys.current.version, input.value, id, 1) };
  });
  try {
    await db.$transaction(async (tx) => {
      if (targetIds.length > 1) {
        // Name the environment that already has the key (the unique index below would only say "exists").
        const taken = await tx.secret.findMany({
          where: { projectId, environmentId: { in: targetIds }, keyFolded: input.key.toLowerCase() },
          select: { environmentId: true },
        });
        if (taken.some((t) => t.environmentId === scope.environmentId)) throw keyExists();
        if (taken.length > 0) {
          const message = `A secret with this key already exists in ${environmentLabel(names.get(taken[0].environmentId)!)}`;
          throw invalid(message, { alsoEnvironmentIds: message });
        }
      }
      // In environment-id order, whatever order the caller named them: two creates over the same environments
      // then take the key's unique entries and the environments' rows in one order (no deadlock on PostgreSQL).
      const inLockOrder = [...created].sort((a, b) => (a.environmentId < b.environmentId ? -1 : 1));
      for (const { id, environmentId, blob } of inLockOrder) {
        await tx.secret.create({
          data: {
            id,
            projectId,
            environmentId,
            key: input.key,
            keyFolded: input.key.toLowerCase(),
            description: input.description,
            type: input.type,
            currentVersion: 1,
            valueFingerprint: fingerprint,
            createdById: actor.userId,
            updatedById: actor.userId,
            versions: { create: { version: 1, blob, createdById: actor.userId } },
          },
        });
      }
      // Locks in one order everywhere (secret, environment, project key), so concurrent writers on PostgreSQL never deadlock.
      for (const { environmentId } of inLockOrder) await markChanged(tx, environmentId);
      await countEncryption(tx, projectId, keys.current.version, created.length);
      for (const { id, environmentId } of created) {
        await recordAudit(tx, actor, {
          projectId,
          action: 'secret.created',
          targetType: 'secret',
          targetId: id,
          targetLabel: input.key,
          environment: names.get(environmentId)!,
          details: { type: input.type, version: 1, ...override },
        });
      }
    }, SECRET_WRITE_TRANSACTION);
  } catch (error) {
    if (isUniqueViolation(error)) throw keyExists();
    throw error;
  }
  return { id: created[0].id };
}

export async function authorizedChangeSecret(
  actor: AuditActor,
  scope: SecretScope,
  secretId: string,
  patch: SecretPatch,
  { restoredFrom }: ChangeOrigin = {},
): Promise<{ revision: number; version: number }> {
  const { projectId } = scope;
  const secret = await db.secret.findFirst({
    where: secretWhere(scope, secretId),
    select: {
      key: true,
      description: true,
      type: true,
      currentVersion: true,
      revision: true,
      environmentId: true,
      environment: { select: { name: true } },
    },
  });
  if (!secret) throw notFound(SECRET_GONE);
  const startedFrom = patch.revision ?? secret.revision;
  if (secret.revision !== startedFrom) throw conflict(MESSAGES.conflict);

  const key = patch.key ?? secret.key;
  const description = patch.description ?? secret.description;
  const type = patch.type ?? (secret.type as SecretType);
  const valueChanged = patch.value !== undefined;
  const changed = [
    ...(key !== secret.key ? ['key'] : []),
    ...(valueChanged ? ['value'] : []),
    ...(description !== secret.description ? ['description'] : []),
    ...(type !== secret.type ? ['type'] : []),
  ];
  if (changed.length === 0) throw noChanges(MESSAGES.noChanges);

  const version = valueChanged ? secret.currentVersion + 1 : secret.currentVersion;
  const keys = valueChanged || key !== secret.key ? await projectKeys(projectId) : null;
  // A new value, or the current one under a new NEXT_PUBLIC_ name, must pass the public-credential check.
  const override = valueChanged
    ? checkPublicCredential(key, patch.value!, patch.allowPublicCredential)
    : key !== secret.key && isPublicKey(key)
      ? checkPublicCredential(key, await currentValue(secretId, secret.currentVersion, keys!), patch.allowPublicCredential)
      : {};
  const revision = startedFrom + 1;

  try {
    await db.$transaction(async (tx) => {
      // The revision in the WHERE makes a concurrent edit lose cleanly instead of overwriting.
      const { count } = await tx.secret.updateMany({
        where: { ...secretWhere(scope, secretId), revision: startedFrom },
        data: {
          ...(key !== secret.key ? { key, keyFolded: key.toLowerCase() } : {}),
          description,
          type,
          currentVersion: version,
          revision,
          updatedAt: new Date(),
          updatedById: actor.userId,
          ...(valueChanged ? { valueFingerprint: fingerprinter(projectId)(patch.value!) } : {}),
        },
      });
      if (count === 0) throw conflict(MESSAGES.conflict);
      await markChanged(tx, secret.environmentId);
      if (valueChanged && keys) {
        const blob = encryptValue(keys.current.key, keys.current.version, patch.value!, secretId, version);
        await tx.secretVersion.create({ data: { secretId, version, blob, createdById: actor.userId } });
        await countEncryption(tx, projectId, keys.current.version);
      }
      await recordAudit(
        tx,
        actor,
        restoredFrom !== undefined
          ? {
              projectId,
              action: 'secret.restored',
              targetType: 'secret',
              targetId: secretId,
              targetLabel: key,
              environment: secret.environment.name,
              details: { fromVersion: restoredFrom, newVersion: version },
            }
          : {
              projectId,
              action: valueChanged ? 'secret.value_changed' : 'secret.updated',
              targetType: 'secret',
              targetId: secretId,
              targetLabel: key,
              environment: secret.environment.name,
              details: {
                changed,
                version,
                ...(type !== secret.type ? { type: `${typeLabel(secret.type)} → ${typeLabel(type)}` } : {}),
                ...(key !== secret.key ? { key: `${secret.key} → ${key}` } : {}),
                ...override,
              },
            },
      );
    }, SECRET_WRITE_TRANSACTION);
  } catch (error) {
    // A rename onto a key that exists (or differs only by case) in the environment.
    if (isUniqueViolation(error)) throw keyExists();
    throw error;
  }
  return { revision, version };
}

async function currentValue(secretId: string, version: number, keys: Awaited<ReturnType<typeof projectKeys>>): Promise<string> {
  const row = await db.secretVersion.findFirst({ where: { secretId, version }, select: { blob: true } });
  if (!row) throw notFound(SECRET_GONE);
  return decryptValue(keys.keyFor, row.blob, secretId, version);
}

export async function authorizedDeleteSecret(actor: AuditActor, scope: SecretScope, secretId: string): Promise<void> {
  const { projectId } = scope;
  await db.$transaction(async (tx) => {
    const secret = await tx.secret.findFirst({
      where: secretWhere(scope, secretId),
      select: { key: true, environmentId: true, environment: { select: { name: true } } },
    });
    if (!secret) throw notFound(SECRET_GONE);
    await tx.secret.deleteMany({ where: secretWhere(scope, secretId) });
    // Holds the environment's row (locked after the secret's, as every writer does) before its hook is checked:
    // a hook setting that chooses this secret meanwhile commits first and is seen, or waits and finds the secret gone.
    await markChanged(tx, secret.environmentId);
    // A deploy hook signs its notifications with this secret's value: choose another one first.
    const hook = await tx.environment.findFirst({ where: { projectId, hookSecretId: secretId }, select: { name: true } });
    if (hook) throw conflict(`This secret signs the ${hook.name} deploy hook. Choose another signing secret first.`);
    await recordAudit(tx, actor, {
      projectId,
      action: 'secret.deleted',
      targetType: 'secret',
      targetId: secretId,
      targetLabel: secret.key,
      environment: secret.environment.name,
    });
  }, SECRET_WRITE_TRANSACTION);
}

/** One row of an environment's working set, without its value. */
export type SecretInfoRow = { id: string; key: string; description: string; type: SecretType; createdAt: Date; updatedAt: Date };

/** The working set of one environment (what the next deployment would snapshot), ordered by key. Never values. */
export async function authorizedSecretInfo(scope: Required<SecretScope>): Promise<SecretInfoRow[]> {
  const rows = await db.secret.findMany({
    where: { projectId: scope.projectId, environmentId: scope.environmentId },
    orderBy: { key: 'asc' },
    select: { id: true, key: true, description: true, type: true, createdAt: true, updatedAt: true },
  });
  return rows.map((row) => ({ ...row, type: row.type as SecretType }));
}
