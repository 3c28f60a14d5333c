// The machine API's verbs on one project environment, shared by the HTTP
// handler (lib/api/handler.ts) and the in-process API (lib/sdk/index.ts), so
// both answer the same way. Authorization is the caller's job (a token's
// scope, or Keyhold's own server code); every write here is scoped to the
// project AND the environment.
import type { AuditActor } from '@/lib/audit/mutations';
import { API_MESSAGES, ApiError } from '@/lib/api/errors';
import { parseNewSecret, parseSecretPatch } from '@/lib/api/input';
import { AppError } from '@/lib/errors';
import { changeSecretAs, createSecretAs, deleteSecretAs, secretInfoIn } from '@/lib/secrets/core';
import type { CreatedSecret, SecretInfo, UpdatedSecret } from '@/lib/sdk/types';

export type MachineScope = { projectId: string; environmentId: string };

/** The data layer's expected failures, as API errors (same messages; key → name). */
export function toApiError(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  switch (error.code) {
    case 'validation_failed': {
      const fields = error.fieldErrors
        ? Object.fromEntries(Object.entries(error.fieldErrors).map(([field, message]) => [field === 'key' ? 'name' : field, message]))
        : undefined;
      return new ApiError('validation_failed', error.message, fields ? { fields } : {});
    }
    case 'no_changes':
      return new ApiError('no_changes', error.message);
    case 'conflict': // a stale revision, or a taken key (which the UI shows next to its field)
      return new ApiError('conflict', error.message);
    case 'not_found':
      return new ApiError('secret_not_found', API_MESSAGES.secretIdNotFound);
    default:
      return error;
  }
}

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toApiError(error);
  }
}

export function createSecretIn(actor: AuditActor, scope: MachineScope, body: unknown): Promise<CreatedSecret> {
  return mapped(() => createSecretAs(actor, scope, parseNewSecret(body)));
}

export function updateSecretIn(actor: AuditActor, scope: MachineScope, id: string, body: unknown): Promise<UpdatedSecret> {
  return mapped(async () => {
    await changeSecretAs(actor, scope, id, parseSecretPatch(body));
    return { id };
  });
}

export function deleteSecretIn(actor: AuditActor, scope: MachineScope, id: string): Promise<void> {
  return mapped(() => deleteSecretAs(actor, scope, id));
}

export async function listSecretInfoIn(scope: MachineScope): Promise<SecretInfo[]> {
  const rows = await secretInfoIn(scope);
  return rows.map((row) => ({
    id: row.id,
    name: row.key,
    description: row.description,
    type: row.type,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}
