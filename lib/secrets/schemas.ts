import { z } from 'zod';
import { invalidCharacters, isWellFormed } from '@/lib/well-formed';

// One schema per input (DESIGN.md §3): the dialogs validate with it in the
// browser, the server actions and the API re-check with it on the server.

export const SECRET_TYPES = ['API_KEY', 'TOKEN', 'PASSWORD', 'CONNECTION_STRING', 'CERTIFICATE', 'OTHER'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

export const SECRET_TYPE_LABELS: Record<SecretType, string> = {
  API_KEY: 'API key',
  TOKEN: 'Token',
  PASSWORD: 'Password',
  CONNECTION_STRING: 'Connection string',
  CERTIFICATE: 'Certificate',
  OTHER: 'Other',
};

export const MAX_KEY_LENGTH = 256;
export const MAX_VALUE_BYTES = 64 * 1024;
export const MAX_DESCRIPTION_LENGTH = 500;

export const MESSAGES = {
  keyRequired: 'Secret key is required',
  keyPattern: 'Secret key may contain only letters, digits and underscores, and cannot start with a digit',
  keyTooLong: `Secret key must be at most ${MAX_KEY_LENGTH} characters`,
  keyReserved: 'Secret keys starting with KEYHOLD_ are reserved',
  keyExists: 'A secret with this key already exists',
  valueRequired: 'Secret value is required',
  valueTooLarge: 'Secret value must be at most 64 KiB',
  keyInvalidCharacters: invalidCharacters('Secret key'),
  valueInvalidCharacters: invalidCharacters('Secret value'),
  valueNotText: 'Secret value must be text',
  descriptionInvalidCharacters: invalidCharacters('Description'),
  descriptionNotText: 'Description must be text',
  typeRequired: 'Choose a secret type',
  descriptionTooLong: `Description must be at most ${MAX_DESCRIPTION_LENGTH} characters`,
  noChanges: 'No changes to save',
  conflict: 'This secret was changed by someone else. Reload and try again.',
} as const;

const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const utf8Bytes = (value: string) => new TextEncoder().encode(value).length;

export const secretKeySchema = z
  .string({ error: MESSAGES.keyRequired })
  .trim()
  // abort: an empty key reports only "required", not also the pattern message.
  .min(1, { error: MESSAGES.keyRequired, abort: true })
  .refine(isWellFormed, { error: MESSAGES.keyInvalidCharacters, abort: true })
  .max(MAX_KEY_LENGTH, MESSAGES.keyTooLong)
  .regex(KEY_PATTERN, MESSAGES.keyPattern)
  .refine((key) => !key.toUpperCase().startsWith('KEYHOLD_'), MESSAGES.keyReserved);

/** Values are stored exactly as typed: no trimming, multi-line allowed. */
const valueSchema = (params: { error: string } = { error: MESSAGES.valueNotText }) =>
  z
    .string(params)
    .refine(isWellFormed, { error: MESSAGES.valueInvalidCharacters, abort: true })
    .refine((value) => utf8Bytes(value) <= MAX_VALUE_BYTES, MESSAGES.valueTooLarge);

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
  value: valueSchema({ error: MESSAGES.valueRequired }).refine((value) => value.length > 0, MESSAGES.valueRequired),
  description: descriptionSchema,
  type: typeSchema,
});
export type CreateSecretInput = z.input<typeof createSecretSchema>;

export const updateSecretSchema = z.object({
  /** Empty keeps the current value. */
  value: valueSchema(),
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
