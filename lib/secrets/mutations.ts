import 'server-only';
import { authorizedChangeSecret, authorizedCreateSecret, authorizedDeleteSecret, type NewSecret } from '@/lib/secrets/authorized';
import type { SecretType } from '@/lib/secrets/schemas';
import { requireProjectRole } from '@/lib/session';

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
  const actor = await requireProjectRole(projectId, 'ADMIN');
  return authorizedCreateSecret(actor, { projectId, environmentId }, input, alsoEnvironmentIds);
}

/** The edit dialog's change: an empty value keeps the current one; the key is not editable there. */
export async function updateSecret(projectId: string, secretId: string, change: SecretChange): Promise<{ revision: number }> {
  const actor = await requireProjectRole(projectId, 'ADMIN');
  return authorizedChangeSecret(actor, { projectId }, secretId, {
    value: change.value === '' ? undefined : change.value,
    description: change.description,
    type: change.type,
    revision: change.revision,
    allowPublicCredential: change.allowPublicCredential,
  });
}

export async function deleteSecret(projectId: string, secretId: string): Promise<void> {
  const actor = await requireProjectRole(projectId, 'ADMIN');
  await authorizedDeleteSecret(actor, { projectId }, secretId);
}
