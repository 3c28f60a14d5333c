// No `server-only` marker: this is the one implementation of secret writes,
// shared by the session-checked mutations (lib/secrets/mutations.ts, inside
// Next), the token-authorized /api/v1 handler and the in-process API
// (server.ts, outside Next's bundler; see lib/db.ts). Callers authorize FIRST
// and pass the actor they authorized; nothing here reads a session or a token.
//
// Each change, its encrypted version and its audit event are one transaction;
// every write is scoped to its project (and, for machine callers, to the
// environment of the token); edits carry the revision they started from.
import { randomUUID } from 'node:crypto';
import { recordAudit, type AuditActor } from '@/lib/audit/mutations';
import { encryptValue } from '@/lib/crypto/envelope';
import { db, SECRET_WRITE_TRANSACTION, type Tx } from '@/lib/db';
import { conflict, noChanges, notFound } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';
import { countEncryption, projectKeys } from '@/lib/projects/keys';
import { MESSAGES, SECRET_TYPE_LABELS, type SecretType } from '@/lib/secrets/schemas';

/** Where a write may land: a project, and for machine callers one environment of it. */
export type SecretScope = { projectId: string; environmentId?: string };

export type NewSecret = { key: string; value: string; description: string; type: SecretType };

/**
 * A partial change. Absent fields stay as they are; `value` present means a
 * new version. `revision`, when given, is the revision the edit started from
 * (the UI's optimistic concurrency); without it the revision read here is
 * used, so a change committed in between still loses cleanly (409).
 */
export type SecretPatch = { key?: string; value?: string; description?: string; type?: SecretType; revision?: number };

export const SECRET_GONE = 'This secret no longer exists. Reload the page.';

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** The environment now differs from its last deployment (see Environment.changedAt). */
const markChanged = (tx: Tx, environmentId: string) =>
  tx.environment.update({ where: { id: environmentId }, data: { changedAt: new Date() } });

// A conflict (the HTTP API's 409) shown next to the key field.
const keyExists = () => conflict(MESSAGES.keyExists, { key: MESSAGES.keyExists });

const typeLabel = (type: string) => SECRET_TYPE_LABELS[type as SecretType] ?? type;

const secretWhere = (scope: SecretScope, secretId: string) => ({
  id: secretId,
  projectId: scope.projectId,
  ...(scope.environmentId ? { environmentId: scope.environmentId } : {}),
});

export async function createSecretAs(
  actor: AuditActor,
  scope: Required<SecretScope>,
  input: NewSecret,
): Promise<{ id: string }> {
  const { projectId, environmentId } = scope;
  const environment = await db.environment.findFirst({ where: { id: environmentId, projectId }, select: { name: true } });
  if (!environment) throw notFound('Environment not found');

  const keys = await projectKeys(projectId);
  const id = randomUUID();
  const blob = encryptValue(keys.current.key, keys.current.version, input.value, id, 1);
  try {
    await db.$transaction(async (tx) => {
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
          createdById: actor.userId,
          updatedById: actor.userId,
          versions: { create: { version: 1, blob, createdById: actor.userId } },
        },
      });
      // Locks in one order everywhere (secret, environment, project key), so concurrent writers on PostgreSQL never deadlock.
      await markChanged(tx, environmentId);
      await countEncryption(tx, projectId, keys.current.version);
      await recordAudit(tx, actor, {
        projectId,
        action: 'secret.created',
        targetType: 'secret',
        targetId: id,
        targetLabel: input.key,
        environment: environment.name,
        details: { type: input.type, version: 1 },
      });
    }, SECRET_WRITE_TRANSACTION);
  } catch (error) {
    if (isUniqueViolation(error)) throw keyExists();
    throw error;
  }
  return { id };
}

export async function changeSecretAs(
  actor: AuditActor,
  scope: SecretScope,
  secretId: string,
  patch: SecretPatch,
): Promise<{ revision: number }> {
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
  const keys = valueChanged ? await projectKeys(projectId) : null;
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
        },
      });
      if (count === 0) throw conflict(MESSAGES.conflict);
      await markChanged(tx, secret.environmentId);
      if (keys) {
        const blob = encryptValue(keys.current.key, keys.current.version, patch.value!, secretId, version);
        await tx.secretVersion.create({ data: { secretId, version, blob, createdById: actor.userId } });
        await countEncryption(tx, projectId, keys.current.version);
      }
      await recordAudit(tx, actor, {
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
        },
      });
    }, SECRET_WRITE_TRANSACTION);
  } catch (error) {
    // A rename onto a key that exists (or differs only by case) in the environment.
    if (isUniqueViolation(error)) throw keyExists();
    throw error;
  }
  return { revision };
}

export async function deleteSecretAs(actor: AuditActor, scope: SecretScope, secretId: string): Promise<void> {
  const { projectId } = scope;
  await db.$transaction(async (tx) => {
    const secret = await tx.secret.findFirst({
      where: secretWhere(scope, secretId),
      select: { key: true, environmentId: true, environment: { select: { name: true } } },
    });
    if (!secret) throw notFound(SECRET_GONE);
    // A deploy hook signs its notifications with this secret's value: choose another one first.
    const hook = await tx.environment.findFirst({ where: { projectId, hookSecretId: secretId }, select: { name: true } });
    if (hook) throw conflict(`This secret signs the ${hook.name} deploy hook. Choose another signing secret first.`);
    await tx.secret.deleteMany({ where: secretWhere(scope, secretId) });
    await markChanged(tx, secret.environmentId);
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
export async function secretInfoIn(scope: Required<SecretScope>): Promise<SecretInfoRow[]> {
  const rows = await db.secret.findMany({
    where: { projectId: scope.projectId, environmentId: scope.environmentId },
    orderBy: { key: 'asc' },
    select: { id: true, key: true, description: true, type: true, createdAt: true, updatedAt: true },
  });
  return rows.map((row) => ({ ...row, type: row.type as SecretType }));
}
