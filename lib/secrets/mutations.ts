import 'server-only';
import { randomUUID } from 'node:crypto';
import { recordAudit } from '@/lib/audit/mutations';
import { encryptValue } from '@/lib/crypto/envelope';
import { db, type Tx } from '@/lib/db';
import { conflict, invalid, notFound } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';
import { countEncryption, projectKeys } from '@/lib/projects/keys';
import { MESSAGES, SECRET_TYPE_LABELS, type SecretType } from '@/lib/secrets/schemas';
import { requireProjectRole } from '@/lib/session';

// Writes to a project's working set of secrets. Each change, its encrypted
// version and its audit event are one transaction; every write is scoped to
// its project; edits carry the revision they started from.

export type NewSecret = { key: string; value: string; description: string; type: SecretType };
export type SecretChange = { value: string; description: string; type: SecretType; revision: number };

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** The environment now differs from its last deployment (see Environment.changedAt). */
const markChanged = (tx: Tx, environmentId: string) =>
  tx.environment.update({ where: { id: environmentId }, data: { changedAt: new Date() } });

const keyExists = () => invalid(MESSAGES.keyExists, { key: MESSAGES.keyExists });

export async function createSecret(projectId: string, environmentId: string, input: NewSecret): Promise<{ id: string }> {
  const actor = await requireProjectRole(projectId, 'ADMIN');
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
      await countEncryption(tx, projectId, keys.current.version);
      await markChanged(tx, environmentId);
      await recordAudit(tx, actor, {
        projectId,
        action: 'secret.created',
        targetType: 'secret',
        targetId: id,
        targetLabel: input.key,
        environment: environment.name,
        details: { type: input.type, version: 1 },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw keyExists();
    throw error;
  }
  return { id };
}

export async function updateSecret(projectId: string, secretId: string, change: SecretChange): Promise<{ revision: number }> {
  const actor = await requireProjectRole(projectId, 'ADMIN');
  const secret = await db.secret.findFirst({
    where: { id: secretId, projectId },
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
  if (!secret) throw notFound('This secret no longer exists. Reload the page.');
  if (secret.revision !== change.revision) throw conflict(MESSAGES.conflict);

  const valueChanged = change.value !== '';
  const changed = [
    ...(valueChanged ? ['value'] : []),
    ...(change.description !== secret.description ? ['description'] : []),
    ...(change.type !== secret.type ? ['type'] : []),
  ];
  if (changed.length === 0) throw invalid(MESSAGES.noChanges);

  const version = valueChanged ? secret.currentVersion + 1 : secret.currentVersion;
  const keys = valueChanged ? await projectKeys(projectId) : null;
  const revision = change.revision + 1;

  await db.$transaction(async (tx) => {
    // The revision in the WHERE makes a concurrent edit lose cleanly instead of overwriting.
    const { count } = await tx.secret.updateMany({
      where: { id: secretId, projectId, revision: change.revision },
      data: {
        description: change.description,
        type: change.type,
        currentVersion: version,
        revision,
        updatedAt: new Date(),
        updatedById: actor.userId,
      },
    });
    if (count === 0) throw conflict(MESSAGES.conflict);
    await markChanged(tx, secret.environmentId);
    if (keys) {
      const blob = encryptValue(keys.current.key, keys.current.version, change.value, secretId, version);
      await tx.secretVersion.create({ data: { secretId, version, blob, createdById: actor.userId } });
      await countEncryption(tx, projectId, keys.current.version);
    }
    await recordAudit(tx, actor, {
      projectId,
      action: valueChanged ? 'secret.value_changed' : 'secret.updated',
      targetType: 'secret',
      targetId: secretId,
      targetLabel: secret.key,
      environment: secret.environment.name,
      details: {
        changed,
        version,
        ...(change.type !== secret.type
          ? { type: `${SECRET_TYPE_LABELS[secret.type as SecretType] ?? secret.type} → ${SECRET_TYPE_LABELS[change.type]}` }
          : {}),
      },
    });
  });
  return { revision };
}

export async function deleteSecret(projectId: string, secretId: string): Promise<void> {
  const actor = await requireProjectRole(projectId, 'ADMIN');
  await db.$transaction(async (tx) => {
    const secret = await tx.secret.findFirst({
      where: { id: secretId, projectId },
      select: { key: true, environmentId: true, environment: { select: { name: true } } },
    });
    if (!secret) throw notFound('This secret no longer exists. Reload the page.');
    await tx.secret.deleteMany({ where: { id: secretId, projectId } });
    await markChanged(tx, secret.environmentId);
    await recordAudit(tx, actor, {
      projectId,
      action: 'secret.deleted',
      targetType: 'secret',
      targetId: secretId,
      targetLabel: secret.key,
      environment: secret.environment.name,
    });
  });
}
