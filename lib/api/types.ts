// The types of Keyhold's machine API, shared by the in-process API
// (lib/api/in-process.ts), the HTTP API (lib/api/**) and the over-HTTP client
// (client/**). Plain TypeScript: no imports but the secret rules' types
// (lib/secrets/rules.mjs), no runtime code beyond a constant table.
import type { SecretType } from '@/lib/secrets/rules.mjs';

/** All the deployed secrets of an environment: key → value. Built so a key named `__proto__` is an ordinary key. */
export type SecretMap = Record<string, string>;

/** One secret of the working set, without its value (`GET /api/v1/secrets/info`). Times are ISO 8601. */
export type SecretInfo = {
  id: string;
  name: string;
  description: string;
  type: SecretType;
  createdAt: string;
  updatedAt: string;
};

/** `POST /api/v1/secrets`, `createSecret()`. `type` defaults to one suggested from the name (`*_URL` → CONNECTION_STRING, ...). */
export type NewSecretInput = {
  name: string;
  value: string;
  description?: string;
  type?: SecretType;
  /** Store a credential-looking value under a NEXT_PUBLIC_ name anyway (audited); otherwise `public_credential`. */
  allowPublicCredential?: boolean;
};

/** `PATCH /api/v1/secrets/:id`, `updateSecret()`: only the fields given change; a `value` makes a new version. */
export type SecretPatchInput = {
  name?: string;
  value?: string;
  description?: string;
  type?: SecretType;
  allowPublicCredential?: boolean;
};

export type CreatedSecret = { id: string };
export type UpdatedSecret = { id: string };

/** Every `error.code` the API answers with (the HTTP status is fixed per code: see API_ERROR_STATUS). */
export type ApiErrorCode =
  | 'missing_token'
  | 'invalid_token'
  | 'token_expired'
  | 'token_revoked'
  | 'insufficient_scope'
  | 'not_found'
  | 'secret_not_found'
  | 'deployment_not_found'
  | 'not_deployed'
  | 'method_not_allowed'
  | 'conflict'
  | 'preview_stale'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid_json'
  | 'validation_failed'
  | 'public_credential'
  | 'no_changes'
  | 'rate_limited'
  | 'integrity_error'
  | 'internal_error'
  | 'database_unavailable'
  | 'keys_missing';

export const API_ERROR_STATUS: Record<ApiErrorCode, number> = {
  missing_token: 401,
  invalid_token: 401,
  token_expired: 401,
  token_revoked: 401,
  insufficient_scope: 403,
  not_found: 404,
  secret_not_found: 404,
  deployment_not_found: 404,
  not_deployed: 404,
  method_not_allowed: 405,
  conflict: 409,
  preview_stale: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_json: 400,
  validation_failed: 422,
  public_credential: 422,
  no_changes: 422,
  rate_limited: 429,
  integrity_error: 500,
  internal_error: 500,
  database_unavailable: 503,
  keys_missing: 503,
};

/**
 * The verbs, bound to one project environment: the same in-process
 * (`keyhold({ projectId, environmentId })` in lib/api/in-process.ts) and over HTTP (client/).
 * Reads see the environment's latest successful deployment; writes change the
 * working set (they take effect at the next deployment).
 */
export interface KeyholdSecrets {
  /** One deployed value; rejects with code `secret_not_found` or `not_deployed`. */
  getSecret(name: string): Promise<string>;
  /** Every deployed key and value. */
  getSecrets(): Promise<SecretMap>;
  createSecret(input: NewSecretInput): Promise<CreatedSecret>;
  /** The working set without values, ordered by name. */
  listSecretInfo(): Promise<SecretInfo[]>;
  updateSecret(id: string, patch: SecretPatchInput): Promise<UpdatedSecret>;
  deleteSecret(id: string): Promise<void>;
}
