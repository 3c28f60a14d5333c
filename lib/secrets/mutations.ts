import 'server-only';
import { changeSecretAs, createSecretAs, deleteSecretAs, type NewSecret } from '@/lib/secrets/core';
import type { SecretType } from '@/lib/secrets/schemas';
import { requirePermission } from '@/lib/session';

// Writes to a project's working set of secrets by a signed-in user: each
// function checks the caller's role in the project, then runs the shared
// implementation in lib/secrets/core.ts (also used, with a service token as
// the actor, by the /api/v1 handler and the in-process API).

export type { NewSecret } from '@/lib/secrets/core';
export type SecretChange = { value: string; description: string; type: SecretType; revision: number; allowPublicCredential?: boolean };

/** Creates the secret in `environmentId` and, with the same value, in `alsoEnvironmentIds` (one transaction). */
export async function createSecret(
  projectId: string,
  environmentId: string,
  input: NewSecret,
  alsoEnvironmentIds: readonly string[] = [],
): Promise<{ id: string }> {
  const actor = await requirePermission(projectId, 'manageSecrets');
  return createSecretAs(actor, { projectId, environmentId }, input, alsoEnvironmentIds);
}

/** The edit dialog's change: an empty value keeps the current one; the key is not editable there. */
export async function updateSecret(projectId: string, secretId: string, change: SecretChange): Promise<{ revision: number }> {
  const actor = await requirePermission(projectId, 'manageSecrets');
  return changeSecretAs(actor, { projectId }, secretId, {
    value: change.value === '' ? undefined : change.value,
    description: change.description,
    type: change.type,
    revision: change.revision,
    allowPublicCredential: change.allowPublicCredential,
  });
}

export async function deleteSecret(projectId: string, secretId: string): Promise<void> {
  const actor = await requirePermission(projectId, 'manageSecrets');
  await deleteSecretAs(actor, { projectId }, secretId);
}
