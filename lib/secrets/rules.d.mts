// Types of rules.mjs (hand-written, so the HTTP client's users need no allowJs).

export type SecretType = 'API_KEY' | 'TOKEN' | 'PASSWORD' | 'CONNECTION_STRING' | 'CERTIFICATE' | 'OTHER';
export declare const SECRET_TYPES: readonly ['API_KEY', 'TOKEN', 'PASSWORD', 'CONNECTION_STRING', 'CERTIFICATE', 'OTHER'];

export declare const KEY_PATTERN: RegExp;
export declare const RESERVED_PREFIX: 'KEYHOLD_';
export declare const MAX_KEY_LENGTH: number;
export declare const MAX_VALUE_BYTES: number;
export declare const MAX_DESCRIPTION_LENGTH: number;

export declare const RULE_MESSAGES: Readonly<{
  keyRequired: string;
  keyPattern: string;
  keyTooLong: string;
  keyReserved: string;
  keyInvalidCharacters: string;
  valueRequired: string;
  valueTooLarge: string;
  valueInvalidCharacters: string;
  descriptionTooLong: string;
  descriptionInvalidCharacters: string;
}>;

export declare function keyProblem(key: string): string | null;
export declare function valueProblem(value: string): string | null;
