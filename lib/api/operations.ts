// The machine API's verbs on one project environment (`machine…`), shared by
// the HTTP handler (lib/api/handler.ts) and the in-process API
// (lib/api/in-process.ts), so both answer the same way. Authorization is the caller's job (a token's
// scope, or Keyhold's own server code); every write here is scoped to the
// project AND the environment.
import type { AuditActor } from '@/lib/audit/mutations';
import { API_MESSAGES, ApiError } from '@/lib/api/errors';
import { parseNewSecret, parseSecretPatch } from '@/lib/api/input';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { authorizedDeployment, authorizedStartRedeploy, type DeploymentView } from '@/lib/deploys/authorized';
import { logUnexpected } from '@/lib/log';
import { isDatabaseUnavailable } from '@/lib/db';
import { authorizedApplyImport, ImportStaleError, authorizedPreviewImport, type ImportPreview, type ImportResult } from '@/lib/imports/authorized';
import { IMPORT_FORMATS, IMPORT_MESSAGES } from '@/lib/imports/schemas';
import { fieldErrorsOf } from '@/lib/parse-input';
import { authorizedChangeSecret, authorizedCreateSecret, authorizedDeleteSecret, authorizedSecretInfo } from '@/lib/secrets/authorized';
import type { CreatedSecret, SecretInfo, UpdatedSecret } from '@/lib/api/types';

export type MachineScope = { projectId: string; environmentId: string };

/** The data layer's expected failures, as API errors (same messages; key → name). */
function toApiError(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  switch (error.code) {
    case 'public_credential':
      return new ApiError('public_credential', error.message, { fields: { value: error.message } });
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

export function machineCreateSecret(actor: AuditActor, scope: MachineScope, body: unknown): Promise<CreatedSecret> {
  return mapped(() => authorizedCreateSecret(actor, scope, parseNewSecret(body)));
}

export function machineUpdateSecret(actor: AuditActor, scope: MachineScope, id: string, body: unknown): Promise<UpdatedSecret> {
  return mapped(async () => {
    await authorizedChangeSecret(actor, scope, id, parseSecretPatch(body));
    return { id };
  });
}

export function machineDeleteSecret(actor: AuditActor, scope: MachineScope, id: string): Promise<void> {
  return mapped(() => authorizedDeleteSecret(actor, scope, id));
}

export async function machineListSecretInfo(scope: MachineScope): Promise<SecretInfo[]> {
  const rows = await authorizedSecretInfo(scope);
  return rows.map((row) => ({
    id: row.id,
    name: row.key,
    description: row.description,
    type: row.type,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}

/**
 * Redeploys the token's environment: the snapshot is taken before answering,
 * the hook is called in the background (poll machineGetDeployment for its result).
 */
export async function machineCreateDeployment(actor: AuditActor, scope: MachineScope): Promise<DeploymentView> {
  const started = await mapped(() => authorizedStartRedeploy(actor, scope.projectId, scope.environmentId));
  started.delivery.catch((error) => {
    // deliver() records hook failures itself; this is the database failing while recording the outcome.
    if (!isDatabaseUnavailable(error)) logUnexpected('deployment delivery failed', error);
  });
  const view = await authorizedDeployment(scope, started.number);
  if (!view) throw new Error('a deployment just created is missing');
  return view;
}

/** A deployment of the token's environment by its number (`/api/v1/deployments/7`). */
export async function machineGetDeployment(scope: MachineScope, number: string): Promise<DeploymentView> {
  const view = /^[1-9]\d{0,9}$/.test(number) ? await authorizedDeployment(scope, Number(number)) : null;
  if (!view) throw new ApiError('deployment_not_found', API_MESSAGES.deploymentNotFound);
  return view;
}

const importBody = z.strictObject(
  {
    format: z.enum(IMPORT_FORMATS, { error: IMPORT_MESSAGES.formatRequired }),
    text: z.string({ error: IMPORT_MESSAGES.empty }).min(1, IMPORT_MESSAGES.empty),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? 'Unknown field. The fields are format and text (and previewId, overwrite to apply).' : 'Send a JSON object.',
  },
);
const applyBody = importBody.extend({
  previewId: z.string({ error: 'previewId is required: the id of the preview to apply' }).min(1),
  /** Keys of changed secrets to overwrite; every other changed secret is skipped. */
  overwrite: z.array(z.string(), { error: 'overwrite must be a list of keys' }).default([]),
});

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = fieldErrorsOf(parsed.error.issues);
  throw new ApiError('validation_failed', Object.values(fields)[0] ?? 'Check the fields', { fields });
}

/** Unreadable text (not JSON, empty, too large) is reported on `text`, like the dialog does; a stale preview passes through whole. */
async function importMapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof ImportStaleError ? error : toApiError(error);
  }
}

export function machinePreviewImport(scope: MachineScope, body: unknown): Promise<ImportPreview> {
  const { format, text } = parseBody(importBody, body);
  return importMapped(() => authorizedPreviewImport({ projectId: scope.projectId, environmentIds: [scope.environmentId] }, { format, text }));
}

/** Throws ImportStaleError (answered 409 `preview_stale` with the fresh preview) when the preview no longer holds. */
export function machineApplyImport(actor: AuditActor, scope: MachineScope & { environmentName: string }, body: unknown): Promise<ImportResult> {
  const { format, text, previewId, overwrite } = parseBody(applyBody, body);
  const target = { projectId: scope.projectId, environmentIds: [scope.environmentId] };
  const environment = scope.environmentName;
  return importMapped(() =>
    authorizedApplyImport(
      actor,
      target,
      { format, text },
      previewId,
      overwrite.map((key) => ({ environment, key })),
    ),
  );
}
