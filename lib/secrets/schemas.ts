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
  alsoEnvironmentMissing: 'Choose environments of this project',
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

/** The override of publicCredentialProblem (audited when it was needed). */
const allowPublicCredentialSchema = z.boolean({ error: 'allowPublicCredential must be true or false' }).default(false);

export const createSecretSchema = z.object({
  key: secretKeySchema,
  value: valueSchema({ error: MESSAGES.valueRequired }).superRefine(problem(valueProblem)),
  description: descriptionSchema,
  type: typeSchema,
  allowPublicCredential: allowPublicCredentialSchema,
});

/** The Add dialog: a new secret, and `Also add to` (other environments of the project, same value). */
export const addSecretSchema = createSecretSchema.extend({
  alsoEnvironmentIds: z.array(z.string().max(64)).max(100).default([]),
});
export type AddSecretInput = z.input<typeof addSecretSchema>;

export const updateSecretSchema = z.object({
  /** Empty keeps the current value. */
  value: valueSchema().superRefine(problem((value) => (value === '' ? null : valueProblem(value)))),
  description: descriptionSchema,
  type: typeSchema,
  allowPublicCredential: allowPublicCredentialSchema,
  /** The revision the edit started from; a newer one in the database is a conflict. */
  revision: z.number().int().positive(),
});
export type UpdateSecretInput = z.input<typeof updateSecretSchema>;

export function isPublicKey(key: string): boolean {
  return key.startsWith('NEXT_PUBLIC_');
}

/** Shapes of credentials that must never ship to browsers, by what they are. */
const CREDENTIAL_SHAPES: { kind: string; pattern: RegExp }[] = [
  { kind: 'a PEM private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { kind: 'a Stripe live secret key', pattern: /\bsk_live_[A-Za-z0-9]{8,}/ },
  { kind: 'an AWS access key id', pattern: /\bAKIA[A-Z0-9]{16}\b/ },
  { kind: 'a GitHub token', pattern: /\bghp_[A-Za-z0-9]{20,}/ },
  { kind: 'a Slack token', pattern: /\bxox[bp]-[A-Za-z0-9-]{10,}/ },
  { kind: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/ },
];

/** Ticked in the dialogs (`allowPublicCredential` over the API): publish a credential-looking NEXT_PUBLIC_ value anyway. */
export const PUBLIC_CREDENTIAL_OVERRIDE = 'Ship this value to every browser anyway';

/**
 * The refusal for a value under a NEXT_PUBLIC_ key that looks like a
 * credential, or null. Checked by the data layer (so the API refuses too) and
 * shown live in the dialogs; the override skips it (and is audited).
 */
export function publicCredentialProblem(key: string, value: string): string | null {
  if (!isPublicKey(key)) return null;
  const shape = CREDENTIAL_SHAPES.find(({ pattern }) => pattern.test(value));
  if (!shape) return null;
  return `This value looks like ${shape.kind}. NEXT_PUBLIC_ values are shipped to every browser that loads the app, so anyone could read it. Use a key without NEXT_PUBLIC_, or tick “${PUBLIC_CREDENTIAL_OVERRIDE}” if it is meant to be public.`;
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

/** `Generate`: which characters a generated value is made of. */
export const GENERATE_ALPHABETS = {
  alphanumeric: { label: 'Letters and digits', characters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' },
  symbols: { label: 'Letters, digits and symbols', characters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&*+-.:=?@^_~' },
  hex: { label: 'Hexadecimal', characters: '0123456789abcdef' },
  base64url: { label: 'URL-safe base64', characters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_' },
} as const;
export type GenerateAlphabet = keyof typeof GENERATE_ALPHABETS;
export const GENERATE_LENGTH = { min: 16, max: 256, default: 32 } as const;

export const generateValueSchema = z.object({
  length: z.coerce
    .number({ error: `Length must be a number from ${GENERATE_LENGTH.min} to ${GENERATE_LENGTH.max}` })
    .int(`Length must be a whole number from ${GENERATE_LENGTH.min} to ${GENERATE_LENGTH.max}`)
    .min(GENERATE_LENGTH.min, `Length must be at least ${GENERATE_LENGTH.min}`)
    .max(GENERATE_LENGTH.max, `Length must be at most ${GENERATE_LENGTH.max}`),
  alphabet: z.enum(Object.keys(GENERATE_ALPHABETS) as [GenerateAlphabet, ...GenerateAlphabet[]], { error: 'Choose the characters' }),
});
export type GenerateValueInput = z.input<typeof generateValueSchema>;
