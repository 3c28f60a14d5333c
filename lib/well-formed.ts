// Ill-formed UTF-16 (a lone surrogate such as "\ud800", valid in JSON) cannot be
// written as UTF-8: it would be stored altered, as U+FFFD (TRUST-NOTES.md).
// Every text input refuses it, with its field's name. Pure: the browser, the
// server and the CLI's rules use it.

export const isWellFormed = (value: string): boolean => value.isWellFormed();

export const invalidCharacters = (field: string) => `${field} contains invalid characters (unpaired UTF-16 surrogate)`;

/** Arguments for a zod string's `.refine(...)`: refuse ill-formed text first, with the field's message. */
export const wellFormed = (field: string) => [isWellFormed, { error: invalidCharacters(field), abort: true }] as const;
