import 'server-only';
import {
  authorizedApplyImport,
  authorizedPreviewImport,
  type ImportOverwrite,
  type ImportPreview,
  type ImportResult,
  type ImportSource,
} from '@/lib/imports/authorized';
import { requirePermission } from '@/lib/session';

// The Import dialog's data layer: the caller's role is checked here, then the
// shared implementation (lib/imports/authorized.ts, also behind /api/v1/imports) runs.

export async function previewImport(projectId: string, environmentIds: string[], source: ImportSource): Promise<ImportPreview> {
  await requirePermission(projectId, 'manageSecrets');
  return authorizedPreviewImport({ projectId, environmentIds }, source);
}

export async function applyImport(
  projectId: string,
  environmentIds: string[],
  source: ImportSource,
  previewId: string,
  overwrite: ImportOverwrite[],
): Promise<ImportResult> {
  const actor = await requirePermission(projectId, 'manageSecrets');
  return authorizedApplyImport(actor, { projectId, environmentIds }, source, previewId, overwrite);
}
