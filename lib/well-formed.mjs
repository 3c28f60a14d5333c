// @ts-check
// Ill-formed UTF-16 (a lone surrogate such as "\ud800", valid in JSON) cannot be
// written as UTF-8: it would be stored altered, as U+FFFD (TRUST-NOTES.md).
// Every text input refuses it, with its field's name. Plain JavaScript with no
// imports: the browser, the server and the CLI's rules use it.

/** @param {string} value */
export const isWellFormed = (value) => value.isWellFormed();

/** @param {string} field */
export const invalidCharacters = (field) => `${field} contains invalid characters (unpaired UTF-16 surrogate)`;

/**
 * Arguments for a zod string's `.refine(...)`: refuse ill-formed text first, with the field's message.
 * @param {string} field
 * @returns {readonly [(value: string) => boolean, { readonly error: string; readonly abort: true }]}
 */
export const wellFormed = (field) => [isWellFormed, { error: invalidCharacters(field), abort: true }];
