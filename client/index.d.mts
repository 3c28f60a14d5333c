// Types of `keyhold/client` (client/index.mjs). Hand-written: the client is
// plain ESM so another app can use it without a build step. A `.d.mts` beside
// an `.mjs` is what TypeScript pairs with it (an `index.d.ts` would be ignored
// for `./index.mjs` imports and the client would silently be `any`).

import type { SecretType } from '../lib/secrets/rules.mjs';
export type { SecretType };

export { SECRET_TYPES } from '../lib/secrets/rules.mjs';
export declare const CLIENT_ERROR_CODES: readonly ['network_error', 'timeout', 'bad_response', 'not_configured'];
export declare const VERSION: string;

/** A secret of the working set, as `GET /api/v1/secrets/info` lists it: never a value. */
export interface SecretInfo {
  id: string;
  name: string;
  description: string;
  type: SecretType;
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601 */
  updatedAt: string;
}

export interface CreateSecretInput {
  name: string;
  value: string;
  description?: string;
  type?: SecretType;
  /** Store a credential-looking value under a NEXT_PUBLIC_ name anyway (audited); otherwise `public_credential`. */
  allowPublicCredential?: boolean;
}

/** Any subset; omitted fields keep their current value. */
export interface UpdateSecretInput {
  name?: string;
  value?: string;
  description?: string;
  type?: SecretType;
  allowPublicCredential?: boolean;
}

/** What a deployment changes against the last successful one: keys only, never values. */
export interface ChangeSummary {
  added: { key: string; rebuild: boolean }[];
  changed: { key: string; fields: ('value' | 'description/type')[]; rebuild: boolean }[];
  removed: { key: string; rebuild: boolean }[];
}

/** A deployment of the token's environment (`POST /api/v1/deployments`, `GET /api/v1/deployments/:number`). */
export interface Deployment {
  number: number;
  environment: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  /** The server stopped while delivering it: it will not finish by itself. */
  interrupted: boolean;
  error: string | null;
  changes: ChangeSummary;
  secretCount: number;
  createdAt: string;
  finishedAt: string | null;
}

/** Deployed secrets: frozen, null-prototype (`__proto__` is an ordinary key; a missing key is undefined). */
export type Secrets = Readonly<Record<string, string>>;

export type ImportFormat = 'env' | 'json';
export type ImportStatus = 'new' | 'changed' | 'unchanged' | 'invalid' | 'duplicate';

/** One line of an import preview: a key (in an environment), never a value. */
export interface ImportRow {
  key: string;
  status: ImportStatus;
  /** null for rows about the file itself (invalid entries, duplicates). */
  environment: string | null;
  /** Where the key is in the text (every line of a duplicate). */
  lines: number[];
  /** invalid only: the rule it breaks. */
  reason?: string;
}

export interface ImportPreview {
  /** Send it to applyImport with the same text. */
  id: string;
  environments: string[];
  counts: Record<ImportStatus, number>;
  rows: ImportRow[];
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  invalid: number;
  duplicate: number;
  environments: string[];
}

export interface ImportApplyInput {
  format: ImportFormat;
  text: string;
  previewId: string;
  /** Changed keys to overwrite; the others are skipped. */
  overwrite?: string[];
}

/** `stale`: something the preview looked at changed since; nothing was written. */
export type ImportApplyOutcome = { applied: ImportResult } | { stale: ImportPreview; message: string };

export interface SecretsSnapshot {
  secrets: Secrets;
  /** X-Keyhold-Deployment: the deployment these values come from. */
  deployment: number | null;
  /** X-Keyhold-Environment: the token's environment, e.g. `production`. */
  environment: string | null;
  /** The strong ETag sent back as If-None-Match. */
  etag: string | null;
  /** True when answered from memory (a 304, or younger than maxAgeMs). */
  notModified: boolean;
}

/** The part of a fetch Response the client reads (lets the CLI pass a smaller transport). */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  cache?: 'no-store';
  redirect?: 'error';
  signal?: AbortSignal;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

export interface KeyholdClientOptions {
  /** Base URL of the Keyhold server (with or without `/api/v1`). Default: KEYHOLD_URL. */
  url?: string;
  /** Service token `kh_…`. Default: KEYHOLD_TOKEN. */
  token?: string;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /**
   * getSecrets()/fetchSecrets() answer from memory without a request while the
   * last answer is younger than this. Default 0: every call revalidates with
   * If-None-Match (a 304 when nothing was deployed since).
   */
  maxAgeMs?: number;
  /** Retries of a 429 whose Retry-After is at most 30 s. Default 2. */
  retries?: number;
  /** Default: global fetch. */
  fetch?: FetchLike;
  userAgent?: string;
}

/**
 * Every failure. `code` is the API's `error.code` (missing_token,
 * invalid_token, token_expired, token_revoked, insufficient_scope, not_found,
 * secret_not_found, not_deployed, method_not_allowed, conflict, preview_stale,
 * payload_too_large, unsupported_media_type, invalid_json, validation_failed,
 * no_changes, rate_limited, integrity_error, internal_error) or one of CLIENT_ERROR_CODES with status 0
 * (bad_response keeps the HTTP status).
 */
export declare class KeyholdError extends Error {
  constructor(code: string, message: string, status: number, extra?: { fields?: Record<string, string>; retryAfter?: number; cause?: unknown });
  readonly name: 'KeyholdError';
  code: string;
  /** HTTP status; 0 when there was no HTTP answer. */
  status: number;
  /** Field messages of a 422 validation_failed. */
  fields?: Record<string, string>;
  /** Seconds, from Retry-After on a 429. */
  retryAfter?: number;
}

export declare class KeyholdClient {
  constructor(options?: KeyholdClientOptions);
  /** `${url}/api/v1` */
  readonly baseUrl: string;
  /** All deployed secrets (latest successful deployment). */
  getSecrets(): Promise<Secrets>;
  /** The same with the deployment number and ETag. */
  fetchSecrets(): Promise<SecretsSnapshot>;
  /** One deployed value; throws KeyholdError `secret_not_found` when absent. */
  getSecret(name: string): Promise<string>;
  /** Read-write token: creates a secret in the working set. */
  createSecret(input: CreateSecretInput): Promise<{ id: string }>;
  /** Read-write token: the working set without values. */
  listSecretInfo(): Promise<SecretInfo[]>;
  /** Read-write token: partial update by id. */
  updateSecret(id: string, partial: UpdateSecretInput): Promise<{ id: string }>;
  /** Read-write token: deletes by id. */
  deleteSecret(id: string): Promise<void>;
  /** Read-write token: redeploys the token's environment; the hook (if any) is still being called when this resolves. */
  createDeployment(options?: { environment?: string }): Promise<Deployment>;
  /** A deployment of the token's environment by number; throws KeyholdError `deployment_not_found`. */
  getDeployment(number: number): Promise<Deployment>;
  /** Read-write token: what importing .env or flat JSON text would do, key by key (no values). */
  previewImport(input: { format: ImportFormat; text: string }): Promise<ImportPreview>;
  /** Read-write token: applies a preview, all or nothing; `stale` with the fresh preview when it no longer holds. */
  applyImport(input: ImportApplyInput): Promise<ImportApplyOutcome>;
  /** Forgets the cached deployment and ETag. */
  clearCache(): void;
}

/** `createClient()` reads KEYHOLD_URL and KEYHOLD_TOKEN from the environment. */
export declare function createClient(options?: KeyholdClientOptions): KeyholdClient;

/** Normalises a Keyhold URL to its `/api/v1` base. */
export declare function apiBase(url: string): string;
