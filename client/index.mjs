// @ts-check
// Keyhold over HTTP for other Node services (Node >= 18, global fetch, no
// dependencies). Types: ./index.d.mts. Import as `keyhold/client`.
//
// Reads come from the environment's latest successful deployment; writes go
// to the working set and take effect with the next deployment (DESIGN.md §7).
// No value is ever logged or put into an error message.

/** @typedef {import('./index.d.mts').SecretType} SecretType */
/** @typedef {import('./index.d.mts').SecretInfo} SecretInfo */
/** @typedef {import('./index.d.mts').Secrets} Secrets */
/** @typedef {import('./index.d.mts').SecretsSnapshot} SecretsSnapshot */
/** @typedef {import('./index.d.mts').CreateSecretInput} CreateSecretInput */
/** @typedef {import('./index.d.mts').UpdateSecretInput} UpdateSecretInput */
/** @typedef {import('./index.d.mts').KeyholdClientOptions} KeyholdClientOptions */
/** @typedef {import('./index.d.mts').ImportPreview} ImportPreview */
/** @typedef {import('./index.d.mts').ImportApplyInput} ImportApplyInput */
/** @typedef {import('./index.d.mts').ImportApplyOutcome} ImportApplyOutcome */
/** @typedef {import('./index.d.mts').FetchLike} FetchLike */
/** @typedef {import('./index.d.mts').Deployment} Deployment */
/** @typedef {import('./index.d.mts').ResponseLike} ResponseLike */

export const VERSION = '0.1.0';

export { SECRET_TYPES } from '../lib/secrets/rules.mjs';

/** Codes the client itself uses when there is no answer from Keyhold to report. */
export const CLIENT_ERROR_CODES = Object.freeze(['network_error', 'timeout', 'bad_response', 'not_configured']);

export class KeyholdError extends Error {
  /**
   * @param {string} code stable machine code: the API's `error.code`, or a client code (network_error, timeout, bad_response, not_configured)
   * @param {string} message a sentence for people; never contains a value or the token
   * @param {number} status HTTP status, 0 when there was no HTTP answer
   * @param {{ fields?: Record<string, string>, retryAfter?: number, cause?: unknown }} [extra]
   */
  constructor(code, message, status, extra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'KeyholdError';
    this.code = code;
    this.status = status;
    /** @type {Record<string, string> | undefined} */
    this.fields = extra.fields;
    /** @type {number | undefined} seconds, from Retry-After on a 429 */
    this.retryAfter = extra.retryAfter;
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_RETRY_AFTER_S = 30;

/**
 * `https://keyhold.example.com`, `…/`, `…/api/v1` and `…/api/v1/` all mean the same API.
 * @param {string} url
 */
export function apiBase(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new KeyholdError('not_configured', `The Keyhold URL is not a valid URL: ${JSON.stringify(String(url).slice(0, 200))}`, 0);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new KeyholdError('not_configured', `The Keyhold URL must start with http:// or https:// (got ${parsed.protocol})`, 0);
  }
  if (parsed.username || parsed.password) {
    throw new KeyholdError('not_configured', 'The Keyhold URL must not contain a user name or password; use the token', 0);
  }
  parsed.search = '';
  parsed.hash = '';
  const path = parsed.pathname.replace(/\/+$/, '');
  parsed.pathname = path.endsWith('/api/v1') ? path : `${path}/api/v1`;
  return parsed.href;
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A null-prototype, frozen copy: `__proto__`, `constructor` and `toString`
 * are ordinary keys and a missing key reads as undefined.
 * @param {unknown} value
 * @returns {Secrets | null}
 */
function toSecrets(value) {
  if (!isObject(value)) return null;
  /** @type {Record<string, string>} */
  const out = Object.create(null);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') return null;
    out[key] = v;
  }
  return Object.freeze(out);
}

/** @param {string | null} header @returns {number | undefined} */
function parseRetryAfter(header) {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** @param {unknown} error @returns {string} */
function networkReason(error) {
  /** @type {any} */
  let e = error;
  let message = error instanceof Error ? error.message : String(error);
  // fetch wraps the socket error: TypeError('fetch failed', { cause }); use the innermost code or message.
  for (let i = 0; i < 5 && e; i++) {
    if (typeof e.code === 'string' && e.code !== 'UND_ERR_SOCKET') return e.code;
    if (e.errors?.[0]?.code) return e.errors[0].code; // AggregateError of a multi-address connect
    if (typeof e.message === 'string' && e.message) message = e.message;
    e = e.cause;
  }
  return message;
}

/** @param {unknown} body @returns {body is ImportPreview} */
const isPreview = (body) => isObject(body) && typeof body.id === 'string' && Array.isArray(body.rows) && isObject(body.counts);

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {ResponseLike} response
 * @param {string} what e.g. `GET /secrets`
 * @returns {Promise<KeyholdError>}
 */
async function errorFrom(response, what) {
  const text = await response.text().catch(() => '');
  /** @type {unknown} */
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = isObject(body) && isObject(body.error) ? body.error : null;
  if (error && typeof error.code === 'string') {
    const message = typeof error.message === 'string' && error.message ? error.message : `${what} failed with HTTP ${response.status}`;
    const fields = isObject(error.fields) ? /** @type {Record<string, string>} */ (error.fields) : undefined;
    return new KeyholdError(error.code, message, response.status, {
      fields,
      retryAfter: response.status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : undefined,
    });
  }
  if (response.status >= 300 && response.status < 400) return redirected(what, response.status, response.headers.get('location'));
  return new KeyholdError(
    'bad_response',
    `${what} answered HTTP ${response.status} without a Keyhold error body; is the URL a Keyhold server?`,
    response.status,
  );
}

/**
 * Redirects are not followed (the token must not travel elsewhere): say where to point the URL instead.
 * @param {string} what @param {number} status @param {string | null} location
 */
const redirected = (what, status, location) =>
  new KeyholdError(
    'bad_response',
    `${what} answered with a redirect (HTTP ${status}${location ? ` to ${location.slice(0, 200)}` : ''}); set the Keyhold URL to the address it redirects to`,
    status,
  );

export class KeyholdClient {
  /** @param {KeyholdClientOptions} [options] */
  constructor(options = {}) {
    const env = typeof process !== 'undefined' ? process.env : {};
    const url = options.url ?? env.KEYHOLD_URL;
    const token = options.token ?? env.KEYHOLD_TOKEN;
    if (!url) throw new KeyholdError('not_configured', 'No Keyhold URL: pass { url } or set KEYHOLD_URL', 0);
    if (!token) throw new KeyholdError('not_configured', 'No Keyhold token: pass { token } or set KEYHOLD_TOKEN', 0);
    /** @readonly */
    this.baseUrl = apiBase(url);
    this.#token = token;
    this.#fetch = options.fetch ?? /** @type {FetchLike} */ (/** @type {unknown} */ (globalThis.fetch));
    if (typeof this.#fetch !== 'function') {
      throw new KeyholdError('not_configured', 'No fetch: use Node 18 or newer, or pass { fetch }', 0);
    }
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxAgeMs = options.maxAgeMs ?? 0;
    this.#retries = options.retries ?? 2;
    this.#userAgent = options.userAgent ?? `keyhold-client/${VERSION}`;
  }

  /** @type {string} */
  #token;
  /** @type {FetchLike} */
  #fetch;
  /** @type {number} */
  #timeoutMs;
  /** @type {number} */
  #maxAgeMs;
  /** @type {number} */
  #retries;
  /** @type {string} */
  #userAgent;
  /** @type {{ etag: string | null, snapshot: SecretsSnapshot, at: number } | null} */
  #cache = null;
  /** @type {Promise<SecretsSnapshot> | null} */
  #inFlight = null;

  /**
   * One request with the token, a timeout, and 429 retries (when Retry-After is short).
   * @param {string} method
   * @param {string} path relative to /api/v1, starting with '/'
   * @param {{ body?: unknown, headers?: Record<string, string> }} [init]
   * @returns {Promise<ResponseLike>}
   */
  async #request(method, path, init = {}) {
    const url = this.baseUrl + path;
    /** @type {Record<string, string>} */
    const headers = {
      authorization: `Bearer ${this.#token}`,
      accept: 'application/json',
      'user-agent': this.#userAgent,
      ...init.headers,
    };
    let body;
    if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    for (let attempt = 0; ; attempt++) {
      /** @type {ResponseLike} */
      let response;
      try {
        response = await this.#fetch(url, {
          method,
          headers,
          body,
          // Next.js patches fetch and may keep responses in its Data Cache (on
          // disk): secrets must never be cached there.
          cache: 'no-store',
          redirect: 'error',
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        const e = /** @type {{ name?: string }} */ (error);
        if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
          throw new KeyholdError('timeout', `${method} ${url} got no answer within ${this.#timeoutMs} ms`, 0, { cause: error });
        }
        const reason = networkReason(error);
        if (reason === 'unexpected redirect') throw redirected(`${method} ${path}`, 300, null); // fetch with redirect: 'error'
        throw new KeyholdError('network_error', `Cannot reach ${new URL(url).origin} (${reason})`, 0, { cause: error });
      }
      if (response.status === 429 && attempt < this.#retries) {
        const wait = parseRetryAfter(response.headers.get('retry-after'));
        if (wait !== undefined && wait <= MAX_RETRY_AFTER_S) {
          await response.text().catch(() => '');
          await sleep(Math.max(wait, 0.05) * 1000);
          continue;
        }
      }
      return response;
    }
  }

  /**
   * @param {ResponseLike} response
   * @param {string} what
   */
  async #json(response, what) {
    const text = await response.text();
    try {
      return /** @type {unknown} */ (JSON.parse(text));
    } catch {
      throw new KeyholdError('bad_response', `${what} answered with a body that is not JSON`, response.status);
    }
  }

  /**
   * The deployed environment with its deployment number and ETag. Sends
   * If-None-Match with the last ETag; a 304 answers from memory.
   * @returns {Promise<SecretsSnapshot>}
   */
  fetchSecrets() {
    const cache = this.#cache;
    if (cache && this.#maxAgeMs > 0 && Date.now() - cache.at < this.#maxAgeMs) {
      return Promise.resolve({ ...cache.snapshot, notModified: true });
    }
    // Concurrent callers share one request.
    this.#inFlight ??= this.#fetchSecrets().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /** @returns {Promise<SecretsSnapshot>} */
  async #fetchSecrets() {
    const what = 'GET /secrets';
    const cached = this.#cache;
    /** @type {Record<string, string>} */
    const headers = cached?.etag ? { 'if-none-match': cached.etag } : {};
    let response = await this.#request('GET', '/secrets', { headers });
    if (response.status === 304) {
      if (cached) {
        cached.at = Date.now();
        return { ...cached.snapshot, notModified: true };
      }
      await response.text().catch(() => '');
      response = await this.#request('GET', '/secrets');
    }
    if (response.status !== 200) throw await errorFrom(response, what);
    const body = await this.#json(response, what);
    const secrets = isObject(body) ? toSecrets(body.secrets) : null;
    if (!secrets) throw new KeyholdError('bad_response', `${what} answered without a { "secrets": { KEY: "value" } } object`, 200);
    const deploymentHeader = response.headers.get('x-keyhold-deployment');
    const deployment = deploymentHeader && /^\d+$/.test(deploymentHeader) ? Number(deploymentHeader) : null;
    const etag = response.headers.get('etag');
    const environment = response.headers.get('x-keyhold-environment');
    /** @type {SecretsSnapshot} */
    const snapshot = { secrets, deployment, environment, etag, notModified: false };
    this.#cache = { etag, snapshot, at: Date.now() };
    return snapshot;
  }

  /**
   * Every deployed secret as a frozen, null-prototype `{ KEY: value }`.
   * @returns {Promise<Secrets>}
   */
  async getSecrets() {
    return (await this.fetchSecrets()).secrets;
  }

  /**
   * One deployed secret's value. Throws KeyholdError `secret_not_found` when
   * the deployed environment has no such key.
   * @param {string} name
   * @returns {Promise<string>}
   */
  async getSecret(name) {
    if (typeof name !== 'string' || name === '') throw new TypeError('getSecret(name): name must be a non-empty string');
    if (name === 'info') {
      // GET /secrets/info is the working-set listing, so a secret named `info`
      // is read from the whole deployed environment instead.
      const secrets = await this.getSecrets();
      if (Object.prototype.hasOwnProperty.call(secrets, name)) return secrets[name];
      throw new KeyholdError('secret_not_found', 'No secret with this name in the deployed environment.', 404);
    }
    const what = `GET /secrets/${name}`;
    const response = await this.#request('GET', `/secrets/${encodeURIComponent(name)}`);
    if (response.status !== 200) throw await errorFrom(response, what);
    const body = await this.#json(response, what);
    if (!isObject(body) || typeof body.value !== 'string') {
      throw new KeyholdError('bad_response', `${what} answered without a { name, value } object`, 200);
    }
    return body.value;
  }

  /**
   * Creates a secret in the working set (read-write token).
   * @param {CreateSecretInput} input
   * @returns {Promise<{ id: string }>}
   */
  async createSecret(input) {
    const response = await this.#request('POST', '/secrets', { body: input });
    if (response.status !== 201 && response.status !== 200) throw await errorFrom(response, 'POST /secrets');
    return this.#idFrom(await this.#json(response, 'POST /secrets'), 'POST /secrets');
  }

  /**
   * The working set's secrets without values (read-write token).
   * @returns {Promise<SecretInfo[]>}
   */
  async listSecretInfo() {
    const what = 'GET /secrets/info';
    const response = await this.#request('GET', '/secrets/info');
    if (response.status !== 200) throw await errorFrom(response, what);
    const body = await this.#json(response, what);
    if (!isObject(body) || !Array.isArray(body.secrets) || !body.secrets.every((s) => isObject(s) && typeof s.id === 'string' && typeof s.name === 'string')) {
      throw new KeyholdError('bad_response', `${what} answered without a { "secrets": [{ id, name, … }] } list`, 200);
    }
    return /** @type {SecretInfo[]} */ (body.secrets);
  }

  /**
   * Changes any of name, value, description, type of a secret by id (read-write token).
   * @param {string} id
   * @param {UpdateSecretInput} partial
   * @returns {Promise<{ id: string }>}
   */
  async updateSecret(id, partial) {
    const what = 'PATCH /secrets/:id';
    const response = await this.#request('PATCH', `/secrets/${encodeURIComponent(id)}`, { body: partial });
    if (response.status !== 200) throw await errorFrom(response, what);
    return this.#idFrom(await this.#json(response, what), what);
  }

  /**
   * Deletes a secret by id (read-write token).
   * @param {string} id
   * @returns {Promise<void>}
   */
  async deleteSecret(id) {
    const response = await this.#request('DELETE', `/secrets/${encodeURIComponent(id)}`);
    if (response.status !== 204 && response.status !== 200) throw await errorFrom(response, 'DELETE /secrets/:id');
    await response.text().catch(() => '');
  }

  /**
   * Redeploys the token's environment (read-write token). Resolves with the
   * new deployment at once; its hook may still be running (see getDeployment).
   * `environment`: refuse (validation_failed, nothing deployed) unless the token's environment is this one.
   * @param {{ environment?: string }} [options]
   * @returns {Promise<Deployment>}
   */
  async createDeployment(options = {}) {
    const what = 'POST /deployments';
    const query = options.environment ? `?environment=${encodeURIComponent(options.environment)}` : '';
    const response = await this.#request('POST', `/deployments${query}`);
    if (response.status !== 201) throw await errorFrom(response, what);
    return this.#deploymentFrom(await this.#json(response, what), what);
  }

  /**
   * A deployment of the token's environment by number.
   * @param {number} number
   * @returns {Promise<Deployment>}
   */
  async getDeployment(number) {
    if (!Number.isInteger(number) || number < 1) throw new TypeError('getDeployment(number): number must be a positive integer');
    const what = `GET /deployments/${number}`;
    const response = await this.#request('GET', `/deployments/${number}`);
    if (response.status !== 200) throw await errorFrom(response, what);
    return this.#deploymentFrom(await this.#json(response, what), what);
  }

  /**
   * @param {unknown} body
   * @param {string} what
   * @returns {Deployment}
   */
  #deploymentFrom(body, what) {
    if (!isObject(body) || typeof body.number !== 'number' || typeof body.status !== 'string' || !isObject(body.changes)) {
      throw new KeyholdError('bad_response', `${what} answered without a { number, status, changes } deployment`, 200);
    }
    return /** @type {Deployment} */ (/** @type {unknown} */ (body));
  }

  /**
   * What importing .env or flat JSON text would do, key by key (read-write token). No values come back.
   * @param {{ format: 'env' | 'json', text: string }} input
   * @returns {Promise<ImportPreview>}
   */
  async previewImport(input) {
    const what = 'POST /imports/preview';
    const response = await this.#request('POST', '/imports/preview', { body: { format: input.format, text: input.text } });
    if (response.status !== 200) throw await errorFrom(response, what);
    const body = await this.#json(response, what);
    if (!isPreview(body)) throw new KeyholdError('bad_response', `${what} answered without a preview`, 200);
    return body;
  }

  /**
   * Applies a preview of the same text, all or nothing (read-write token).
   * @param {ImportApplyInput} input
   * @returns {Promise<ImportApplyOutcome>}
   */
  async applyImport(input) {
    const what = 'POST /imports/apply';
    const body = { format: input.format, text: input.text, previewId: input.previewId, overwrite: input.overwrite ?? [] };
    const response = await this.#request('POST', '/imports/apply', { body });
    if (response.status === 409) {
      const text = await response.text();
      /** @type {any} */
      let answer;
      try {
        answer = JSON.parse(text);
      } catch {
        answer = null;
      }
      if (isObject(answer) && isObject(answer.error) && answer.error.code === 'preview_stale' && isPreview(answer.preview)) {
        return { stale: answer.preview, message: String(answer.error.message) };
      }
      throw await errorFrom({ status: 409, headers: response.headers, text: async () => text }, what);
    }
    if (response.status !== 200) throw await errorFrom(response, what);
    const applied = await this.#json(response, what);
    if (!isObject(applied) || typeof applied.created !== 'number') throw new KeyholdError('bad_response', `${what} answered without counts`, 200);
    return { applied: /** @type {any} */ (applied) };
  }

  /** Forgets the cached deployment (the next getSecrets asks without If-None-Match). */
  clearCache() {
    this.#cache = null;
  }

  /**
   * @param {unknown} body
   * @param {string} what
   */
  #idFrom(body, what) {
    if (!isObject(body) || typeof body.id !== 'string') throw new KeyholdError('bad_response', `${what} answered without an { id }`, 200);
    return { id: body.id };
  }
}

/**
 * `createClient()` reads KEYHOLD_URL and KEYHOLD_TOKEN from the environment.
 * @param {KeyholdClientOptions} [options]
 */
export function createClient(options) {
  return new KeyholdClient(options);
}
