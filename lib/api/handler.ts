// The lean /api/v1 handler (DESIGN.md §8). server.ts calls it before Next's
// request handler; it answers /api/v1/* itself and leaves everything else to
// Next. It shares lib/ with the app but never imports `server-only` or Next's
// request APIs (it runs outside Next's bundler).
//
// Reads are the hot path: the token (by hash), the environment's live
// deployment and that deployment's decrypted, serialized secrets are all
// cached in memory (lib/tokens/registry.ts, lib/deploys/live.ts), so a warm GET
// hashes the token, looks up three maps, counts the read in memory
// (lib/audit/reads.ts) and writes bytes; a matching
// If-None-Match answers 304 without touching the snapshot at all.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditActor } from '@/lib/audit/mutations';
import { readJsonBody } from '@/lib/api/body';
import { API_MESSAGES, ApiError, knownApiError } from '@/lib/api/errors';
import { openApiDocument } from '@/lib/api/openapi';
import { MAX_IMPORT_BODY_BYTES } from '@/lib/api/body';
import {
  machineApplyImport,
  machineCreateDeployment,
  machineCreateSecret,
  machineDeleteSecret,
  machineGetDeployment,
  machineListSecretInfo,
  machinePreviewImport,
  machineUpdateSecret,
  type MachineScope,
} from '@/lib/api/operations';
import { ImportStaleError } from '@/lib/imports/authorized';
import { limitAddress, limitDeploys, limitToken } from '@/lib/api/rate-limit';
import { noteTokenRead } from '@/lib/audit/reads';
import { matchPath, type RouteDef } from '@/lib/api/routes';
import { createCache } from '@/lib/cache';
import { db, isDatabaseUnavailable } from '@/lib/db';
import { logUnexpected } from '@/lib/log';
import { scopeAllows } from '@/lib/permissions';
import { masterKeyProblem } from '@/lib/keys/master';
import { liveFor, readDeployment, type DeploymentEntry, type Live } from '@/lib/deploys/live';
import { hashToken, lookupToken, recordTokenUse, type TokenRecord } from '@/lib/tokens/registry';
import { TOKEN_PATTERN, tokenLabel } from '@/lib/tokens/schemas';

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const COMMON = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

let openApiBody: Buffer | undefined;

/** True when this handler owns the request URL (it then answers it); false leaves the request to Next. */
function isApiRequest(url: string | undefined): boolean {
  return !!url && url.startsWith('/api/v1') && (url.length === 7 || url[7] === '/' || url[7] === '?');
}

/**
 * Answers an /api/v1 request and returns true, or returns false (without
 * touching the response) for any other URL. Never throws: unexpected failures
 * are logged without values and answered 500 `internal_error`; an unreachable
 * database is answered 503 `database_unavailable` (cached deployments still serve).
 */
export function handleApiRequest(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url === '/api/health' || req.url === '/api/ready') {
    answerProbe(req.url, res).catch((error) =>
      sendError(res, error instanceof ApiError ? error : new ApiError('database_unavailable', API_MESSAGES.databaseUnavailable)),
    );
    return true;
  }
  if (!isApiRequest(req.url)) return false;
  serve(req, res).catch((error) => {
    const unavailable = isDatabaseUnavailable(error);
    if (!unavailable) logUnexpected('api request failed', error);
    if (res.headersSent) res.destroy();
    else if (unavailable) sendError(res, new ApiError('database_unavailable', API_MESSAGES.databaseUnavailable, { headers: { 'retry-after': '1' } }));
    else sendError(res, new ApiError('internal_error', API_MESSAGES.internal));
  });
  return true;
}

/**
 * Load balancer probes, without authentication, naming nothing (no version,
 * path, host or project): /api/health is 200 while the process serves;
 * /api/ready is 200 when the database answers and the master keys unwrap
 * every project key, else 503 `database_unavailable` or `keys_missing`.
 */
/**
 * The key check reads and unwraps every master-sealed blob: too much for an
 * unauthenticated probe to do each time, so it is remembered for a few
 * seconds (a database ping still runs on every probe).
 */
const keysUnwrap = createCache<boolean>({
  name: 'ready-keys-unwrap',
  load: async () => (await masterKeyProblem()) === null,
  ttlMs: () => 5_000,
});

async function answerProbe(url: '/api/health' | '/api/ready', res: ServerResponse): Promise<void> {
  if (url === '/api/ready') {
    let unwraps: boolean;
    try {
      await db.$queryRaw`SELECT 1`;
      unwraps = await keysUnwrap.read('every blob');
    } catch (error) {
      if (!isDatabaseUnavailable(error)) logUnexpected('readiness check failed', error);
      throw error;
    }
    if (!unwraps) throw new ApiError('keys_missing', API_MESSAGES.keysMissing);
  }
  sendJson(res, 200, { status: 'ok' });
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await route(req, res);
  } catch (error) {
    const known = knownApiError(error);
    if (!known) throw error;
    if (known.code === 'integrity_error') logUnexpected('api request: stored data failed its integrity check', error);
    sendError(res, known);
  }
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url!;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const matched = matchPath(path);
  if (!matched) throw new ApiError('not_found', API_MESSAGES.notFound);

  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  const def = matched.routes.find((r) => r.method === method);
  if (!def) {
    const allowed = matched.routes.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method])).join(', ');
    throw new ApiError('method_not_allowed', API_MESSAGES.methodNotAllowed(req.method ?? '', allowed), { headers: { allow: allowed } });
  }

  const ip = clientAddress(req);
  await limitAddress(ip ?? 'unknown');

  if (def.verb === null) {
    send(res, 200, JSON_TYPE, (openApiBody ??= Buffer.from(JSON.stringify(openApiDocument), 'utf8')));
    return;
  }

  const token = await authenticate(req.headers.authorization);
  recordTokenUse(token, ip);
  await limitToken(token.id);
  if (!scopeAllows(token.scope, def.verb)) {
    throw new ApiError('insufficient_scope', API_MESSAGES.insufficientScope);
  }
  const scope: MachineScope = { projectId: token.projectId, environmentId: token.environmentId };
  await dispatch(def, req, res, token, scope, ip, matched.param, q === -1 ? '' : url.slice(q + 1));
}

async function dispatch(
  def: RouteDef,
  req: IncomingMessage,
  res: ServerResponse,
  token: TokenRecord,
  scope: MachineScope,
  ip: string | null,
  param: string | null,
  query: string,
): Promise<void> {
  const actor = (): AuditActor => ({ userId: null, tokenId: token.id, label: tokenLabel(token), ip });
  switch (def.name) {
    case 'listSecrets':
      return listSecrets(req, res, token, ip, query);
    case 'getSecret': {
      const entry = await deployed(token);
      const value = entry.secrets.get(param!);
      if (value === undefined) throw new ApiError('secret_not_found', API_MESSAGES.secretNameNotFound);
      noteTokenRead(token, ip, entry.deployment.id, param!);
      send(res, 200, JSON_TYPE, JSON.stringify({ name: param, value }), { 'x-keyhold-deployment': String(entry.deployment.number) });
      return;
    }
    case 'listSecretInfo':
      sendJson(res, 200, { secrets: await machineListSecretInfo(scope) });
      return;
    case 'createSecret':
      sendJson(res, 201, await machineCreateSecret(actor(), scope, await readJsonBody(req)));
      return;
    case 'updateSecret':
      sendJson(res, 200, await machineUpdateSecret(actor(), scope, param!, await readJsonBody(req)));
      return;
    case 'deleteSecret':
      await machineDeleteSecret(actor(), scope, param!);
      send(res, 204, JSON_TYPE, null);
      return;
    case 'createDeployment': {
      // `?environment=production`: a guard against deploying with the wrong token (keyhold deploy --env).
      const expected = query ? new URLSearchParams(query).get('environment') : null;
      if (expected !== null && expected !== token.environmentName) {
        const message = API_MESSAGES.otherEnvironment(token.environmentName, expected);
        throw new ApiError('validation_failed', message, { fields: { environment: message } });
      }
      await limitDeploys(scope.environmentId);
      const deployment = await machineCreateDeployment(actor(), scope);
      send(res, 201, JSON_TYPE, JSON.stringify(deployment), { location: `/api/v1/deployments/${deployment.number}` });
      return;
    }
    case 'getDeployment':
      sendJson(res, 200, await machineGetDeployment(scope, param!));
      return;
    case 'previewImport':
      sendJson(res, 200, await machinePreviewImport(scope, await readJsonBody(req, MAX_IMPORT_BODY_BYTES)));
      return;
    case 'applyImport':
      try {
        sendJson(
          res,
          200,
          await machineApplyImport(actor(), { ...scope, environmentName: token.environmentName }, await readJsonBody(req, MAX_IMPORT_BODY_BYTES)),
        );
      } catch (error) {
        if (!(error instanceof ImportStaleError)) throw error;
        // The error body with the fresh preview beside it: the client shows it and applies that one if it agrees.
        sendJson(res, 409, { error: { code: 'preview_stale', message: error.message }, preview: error.preview });
      }
      return;
    default:
      throw new ApiError('not_found', API_MESSAGES.notFound);
  }
}

/** GET /api/v1/secrets: the hot path. */
async function listSecrets(req: IncomingMessage, res: ServerResponse, token: TokenRecord, ip: string | null, query: string): Promise<void> {
  let format = 'json';
  if (query) {
    const requested = new URLSearchParams(query).get('format');
    if (requested !== null) format = requested;
    if (format !== 'json' && format !== 'dotenv') {
      throw new ApiError('validation_failed', API_MESSAGES.badFormat, { fields: { format: API_MESSAGES.badFormat } });
    }
  }
  const maybeLive = liveFor(token.environmentId);
  const live = maybeLive instanceof Promise ? await maybeLive : maybeLive;
  if (!live) throw notDeployed(token);
  // Counted in memory, audited once a minute (lib/audit/reads.ts). A 304 is a read too: the client keeps using the values.
  noteTokenRead(token, ip, live.id, null);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const etag = format === 'json' ? `"${live.id}"` : `"${live.id}-dotenv"`;
    if (etagMatches(ifNoneMatch, etag)) {
      // Answered from the live deployment's id alone: no snapshot, no decryption.
      res.writeHead(304, {
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-type': format === 'json' ? JSON_TYPE : TEXT_TYPE,
        etag,
        'x-keyhold-deployment': String(live.number),
        'x-keyhold-environment': token.environmentName,
      });
      res.end();
      return;
    }
  }
  const maybeEntry = readDeployment(live);
  const entry = maybeEntry instanceof Promise ? await maybeEntry : maybeEntry;
  const { body, headers } = prepared(entry, format === 'json' ? 'json' : 'dotenv');
  res.writeHead(200, { ...headers, 'x-keyhold-environment': token.environmentName });
  res.end(body);
}

type Prepared = { body: Buffer; headers: Record<string, string> };
const preparedBodies = new WeakMap<DeploymentEntry, { json?: Prepared; dotenv?: Prepared }>();

/** A deployment's 200 response, bytes and headers, built once per deployment and format. */
function prepared(entry: DeploymentEntry, format: 'json' | 'dotenv'): Prepared {
  let forEntry = preparedBodies.get(entry);
  if (!forEntry) preparedBodies.set(entry, (forEntry = {}));
  const hit = forEntry[format];
  if (hit) return hit;
  const { id, number } = entry.deployment;
  let made: Prepared;
  if (format === 'json') {
    const body = entry.json();
    made = {
      body,
      headers: { ...COMMON, 'content-type': JSON_TYPE, 'content-length': String(body.length), etag: `"${id}"`, 'x-keyhold-deployment': String(number) },
    };
  } else {
    const { body, skipped } = entry.dotenv();
    made = {
      body,
      headers: {
        ...COMMON,
        'content-type': TEXT_TYPE,
        'content-length': String(body.length),
        etag: `"${id}-dotenv"`,
        'x-keyhold-deployment': String(number),
        ...(skipped.length ? { 'x-keyhold-skipped-keys': skipped.join(',') } : {}),
      },
    };
  }
  forEntry[format] = made;
  return made;
}

async function deployed(token: TokenRecord): Promise<DeploymentEntry> {
  const maybeLive = liveFor(token.environmentId);
  const live: Live | null = maybeLive instanceof Promise ? await maybeLive : maybeLive;
  if (!live) throw notDeployed(token);
  return readDeployment(live);
}

const notDeployed = (token: TokenRecord) => new ApiError('not_deployed', API_MESSAGES.notDeployed(token.environmentName));

/** If-None-Match: `*` or a list of (weak or strong) ETags, compared weakly (RFC 9110 §13.1.2). */
function etagMatches(header: string, etag: string): boolean {
  if (header === etag) return true;
  for (const part of header.split(',')) {
    const tag = part.trim();
    if (tag === '*' || tag === etag || (tag.startsWith('W/') && tag.slice(2) === etag)) return true;
  }
  return false;
}

/** The token behind `Authorization: Bearer kh_...`, or a 401 saying what is wrong with it. */
async function authenticate(header: string | undefined): Promise<TokenRecord> {
  if (!header) throw new ApiError('missing_token', API_MESSAGES.missingToken);
  const space = header.indexOf(' ');
  if (space === -1 || header.slice(0, space).toLowerCase() !== 'bearer') throw new ApiError('missing_token', API_MESSAGES.missingToken);
  const raw = header.slice(space + 1).trim();
  if (!raw) throw new ApiError('missing_token', API_MESSAGES.missingToken);
  if (!TOKEN_PATTERN.test(raw)) throw new ApiError('invalid_token', API_MESSAGES.invalidToken);
  const hash = hashToken(raw);
  const found = lookupToken(hash);
  const token = found instanceof Promise ? await found : found;
  if (!token) throw new ApiError('invalid_token', API_MESSAGES.invalidToken);
  if (token.revokedAt !== null) throw new ApiError('token_revoked', API_MESSAGES.tokenRevoked);
  if (token.expiresAt !== null && token.expiresAt <= Date.now()) throw new ApiError('token_expired', API_MESSAGES.tokenExpired);
  return token;
}

/** The peer address (behind a proxy: the proxy's; Keyhold does not trust X-Forwarded-For). */
function clientAddress(req: IncomingMessage): string | null {
  const address = req.socket.remoteAddress;
  if (!address) return null;
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function send(res: ServerResponse, status: number, contentType: string, body: Buffer | string | null, extra?: Record<string, string>): void {
  const headers: Record<string, string | number> = { ...COMMON, 'content-type': contentType, ...extra };
  if (body !== null) headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, headers);
  res.end(body ?? undefined);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON_TYPE, JSON.stringify(value));
}

function sendError(res: ServerResponse, error: ApiError): void {
  const body = JSON.stringify({
    error: { code: error.code, message: error.message, ...(error.options.fields ? { fields: error.options.fields } : {}) },
  });
  send(res, error.status, JSON_TYPE, body, { ...error.options.headers, ...(error.options.close ? { connection: 'close' } : {}) });
}
