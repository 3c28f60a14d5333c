'use server';

import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { invalid } from '@/lib/errors';
import { generateSecretValue } from '@/lib/secrets/generate';
import { createSecret, deleteSecret, restoreSecretVersion, updateSecret } from '@/lib/secrets/mutations';
import { secretHistory } from '@/lib/secrets/queries';
import {
  addSecretSchema,
  generateValueSchema,
  updateSecretSchema,
  type AddSecretInput,
  type GenerateValueInput,
  type UpdateSecretInput,
} from '@/lib/secrets/schemas';
import type { SecretHistoryEntry } from '@/lib/secrets/types';

export async function createSecretAction(projectId: string, environmentId: string, input: AddSecretInput): Promise<ActionResult<{ id: string }>> {
  return runAction(
    { name: 'createSecret', access: { projectId, verb: 'manageSecrets' }, schema: addSecretSchema, input },
    ({ alsoEnvironmentIds, ...secret }) => createSecret(projectId, environmentId, secret, alsoEnvironmentIds),
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

export async function restoreSecretVersionAction(projectId: string, secretId: string, version: number): Promise<ActionResult<{ version: number }>> {
  return runAction({ name: 'restoreSecretVersion', access: { projectId, verb: 'manageSecrets' } }, async () => {
    if (!Number.isSafeInteger(version) || version < 1) throw invalid('Choose a version from the change history.');
    return restoreSecretVersion(projectId, secretId, version);
  });
}

/** `Generate` in the Add and Edit dialogs: a random value for the value field (never stored or logged here). */
export async function generateSecretValueAction(projectId: string, input: GenerateValueInput): Promise<ActionResult<{ value: string }>> {
  return runAction({ name: 'generateSecretValue', access: { projectId, verb: 'manageSecrets' }, schema: generateValueSchema, input }, (values) =>
    generateSecretValue(projectId, values),
  );
}
