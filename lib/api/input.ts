// Request bodies of the machine API, validated with the UI's own schema
// (lib/secrets/schemas.ts): same rules, same messages. The API names the key
// `name`, so field errors on `key` are reported on `name`.
import type { z } from 'zod';
import { API_MESSAGES, ApiError } from '@/lib/api/errors';
import { fieldErrorsOf } from '@/lib/parse-input';
import type { NewSecret, SecretPatch } from '@/lib/secrets/authorized';
import { MAX_DESCRIPTION_LENGTH } from '@/lib/secrets/rules.mjs';
import { createSecretSchema, MESSAGES, suggestType } from '@/lib/secrets/schemas';

const FIELDS = new Set(['name', 'value', 'description', 'type', 'allowPublicCredential']);

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('validation_failed', API_MESSAGES.notAnObject);
  }
  const object = body as Record<string, unknown>;
  const unknown = Object.keys(object).filter((field) => !FIELDS.has(field));
  if (unknown.length) {
    throw new ApiError('validation_failed', API_MESSAGES.unknownField, {
      fields: Object.fromEntries(unknown.map((field) => [field, API_MESSAGES.unknownField])),
    });
  }
  refuseWhatTheDocumentForbids(object);
  return object;
}

/**
 * The OpenAPI document is the contract, and it describes the raw JSON: a name
 * with spaces around it breaks the name's pattern, and a description's length
 * is counted in characters before any trimming. (The browser form trims what
 * people paste; a machine sends exactly what it means.)
 */
function refuseWhatTheDocumentForbids(object: Record<string, unknown>) {
  const fields: Record<string, string> = {};
  const { name, description } = object;
  if (typeof name === 'string' && name !== name.trim()) fields.name = MESSAGES.keyPattern;
  if (typeof description === 'string' && [...description].length > MAX_DESCRIPTION_LENGTH) fields.description = MESSAGES.descriptionTooLong;
  const first = Object.values(fields)[0];
  if (first) throw new ApiError('validation_failed', first, { fields });
}

const present = (object: Record<string, unknown>, field: string) => Object.hasOwn(object, field) && object[field] !== undefined;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const byField = fieldErrorsOf(parsed.error.issues);
  const fields: Record<string, string> = {};
  for (const [field, message] of Object.entries(byField)) fields[field === 'key' ? 'name' : field] = message;
  throw new ApiError('validation_failed', Object.values(fields)[0] ?? 'Check the fields', { fields });
}

/** `{ name, value, description?, type? }`; a missing type is suggested from the name, as the add dialog does. */
export function parseNewSecret(body: unknown): NewSecret {
  const object = asObject(body);
  const name = typeof object.name === 'string' ? object.name : '';
  return parse(createSecretSchema, {
    key: object.name,
    value: object.value,
    // null is not "absent": the document allows no null, so the schema refuses it with the field's message.
    description: object.description,
    type: present(object, 'type') ? object.type : suggestType(name),
    allowPublicCredential: object.allowPublicCredential,
  });
}

const patchSchema = createSecretSchema.partial();

/** `{ name?, value?, description?, type? }`: only the fields given change. An empty object is "No changes to save". */
export function parseSecretPatch(body: unknown): SecretPatch {
  const object = asObject(body);
  const input: Record<string, unknown> = {};
  if (present(object, 'name')) input.key = object.name;
  if (present(object, 'value')) input.value = object.value;
  if (present(object, 'description')) input.description = object.description;
  if (present(object, 'type')) input.type = object.type;
  if (present(object, 'allowPublicCredential')) input.allowPublicCredential = object.allowPublicCredential;
  const data = parse(patchSchema, input);
  return {
    ...(present(object, 'name') ? { key: data.key } : {}),
    ...(present(object, 'value') ? { value: data.value } : {}),
    // The schema defaults a missing description to ''; a patch without one keeps the current description.
    ...(present(object, 'description') ? { description: data.description } : {}),
    ...(present(object, 'type') ? { type: data.type } : {}),
    ...(data.allowPublicCredential ? { allowPublicCredential: true } : {}),
  };
}
