import { z } from 'zod';
import { isWellFormed } from '@/lib/well-formed.mjs';
import { keyProblem, MAX_DESCRIPTION_LENGTH, RULE_MESSAGES, SECRET_TYPES, valueProblem, type SecretType } from '@/lib/secrets/rules.mjs';

// One schema per input (DESIGN.md §3): the dialogs validate with it in the
// browser, the server actions and the API re-check with it on the server.
// The rules themselves (pattern, prefix, limits, types) are in rules.mjs.

export { SECRET_TYPES, type SecretType };

export const SECRET_TYPE_LABELS: Record<SecretType, string> = {
  API_KEY: 'API key',
  TOKEN: 'Token',
  PASSWORD: 'Password',
  CONNECTION_STRING: 'Connection string',
  CERTIFICATE: 'Certificate',
  OTHER: 'Other',
};

export const MESSAGES = {
  ...RULE_MESSAGES,
  keyExists: 'A secret with this key already exists',
  valueNotText: 'Secret value must be text',
  descriptionNotText: 'Description must be text',
  typeRequired: 'Choose a secret type',
  noChanges: 'No changes to save',
  conflict: 'This secret was changed by someone else. Reload and try again.',
} as const;

/** A zod check from one of rules.mjs's `…Problem` functions: its reason, or nothing. */
const problem = (check: (value: string) => string | null) => (value: string, ctx: z.core.$RefinementCtx<string>) => {
  const message = check(value);
  if (message) ctx.addIssue({ code: 'custom', message, input: value });
};

export const secretKeySchema = z.string({ error: MESSAGES.keyRequired }).trim().superRefine(problem(keyProblem));

/** Values are stored exactly as typed: no trimming, multi-line allowed. */
const valueSchema = (params: { error: string } = { error: MESSAGES.valueNotText }) => z.string(params);

/** Optional (DESIGN.md §3): a missing description is stored as ''. */
const descriptionSchema = z
  .string({ error: MESSAGES.descriptionNotText })
  .trim()
  .refine(isWellFormed, { error: MESSAGES.descriptionInvalidCharacters, abort: true })
  .max(MAX_DESCRIPTION_LENGTH, MESSAGES.descriptionTooLong)
  .default('');

const typeSchema = z.enum(SECRET_TYPES, { error: MESSAGES.typeRequired });

export const createSecretSchema = z.object({
  key: secretKeySchema,
  value: valueSchema({ error: MESSAGES.valueRequired }).superRefine(problem(valueProblem)),
  description: descriptionSchema,
  type: typeSchema,
});
export type CreateSecretInput = z.input<typeof createSecretSchema>;

export const updateSecretSchema = z.object({
  /** Empty keeps the current value. */
  value: valueSchema().superRefine(problem((value) => (value === '' ? null : valueProblem(value)))),
  description: descriptionSchema,
  type: typeSchema,
  /** The revision the edit started from; a newer one in the database is a conflict. */
  revision: z.number().int().positive(),
});
export type UpdateSecretInput = z.input<typeof updateSecretSchema>;

export function isPublicKey(key: string): boolean {
  return key.startsWith('NEXT_PUBLIC_');
}

/** Suggests a type from the key name (`*_URL` → Connection string, ...). */
export function suggestType(key: string): SecretType {
  const k = key.toUpperCase();
  if (/(_URL|_URI|_DSN|_CONNECTION_STRING|_CONN_STR)$/.test(k)) return 'CONNECTION_STRING';
  if (/(PASSWORD|_PASS|_PWD|PASSPHRASE)$/.test(k)) return 'PASSWORD';
  if (/(_CERT|_CERTIFICATE|_PEM|_CA|_CRT)$/.test(k) || /PRIVATE_KEY$/.test(k)) return 'CERTIFICATE';
  if (/TOKEN$/.test(k)) return 'TOKEN';
  if (/(API_KEY|APIKEY|_KEY|_SECRET)$/.test(k)) return 'API_KEY';
  // Only after the suffixes: DATABASE_PASSWORD is a password, not a connection string.
  if (/^DATABASE_/.test(k)) return 'CONNECTION_STRING';
  return 'OTHER';
}
