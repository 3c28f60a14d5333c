// @ts-check
// The rules a secret must meet, in one plain module: key pattern, reserved
// prefix, size limits, types and their sentences. Plain JavaScript (types:
// rules.d.mts) so the app's schemas (lib/secrets/schemas.ts), client
// components, the CLI (`keyhold import`) and the HTTP client (client/) all
// import the same rules.
import { invalidCharacters, isWellFormed } from '../well-formed.mjs';

/** Secret types, as stored and as sent over the API. */
export const SECRET_TYPES = Object.freeze(/** @type {const} */ (['API_KEY', 'TOKEN', 'PASSWORD', 'CONNECTION_STRING', 'CERTIFICATE', 'OTHER']));

export const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Keys starting with this, in any case, are Keyhold's own (KEYHOLD_URL, KEYHOLD_TOKEN). */
export const RESERVED_PREFIX = 'KEYHOLD_';
export const MAX_KEY_LENGTH = 256;
export const MAX_VALUE_BYTES = 64 * 1024;
export const MAX_DESCRIPTION_LENGTH = 500;

export const RULE_MESSAGES = Object.freeze({
  keyRequired: 'Secret key is required',
  keyPattern: 'Secret key may contain only letters, digits and underscores, and cannot start with a digit',
  keyTooLong: `Secret key must be at most ${MAX_KEY_LENGTH} characters`,
  keyReserved: `Secret keys starting with ${RESERVED_PREFIX} are reserved`,
  keyInvalidCharacters: invalidCharacters('Secret key'),
  valueRequired: 'Secret value is required',
  valueTooLarge: `Secret value must be at most ${MAX_VALUE_BYTES / 1024} KiB`,
  valueInvalidCharacters: invalidCharacters('Secret value'),
  descriptionTooLong: `Description must be at most ${MAX_DESCRIPTION_LENGTH} characters`,
  descriptionInvalidCharacters: invalidCharacters('Description'),
});

/** @param {string} key */
const isReservedKey = (key) => key.toUpperCase().startsWith(RESERVED_PREFIX);

/**
 * Why a key is refused, or null. The key is checked as given: the browser
 * form trims what people paste first; the CLI reports " FOO" instead.
 * @param {string} key
 */
export function keyProblem(key) {
  if (key.length === 0) return RULE_MESSAGES.keyRequired;
  if (!isWellFormed(key)) return RULE_MESSAGES.keyInvalidCharacters;
  if (key.length > MAX_KEY_LENGTH) return RULE_MESSAGES.keyTooLong;
  if (!KEY_PATTERN.test(key)) return RULE_MESSAGES.keyPattern;
  if (isReservedKey(key)) return RULE_MESSAGES.keyReserved;
  return null;
}

const encoder = new TextEncoder();

/**
 * Why a value is refused, or null. Values are taken exactly as typed (no
 * trimming, several lines allowed).
 * @param {string} value
 */
export function valueProblem(value) {
  if (value.length === 0) return RULE_MESSAGES.valueRequired;
  if (!isWellFormed(value)) return RULE_MESSAGES.valueInvalidCharacters;
  if (encoder.encode(value).length > MAX_VALUE_BYTES) return RULE_MESSAGES.valueTooLarge;
  return null;
}
