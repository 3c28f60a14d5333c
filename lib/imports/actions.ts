'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { ImportStaleError, type ImportPreview, type ImportResult } from '@/lib/imports/authorized';
import { applyImport, previewImport } from '@/lib/imports/mutations';
import { applyImportSchema, previewImportSchema, type ApplyImportInput, type PreviewImportInput } from '@/lib/imports/schemas';
import { parseInput } from '@/lib/parse-input';

export type ApplyOutcome = { applied: ImportResult } | { stale: ImportPreview; message: string };

export async function previewImportAction(projectId: string, input: PreviewImportInput): Promise<ActionResult<ImportPreview>> {
  return runAction('Failed to read the import. Please, try again.', async () => {
    const { format, text, environmentIds } = parseInput(previewImportSchema, input);
    return previewImport(projectId, environmentIds, { format, text });
  });
}

/** A stale preview is an answer, not a failure: the dialog shows the fresh preview with the message. */
export async function applyImportAction(projectId: string, input: ApplyImportInput): Promise<ActionResult<ApplyOutcome>> {
  return runAction('Failed to import secrets. Please, try again.', async (): Promise<ApplyOutcome> => {
    const { format, text, environmentIds, previewId, overwrite } = parseInput(applyImportSchema, input);
    try {
      const applied = await applyImport(projectId, environmentIds, { format, text }, previewId, overwrite);
      revalidatePath('/projects/[slug]/settings/secrets', 'page');
      return { applied };
    } catch (error) {
      if (error instanceof ImportStaleError) return { stale: error.preview, message: error.message };
      throw error;
    }
  });
}
