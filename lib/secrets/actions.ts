'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/action-runner';
import { invalid } from '@/lib/errors';
import { parseInput } from '@/lib/parse-input';
import type { ActionResult } from '@/lib/action-result';
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
import { generateSecretValue } from '@/lib/secrets/generate';
import type { SecretHistoryEntry } from '@/lib/secrets/types';

// Thin: parse with the shared schema, call the data layer (which checks the
// caller's role), revalidate, answer an ActionResult.

const revalidateSecrets = () => revalidatePath('/projects/[slug]/settings/secrets', 'page');

export async function createSecretAction(
  projectId: string,
  environmentId: string,
  input: AddSecretInput,
): Promise<ActionResult<{ id: string }>> {
  return runAction('Failed to create secret. Please, try again.', async () => {
    const { alsoEnvironmentIds, ...secret } = parseInput(addSecretSchema, input);
    const result = await createSecret(projectId, environmentId, secret, alsoEnvironmentIds);
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

/** `Generate` in the Add and Edit dialogs: a random value for the value field (never stored or logged here). */
export async function generateSecretValueAction(projectId: string, input: GenerateValueInput): Promise<ActionResult<{ value: string }>> {
  return runAction('Failed to generate a value. Please, try again.', () => generateSecretValue(projectId, parseInput(generateValueSchema, input)));
}
