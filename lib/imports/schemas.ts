import { z } from 'zod';
import { IMPORT_FORMATS, IMPORT_MESSAGES } from '@/lib/imports/parse';

// The Import dialog's inputs (checked again by its server actions). The API
// reads the same fields from its JSON body (lib/api/operations.ts).

const CHOOSE_ENVIRONMENT = 'Choose at least one environment.';

export const previewImportSchema = z.object({
  format: z.enum(IMPORT_FORMATS, { error: IMPORT_MESSAGES.formatRequired }),
  text: z.string({ error: IMPORT_MESSAGES.empty }).min(1, IMPORT_MESSAGES.empty),
  environmentIds: z.array(z.string().min(1), { error: CHOOSE_ENVIRONMENT }).min(1, CHOOSE_ENVIRONMENT),
});
export type PreviewImportInput = z.input<typeof previewImportSchema>;

export const applyImportSchema = previewImportSchema.extend({
  previewId: z.string().min(1),
  /** The changed rows to overwrite; every other changed row is skipped. */
  overwrite: z.array(z.object({ environment: z.string(), key: z.string() })).default([]),
});
export type ApplyImportInput = z.input<typeof applyImportSchema>;
