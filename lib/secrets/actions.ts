'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/action-runner';
import { invalid } from '@/lib/errors';
import { parseInput } from '@/lib/parse-input';
import type { ActionResult } from '@/lib/action-result';
import { createSecret, deleteSecret, restoreSecretVersion, updateSecret } from '@/lib/secrets/mutations';
import { secretHistory } from '@/lib/secrets/queries';
import {
  createSecretSchema,
  updateSecretSchema,
  type CreateSecretInput,
  type UpdateSecretInput,
} from '@/lib/secrets/schemas';
import type { SecretHistoryEntry } from '@/lib/secrets/types';

// Thin: parse with the shared schema, call the data layer (which checks the
// caller's role), revalidate, answer an ActionResult.

const revalidateSecrets = () => revalidatePath('/projects/[slug]/settings/secrets', 'page');

export async function createSecretAction(
  projectId: string,
  environmentId: string,
  input: CreateSecretInput,
): Promise<ActionResult<{ id: string }>> {
  return runAction('Failed to create secret. Please, try again.', async () => {
    const result = await createSecret(projectId, environmentId, parseInput(createSecretSchema, input));
    revalidateSecrets();
    return result;
  });
}

export async function updateSecretAction(
  projectId: string,
  secretId: string,
  input: UpdateSecretInput,
): Promise<ActionResult<{ revision: number }>> {
  return runAction('Failed to update secret. Please, try again.', async () => {
    const result = await updateSecret(projectId, secretId, parseInput(updateSecretSchema, input));
    revalidateSecrets();
    return result;
  });
}

export async function deleteSecretAction(projectId: string, secretId: string): Promise<ActionResult> {
  return runAction('Failed to delete secret. Please, try again.', async () => {
    await deleteSecret(projectId, secretId);
    revalidateSecrets();
  });
}

export async function secretHistoryAction(projectId: string, secretId: string): Promise<ActionResult<SecretHistoryEntry[]>> {
  return runAction('Failed to load the change history. Please, try again.', () => secretHistory(projectId, secretId));
}

export async function restoreSecretVersionAction(projectId: string, secretId: string, version: number): Promise<ActionResult<{ version: number }>> {
  return runAction('Failed to restore this version. Please, try again.', async () => {
    if (!Number.isSafeInteger(version) || version < 1) throw invalid('Choose a version from the change history.');
    const result = await restoreSecretVersion(projectId, secretId, version);
    revalidateSecrets();
    return result;
  });
}
