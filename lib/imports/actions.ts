'use server';

import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { ImportStaleError, type ImportPreview, type ImportResult } from '@/lib/imports/authorized';
import { applyImport, previewImport } from '@/lib/imports/mutations';
import { applyImportSchema, previewImportSchema, type ApplyImportInput, type PreviewImportInput } from '@/lib/imports/schemas';

export type ApplyOutcome = { applied: ImportResult } | { stale: ImportPreview; message: string };

export async function previewImportAction(projectId: string, input: PreviewImportInput): Promise<ActionResult<ImportPreview>> {
  return runAction(
    { name: 'previewImport', access: { projectId, verb: 'manageSecrets' }, schema: previewImportSchema, input },
    ({ format, text, environmentIds }) => previewImport(projectId, environmentIds, { format, text }),
  );
}

/** A stale preview is an answer, not a failure: the dialog shows the fresh preview with the message. */
export async function applyImportAction(projectId: string, input: ApplyImportInput): Promise<ActionResult<ApplyOutcome>> {
  return runAction(
    { name: 'applyImport', access: { projectId, verb: 'manageSecrets' }, schema: applyImportSchema, input },
    async ({ format, text, environmentIds, previewId, overwrite }): Promise<ApplyOutcome> => {
      try {
        return { applied: await applyImport(projectId, environmentIds, { format, text }, previewId, overwrite) };
      } catch (error) {
        if (error instanceof ImportStaleError) return { stale: error.preview, message: error.message };
        throw error;
      }
    },
  );
}
