import { INTEGRITY_MESSAGE, IntegrityError } from '@/lib/crypto/envelope';
import { API_ERROR_STATUS, type ApiErrorCode } from '@/lib/api/types';

/** The error every machine-API call rejects with, in-process and over HTTP: the same code and message as the HTTP API's JSON error. */
export class KeyholdError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: Partial<Record<string, string>>,
    /** Seconds to wait (rate_limited). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'KeyholdError';
    this.status = API_ERROR_STATUS[code];
  }
}

// An expected failure of an /api/v1 request (or of the in-process API, which
// rejects with the same errors): answered over HTTP as
// { "error": { "code", "message", "fields"? } } with the code's status.

export class ApiError extends KeyholdError {
  constructor(
    code: ApiErrorCode,
    message: string,
    readonly options: { fields?: Partial<Record<string, string>>; headers?: Record<string, string>; close?: boolean; retryAfter?: number } = {},
  ) {
    super(code, message, options.fields, options.retryAfter);
    this.name = 'ApiError';
  }
}

export const API_MESSAGES = {
  missingToken: 'Send a service token: Authorization: Bearer kh_…',
  invalidToken: 'This service token is not valid.',
  tokenExpired: 'This service token has expired. Create a new one in Keyhold (Settings → Tokens).',
  tokenRevoked: 'This service token was revoked. Create a new one in Keyhold (Settings → Tokens).',
  insufficientScope: 'This token can only read. Writes need a read-write token.',
  notFound: 'No such endpoint. See /api/v1/openapi.json.',
  secretNameNotFound: 'No secret with this name in the deployed environment.',
  secretIdNotFound: "No secret with this id in this token's environment.",
  otherEnvironment: (actual: string, expected: string) => `This token deploys ${actual}, not ${expected}. Nothing was deployed.`,
  deploymentNotFound: "No deployment with this number in this token's environment.",
  notDeployed: (environment: string) => `The ${environment} environment has no successful deployment yet. Redeploy it in Keyhold first.`,
  methodNotAllowed: (method: string, allowed: string) => `${method} is not allowed here. Allowed: ${allowed}.`,
  payloadTooLarge: 'The request body is larger than 128 KiB.',
  importTooLarge: 'The request body is larger than 10 MiB.',
  unsupportedMediaType: 'Send the body as JSON with Content-Type: application/json.',
  invalidJson: 'The request body is not valid JSON.',
  notAnObject: 'Send a JSON object with the fields name, value, description, type and allowPublicCredential.',
  unknownField: 'Unknown field. The fields are name, value, description, type and allowPublicCredential.',
  badFormat: 'format must be json or dotenv.',
  rateLimited: (seconds: number) => `Too many requests. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
  integrity: INTEGRITY_MESSAGE,
  databaseUnavailable: 'Keyhold cannot reach its database right now. Nothing was changed; try again in a moment.',
  keysMissing: 'The configured master keys cannot unwrap every project key.',
  internal: 'Something went wrong on the server. Try again; if it keeps failing, ask your Keyhold administrator to check the server log.',
} as const;

/**
 * The answer an error has over the API, or null for an unexpected one: an
 * ApiError as it is, a blob that failed to decrypt as `integrity_error` (its
 * own message names rows, so clients get the fixed sentence).
 */
export function knownApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof IntegrityError) return new ApiError('integrity_error', API_MESSAGES.integrity);
  return null;
}
