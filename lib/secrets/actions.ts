'use server';

import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { createSecret, deleteSecret, updateSecret } from '@/lib/secrets/mutations';
import { secretHistory } from '@/lib/secrets/queries';
import { createSecretSchema, updateSecretSchema, type CreateSecretInput, type UpdateSecretInput } from '@/lib/secrets/schemas';
import type { SecretHistoryEntry } from '@/lib/secrets/types';

export async function createSecretAction(projectId: string, environmentId: string, input: CreateSecretInput): Promise<ActionResult<{ id: string }>> {
  return runAction({ name: 'createSecret', access: { projectId, verb: 'manageSecrets' }, schema: createSecretSchema, input }, (values) =>
    createSecret(projectId, environmentId, values),
  );
}

export async function updateSecretAction(projectId: string, secretId: string, input: UpdateSecretInput): Promise<ActionResult<{ revision: number }>> {
  return runAction({ name: 'updateSecret', access: { projectId, verb: 'manageSecrets' }, schema: updateSecretSchema, input }, (values) =>
    updateSecret(projectId, secretId, values),
  );
}

export async function deleteSecretAction(projectId: string, secretId: string): Promise<ActionResult> {
  return runAction({ name: 'deleteSecret', access: { projectId, verb: 'manageSecrets' } }, () => deleteSecret(projectId, secretId));
}

export async function secretHistoryAction(projectId: string, secretId: string): Promise<ActionResult<SecretHistoryEntry[]>> {
  return runAction({ name: 'secretHistory', access: { projectId, verb: 'manageSecrets' } }, () => secretHistory(projectId, secretId));
}
