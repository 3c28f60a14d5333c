import { z } from 'zod';

// The Import dialog's inputs (checked again by its server actions; the API
// reads the same fields from its JSON body, lib/api/operations.ts), and the
// plain rules the browser needs too. Browser-safe: no Node modules here.

export const IMPORT_FORMATS = ['env', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The largest import text (about 1,000 secrets of 4 KiB each). */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

export const IMPORT_MESSAGES = {
  empty: 'Paste or choose a file with at least one KEY=value line.',
  tooLarge: 'The import is larger than 4 MiB. Split it into several imports.',
  notJson: 'This is not valid JSON. Choose .env format, or fix the file.',
  notObject: 'The JSON must be one object of "KEY": "value" pairs.',
  notString: 'Only text values can be imported: write this value as a JSON string.',
  formatRequired: 'Choose the format: .env or JSON.',
} as const;

/** The format a file name implies: *.json → json; .env, *.env (vtex.env), .env.* → env; otherwise null. */
export function formatOfFileName(name: string): ImportFormat | null {
  const base = name.split(/[\\/]/).pop() ?? name;
  if (/\.json$/i.test(base)) return 'json';
  if (/\.env$/i.test(base) || /^\.env(\..+)?$/i.test(base)) return 'env';
  return null;
}

/** The format pasted text looks like: a JSON object, or .env lines. */
export const guessFormat = (text: string): ImportFormat => (/^\s*\{/.test(text.replace(/^\ufeff/, '')) ? 'json' : 'env');

/** True when pasted text holds at least one `KEY=value` line (the Add dialog then opens the import instead). */
export const looksLikeDotenv = (text: string) => /^[ \t]*(?:export[ \t]+)?[A-Za-z_][\w.-]*[ \t]*=/m.test(text);

export const IMPORT_STATUSES = ['new', 'changed', 'unchanged', 'invalid', 'duplicate'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_STATUS_LABELS: Record<ImportStatus, string> = {
  new: 'New',
  changed: 'Changed',
  unchanged: 'Unchanged',
  invalid: 'Invalid',
  duplicate: 'Duplicate in file',
};

export const STALE_PREVIEW = 'Secrets changed since this preview. Review the new preview.';

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
