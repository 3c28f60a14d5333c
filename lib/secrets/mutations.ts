import 'server-only';
import { decryptValue } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { conflict, notFound } from '@/lib/errors';
import { projectKeys } from '@/lib/projects/keys';
import { authorizedChangeSecret, authorizedCreateSecret, authorizedDeleteSecret, SECRET_GONE, type NewSecret } from '@/lib/secrets/authorized';
import type { SecretType } from '@/lib/secrets/schemas';
import { requirePermission } from '@/lib/session';

// Writes to a project's working set of secrets by a signed-in user: each
// function checks the caller's role in the project, then runs the shared
// implementation in lib/secrets/authorized.ts (also used by the machine API,
// lib/api/operations.ts).

export type { NewSecret } from '@/lib/secrets/authorized';
export type SecretChange = { value: string; description: string; type: SecretType; revision: number; allowPublicCredential?: boolean };

/** Creates the secret in `environmentId` and, with the same value, in `alsoEnvironmentIds` (one transaction). */
export async function createSecret(
  projectId: string,
  environmentId: string,
  input: NewSecret,
  alsoEnvironmentIds: readonly string[] = [],
): Promise<{ id: string }> {
  const actor = await requirePermission(projectId, 'manageSecrets');
  return authorizedCreateSecret(actor, { projectId, environmentId }, input, alsoEnvironmentIds);
}

/** The edit dialog's change: an empty value keeps the current one; the key is not editable there. */
export async function updateSecret(projectId: string, secretId: string, change: SecretChange): Promise<{ revision: number }> {
  const actor = await requirePermission(projectId, 'manageSecrets');
  const { revision } = await authorizedChangeSecret(actor, { projectId }, secretId, {
    value: change.value === '' ? undefined : change.value,
    description: change.description,
    type: change.type,
    revision: change.revision,
    allowPublicCredential: change.allowPublicCredential,
  });
  return { revision };
}

/**
 * `Restore this version`: a NEW version carrying the value of an earlier one
 * (history is never rewritten), audited as `secret.restored` with both version
 * numbers. The environment then has pending changes, like after any edit.
 */
export async function restoreSecretVersion(projectId: string, secretId: string, version: number): Promise<{ version: number }> {
  const actor = await requirePermission(projectId, 'manageSecrets');
  const secret = await db.secret.findFirst({
    where: { id: secretId, projectId },
    select: { currentVersion: true, revision: true, versions: { where: { version }, select: { blob: true } } },
  });
  if (!secret) throw notFound(SECRET_GONE);
  const old = secret.versions[0];
  if (!old) throw notFound(`Version ${version} of this secret does not exist.`);
  if (version === secret.currentVersion) throw conflict(`Version ${version} is already the current value.`);
  const value = decryptValue((await projectKeys(projectId)).keyFor, old.blob, secretId, version);
  // The revision read here: a change committed meanwhile makes this restore lose cleanly (conflict) instead of overwriting it.
  const result = await authorizedChangeSecret(actor, { projectId }, secretId, { value, revision: secret.revision }, { restoredFrom: version });
  return { version: result.version };
}

export async function deleteSecret(projectId: string, secretId: string): Promise<void> {
  const actor = await requirePermission(projectId, 'manageSecrets');
  await authorizedDeleteSecret(actor, { projectId }, secretId);
}
