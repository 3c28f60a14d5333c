import { randomUUID } from 'node:crypto';
import dotenv from 'dotenv';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES } from '@/lib/api/body';
import { API_MESSAGES } from '@/lib/api/errors';
import { INTEGRITY_MESSAGE } from '@/lib/crypto/envelope';
import { setApiRateLimits } from '@/lib/api/rate-limit';
import { db } from '@/lib/db';
import { redeploy } from '@/lib/deploys/mutations';
import { createProject } from '@/lib/projects/mutations';
import { createSecret } from '@/lib/secrets/mutations';
import { MESSAGES } from '@/lib/secrets/schemas';
import { keyhold } from '@/lib/api/in-process';
import { forgetAllLive, liveStats, setLiveTtl } from '@/lib/deploys/live';
import { createSecretAction } from '@/lib/secrets/actions';
import { API_ERROR_STATUS } from '@/lib/api/types';
import { createToken, revokeToken } from '@/lib/tokens/mutations';
import { flushTokenUsage, forgetAllTokens, stopTokenUsageTimer } from '@/lib/tokens/registry';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { rawRequest, startApiServer, type ApiServer } from './support/api-server';
import { migrateTestDatabase } from './support/db';
import { signInAs } from './support/session';
import { makeUser, type User } from './support/fixtures';

// The machine API end to end: real HTTP to the handler server.ts mounts, a
// real SQLite file, real redeploys. Every value below contains CANARY so the
// tests can prove no value reaches an audit event or a log line.

const CANARY = `canary${randomUUID().replace(/-/g, '')}`;
const SECRETS: Record<string, string> = {
  STRIPE_API_KEY: `sk_live_${CANARY}`,
  DATABASE_URL: `postgres://app:${CANARY}@db.internal:5432/app`,
  MULTILINE_PEM: `-----BEGIN PRIVATE KEY-----\n${CANARY}\nline two\n-----END PRIVATE KEY-----\n`,
  QUOTES: `it's "double" and \`back\` ${CANARY}`,
  HASH_EQUALS: `a#b=c ${CANARY}`,
  BACKSLASHES: `C:\\path\\${CANARY}\\n-not-newline`,
  UNICODE: `ünïcødé ✓ 日本語 🎉 ${CANARY}`,
  SPACES: `  padded ${CANARY}  `,
  CRLF: `one\r\ntwo ${CANARY}`,
  EMPTYISH: ' ',
  // Computed, so it is an own key (a plain `__proto__:` would set the prototype).
  ['__proto__']: `proto-${CANARY}`,
  constructor: `ctor-${CANARY}`,
  toString: `tostring-${CANARY}`,
  info: `info-${CANARY}`,
};

let server: ApiServer;
let admin: User;
let projectId: string, otherProjectId: string;
let production: string, staging: string, development: string, otherProduction: string;
let readToken: string, writeToken: string, stagingWriteToken: string, otherWriteToken: string, devReadToken: string;
let writeTokenId: string;
const logged: string[] = [];

async function token(project: string, environmentId: string, scope: 'read' | 'read-write', name = `t-${randomUUID().slice(0, 6)}`) {
  signInAs(admin);
  return createToken(project, createTokenSchema.parse({ name, environmentId, scope, expiry: '30' }));
}

async function deploy(project: string, environmentId: string) {
  signInAs(admin);
  const result = await redeploy(project, environmentId);
  expect(result.status).toBe('SUCCEEDED');
  return db.deployment.findUniqueOrThrow({ where: { id: result.id }, select: { id: true, number: true } });
}

type CallOptions = { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> };

async function call(path: string, { method = 'GET', token: bearer = readToken, body, headers = {} }: CallOptions = {}) {
  const init: RequestInit = { method, headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, text, json: type.startsWith('application/json') && text ? JSON.parse(text) : undefined };
}

function expectError(res: Awaited<ReturnType<typeof call>>, code: keyof typeof API_ERROR_STATUS, message?: string) {
  expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status: API_ERROR_STATUS[code], code });
  expect(typeof res.json.error.message).toBe('string');
  if (message) expect(res.json.error.message).toBe(message);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
}

beforeAll(async () => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level].bind(console);
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      original(...args);
    });
  }
  await migrateTestDatabase();
  stopTokenUsageTimer();
  setApiRateLimits({ perToken: 0, perIp: 0 });
  admin = await makeUser('Admin');
  signInAs(admin);
  projectId = (await db.project.findUniqueOrThrow({ where: { slug: (await createProject({ name: 'API project' })).slug } })).id;
  otherProjectId = (await db.project.findUniqueOrThrow({ where: { slug: (await createProject({ name: 'API other' })).slug } })).id;
  const env = async (p: string, name: string) => (await db.environment.findFirstOrThrow({ where: { projectId: p, name } })).id;
  [production, staging, development, otherProduction] = await Promise.all([
    env(projectId, 'production'),
    env(projectId, 'staging'),
    env(projectId, 'development'),
    env(otherProjectId, 'production'),
  ]);
  for (const [key, value] of Object.entries(SECRETS)) {
    await createSecret(projectId, production, { key, value, description: '', type: 'OTHER' });
  }
  await createSecret(projectId, staging, { key: 'STAGING_ONLY', value: `staging-${CANARY}`, description: '', type: 'OTHER' });
  await createSecret(otherProjectId, otherProduction, { key: 'OTHER_PROJECT', value: `other-${CANARY}`, description: '', type: 'OTHER' });
  readToken = (await token(projectId, production, 'read', 'ci-read')).token;
  const write = await token(projectId, production, 'read-write', 'ci-write');
  writeToken = write.token;
  writeTokenId = write.id;
  stagingWriteToken = (await token(projectId, staging, 'read-write')).token;
  devReadToken = (await token(projectId, development, 'read')).token;
  otherWriteToken = (await token(otherProjectId, otherProduction, 'read-write')).token;
  await deploy(projectId, production);
  await deploy(projectId, staging);
  await deploy(otherProjectId, otherProduction);
  server = await startApiServer();
});

afterAll(async () => {
  await server?.close();
  setApiRateLimits(null);
  setLiveTtl(null);
  vi.restoreAllMocks();
});

afterEach(() => setApiRateLimits({ perToken: 0, perIp: 0 }));

describe('every response', () => {
  it('carries no-store, nosniff and a content type, and non-API paths go to Next', async () => {
    for (const res of [
      await call('/api/v1/secrets'),
      await call('/api/v1/secrets', { token: null }),
      await call('/api/v1/nope'),
      await call('/api/v1/openapi.json', { token: null }),
    ]) {
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-type')).toMatch(/; charset=utf-8$/);
    }
    for (const path of ['/', '/api/v10/secrets', '/api/v1x', '/api/auth/session', '/projects/x/settings/tokens']) {
      const res = await rawRequest(server.port, { method: 'GET', path });
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 418, body: 'next' });
    }
  });
});

describe('routing', () => {
  it('answers unknown paths 404 not_found and wrong methods 405 with Allow', async () => {
    for (const path of ['/api/v1', '/api/v1/', '/api/v1/secret', '/api/v1/secrets/', '/api/v1/secrets/a/b', '/api/v1/tokens']) {
      expectError(await call(path), 'not_found', API_MESSAGES.notFound);
    }
    const put = await call('/api/v1/secrets', { method: 'PUT', token: writeToken, body: {} });
    expectError(put, 'method_not_allowed');
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    const options = await rawRequest(server.port, { method: 'OPTIONS', path: '/api/v1/secrets/X' });
    expect(options.status).toBe(405);
    expect(options.headers.allow).toBe('GET, HEAD, PATCH, DELETE');
    expect((await call('/api/v1/openapi.json', { method: 'POST', token: null, body: {} })).status).toBe(405);
  });

  it('serves the OpenAPI document without a token', async () => {
    const res = await call('/api/v1/openapi.json', { token: null });
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
  });
});

describe('authentication', () => {
  it('tells a missing, malformed, unknown, expired and revoked token apart (401)', async () => {
    expectError(await call('/api/v1/secrets', { token: null }), 'missing_token', API_MESSAGES.missingToken);
    expectError(await call('/api/v1/secrets', { token: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 'missing_token');
    expectError(await call('/api/v1/secrets', { token: null, headers: { authorization: 'Bearer ' } }), 'missing_token');
    expectError(await call('/api/v1/secrets', { token: 'not-a-token' }), 'invalid_token', API_MESSAGES.invalidToken);
    expectError(await call('/api/v1/secrets', { token: `kh_${'A'.repeat(43)}` }), 'invalid_token');
    expectError(await call('/api/v1/secrets', { token: readToken.slice(0, -1) + (readToken.endsWith('A') ? 'B' : 'A') }), 'invalid_token');
    // The scheme is case-insensitive.
    expect((await call('/api/v1/secrets', { token: null, headers: { authorization: `bearer ${readToken}` } })).status).toBe(200);

    const expiring = await token(projectId, production, 'read');
    expect((await call('/api/v1/secrets', { token: expiring.token })).status).toBe(200);
    await db.serviceToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    forgetAllTokens(); // The cache holds expiry as created; an expiry changed in the database is seen after TOKEN_CACHE_TTL_MS.
    expectError(await call('/api/v1/secrets', { token: expiring.token }), 'token_expired', API_MESSAGES.tokenExpired);
  });

  it('sees a token expire while it is cached', async () => {
    const created = await token(projectId, production, 'read');
    await db.serviceToken.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() + 400) } });
    forgetAllTokens();
    expect((await call('/api/v1/secrets', { token: created.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 450));
    expectError(await call('/api/v1/secrets', { token: created.token }), 'token_expired');
  });

  it('refuses a revoked token on the very next request (the cache is dropped on revoke)', async () => {
    const created = await token(projectId, production, 'read');
    expect((await call('/api/v1/secrets', { token: created.token })).status).toBe(200);
    signInAs(admin);
    await revokeToken(projectId, created.id);
    expectError(await call('/api/v1/secrets', { token: created.token }), 'token_revoked', API_MESSAGES.tokenRevoked);
  });

  it('refuses writes and the info listing to a read token (403 insufficient_scope) and writes nothing', async () => {
    const before = await db.secret.count();
    const id = (await db.secret.findFirstOrThrow({ where: { environmentId: production, key: 'STRIPE_API_KEY' } })).id;
    for (const [method, path, body] of [
      ['POST', '/api/v1/secrets', { name: 'FORGED', value: 'x' }],
      ['GET', '/api/v1/secrets/info', undefined],
      ['PATCH', `/api/v1/secrets/${id}`, { value: 'forged' }],
      ['DELETE', `/api/v1/secrets/${id}`, undefined],
    ] as const) {
      expectError(await call(path, { method, body }), 'insufficient_scope', API_MESSAGES.insufficientScope);
    }
    expect(await db.secret.count()).toBe(before);
  });
});

describe('GET /api/v1/secrets', () => {
  it('answers not_deployed before the first successful deployment', async () => {
    const res = await call('/api/v1/secrets', { token: devReadToken });
    expectError(res, 'not_deployed');
    expect(res.json.error.message).toMatch(/development.*Redeploy/);
    expectError(await call('/api/v1/secrets/ANY', { token: devReadToken }), 'not_deployed');
  });

  it('serves the live deployment as JSON, keeping __proto__, constructor and toString as ordinary keys', async () => {
    const live = await db.deployment.findFirstOrThrow({ where: { environmentId: production, status: 'SUCCEEDED' }, orderBy: { number: 'desc' } });
    const res = await call('/api/v1/secrets');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('etag')).toBe(`"${live.id}"`);
    expect(res.headers.get('x-keyhold-deployment')).toBe(String(live.number));
    const parsed = JSON.parse(res.text);
    expect(Object.keys(parsed)).toEqual(['secrets']);
    expect(Object.keys(parsed.secrets).sort()).toEqual(Object.keys(SECRETS).sort());
    for (const [key, value] of Object.entries(SECRETS)) expect(Object.getOwnPropertyDescriptor(parsed.secrets, key)?.value).toBe(value);
    expect(res.text).toContain('"__proto__":');
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await rawRequest(server.port, { method: 'HEAD', path: '/api/v1/secrets', headers: { authorization: `Bearer ${readToken}` } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(100);
    expect(res.headers.etag).toMatch(/^"[0-9a-f-]{36}"$/);
  });

  it('answers a matching If-None-Match with 304, no body and no decryption', async () => {
    setLiveTtl(60_000);
    forgetAllLive();
    const first = await call('/api/v1/secrets');
    const etag = first.headers.get('etag')!;
    const decrypts = liveStats.decrypts;
    const liveReads = liveStats.liveReads;
    for (const header of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const res = await call('/api/v1/secrets', { headers: { 'if-none-match': header } });
      expect({ header, status: res.status, body: res.text }).toEqual({ header, status: 304, body: '' });
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('x-keyhold-deployment')).toBe(first.headers.get('x-keyhold-deployment'));
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(liveStats.decrypts).toBe(decrypts);
    expect(liveStats.liveReads).toBe(liveReads); // not even a database read within the TTL
    // A cold cache: the 304 needs only the live deployment id (one read), still no decryption.
    forgetAllLive();
    expect((await call('/api/v1/secrets', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect(liveStats.decrypts).toBe(decrypts);
    expect((await call('/api/v1/secrets', { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
    expect(liveStats.decrypts).toBe(decrypts + 1);
    setLiveTtl(null);
  });

  it('sees a deployment made by another process (no event) within the TTL, without making a request wait', async () => {
    setLiveTtl(50);
    try {
      const before = await call('/api/v1/secrets');
      // Another instance deploys: same database, no event in this process.
      const { sealSnapshot } = await import('@/lib/deploys/snapshot');
      const { projectKeys } = await import('@/lib/projects/keys');
      const last = await db.deployment.findFirstOrThrow({ where: { environmentId: production }, orderBy: { number: 'desc' } });
      const id = randomUUID();
      await db.deployment.create({
        data: {
          id,
          projectId,
          environmentId: production,
          number: last.number + 1,
          status: 'SUCCEEDED',
          triggeredBy: 'elsewhere',
          snapshot: sealSnapshot(await projectKeys(projectId), id, new Map([['ELSEWHERE', 'x']])),
          secretCount: 1,
        },
      });
      expect((await call('/api/v1/secrets')).headers.get('etag')).toBe(before.headers.get('etag')); // within the TTL
      await new Promise((r) => setTimeout(r, 60));
      await expect.poll(async () => (await call('/api/v1/secrets')).headers.get('etag'), { interval: 20, timeout: 2000 }).toBe(`"${id}"`);
      expect((await call('/api/v1/secrets')).json.secrets).toEqual({ ELSEWHERE: 'x' });
      await deploy(projectId, production); // back to the working set for the tests that follow
    } finally {
      setLiveTtl(null);
    }
  });

  it('switches to a new deployment as soon as it succeeds (event), even with a long cache TTL', async () => {
    setLiveTtl(60 * 60_000);
    try {
      const before = await call('/api/v1/secrets');
      const etag = before.headers.get('etag')!;
      expect((await call('/api/v1/secrets', { headers: { 'if-none-match': etag } })).status).toBe(304);
      await createSecret(projectId, production, { key: 'ADDED_LATER', value: `later-${CANARY}`, description: '', type: 'OTHER' });
      // An edit alone changes nothing for consumers: they read deployments.
      expect((await call('/api/v1/secrets', { headers: { 'if-none-match': etag } })).status).toBe(304);
      const next = await deploy(projectId, production);
      const after = await call('/api/v1/secrets', { headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).toBe(`"${next.id}"`);
      expect(after.headers.get('x-keyhold-deployment')).toBe(String(next.number));
      expect(after.json.secrets.ADDED_LATER).toBe(`later-${CANARY}`);
    } finally {
      setLiveTtl(null);
    }
  });

  it('serves ?format=dotenv that dotenv.parse reads back to identical values', async () => {
    const json = (await call('/api/v1/secrets')).json.secrets as Record<string, string>;
    const res = await call('/api/v1/secrets?format=dotenv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const live = await db.deployment.findFirstOrThrow({ where: { environmentId: production, status: 'SUCCEEDED' }, orderBy: { number: 'desc' } });
    expect(res.headers.get('etag')).toBe(`"${live.id}-dotenv"`);
    // dotenv.parse builds a plain object, which drops __proto__: it is left out and named, never lost silently.
    expect(res.headers.get('x-keyhold-skipped-keys')).toBe('__proto__');
    expect(res.text).toContain('\n# __proto__ is left out: dotenv drops a key with this name (read it as JSON)\n');
    const expected = Object.fromEntries(Object.entries(json).filter(([key]) => key !== '__proto__'));
    for (const parsed of [dotenv.parse(res.text), dotenv.parse(res.text, { fast: true } as never)]) {
      expect(parsed).toEqual(expected);
      // What reads back plus what is named accounts for every key: __proto__, constructor and toString included.
      expect([...Object.keys(parsed), '__proto__'].sort()).toEqual(Object.keys(json).sort());
    }
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString']));
    const etag = res.headers.get('etag')!;
    expect((await call('/api/v1/secrets?format=dotenv', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await call('/api/v1/secrets', { headers: { 'if-none-match': etag } })).status).toBe(200);
    expect((await call('/api/v1/secrets?format=json')).status).toBe(200);
    const bad = await call('/api/v1/secrets?format=yaml');
    expectError(bad, 'validation_failed', API_MESSAGES.badFormat);
    expect(bad.json.error.fields).toEqual({ format: API_MESSAGES.badFormat });
  });

  it('serves only the token environment, never another environment or project', async () => {
    expect(Object.keys((await call('/api/v1/secrets', { token: stagingWriteToken })).json.secrets)).toEqual(['STAGING_ONLY']);
    expect(Object.keys((await call('/api/v1/secrets', { token: otherWriteToken })).json.secrets)).toEqual(['OTHER_PROJECT']);
    const mine = await call('/api/v1/secrets');
    expect(mine.json.secrets.STAGING_ONLY).toBeUndefined();
    expect(mine.json.secrets.OTHER_PROJECT).toBeUndefined();
    expectError(await call('/api/v1/secrets/OTHER_PROJECT'), 'secret_not_found');
  });
});

describe('GET /api/v1/secrets/:name', () => {
  it('answers one value from the live deployment, by exact name', async () => {
    for (const key of ['STRIPE_API_KEY', 'MULTILINE_PEM', '__proto__', 'constructor', 'toString', 'CRLF']) {
      const res = await call(`/api/v1/secrets/${encodeURIComponent(key)}`);
      expect({ key, status: res.status, body: res.json }).toEqual({ key, status: 200, body: { name: key, value: SECRETS[key] } });
      expect(res.headers.get('x-keyhold-deployment')).toMatch(/^\d+$/);
    }
    expectError(await call('/api/v1/secrets/stripe_api_key'), 'secret_not_found', API_MESSAGES.secretNameNotFound);
    expectError(await call('/api/v1/secrets/NOPE'), 'secret_not_found');
    expectError(await call('/api/v1/secrets/%E0%A4%A'), 'not_found');
  });

  it('treats /secrets/info as the info listing: a secret named info is read from the full listing', async () => {
    expectError(await call('/api/v1/secrets/info'), 'insufficient_scope');
    expect((await call('/api/v1/secrets')).json.secrets.info).toBe(SECRETS.info);
  });
});

describe('writes with a read-write token', () => {
  it('creates in the working set (201 { id }), suggests the type, marks the environment pending and audits the token', async () => {
    const changedBefore = (await db.environment.findUniqueOrThrow({ where: { id: production } })).changedAt!;
    const res = await call('/api/v1/secrets', { method: 'POST', token: writeToken, body: { name: 'REDIS_URL', value: `redis://${CANARY}` } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json)).toEqual(['id']);
    const row = await db.secret.findUniqueOrThrow({ where: { id: res.json.id } });
    expect(row).toMatchObject({ key: 'REDIS_URL', environmentId: production, projectId, type: 'CONNECTION_STRING', description: '', createdById: null });
    expect((await db.environment.findUniqueOrThrow({ where: { id: production } })).changedAt!.getTime()).toBeGreaterThan(changedBefore.getTime());
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: res.json.id, action: 'secret.created' } });
    const prefix = writeToken.slice(0, 10);
    expect(event).toMatchObject({
      actorId: null,
      actorTokenId: writeTokenId,
      actorLabel: `token:ci-write (${prefix})`,
      ip: '127.0.0.1',
      environment: 'production',
    });
    // Reads serve the deployment, not the working set.
    expectError(await call('/api/v1/secrets/REDIS_URL'), 'secret_not_found');

    const typed = await call('/api/v1/secrets', {
      method: 'POST',
      token: writeToken,
      body: { name: 'WEBHOOK_SECRET', value: 'v', description: '  Signs webhooks ', type: 'TOKEN' },
    });
    expect(await db.secret.findUniqueOrThrow({ where: { id: typed.json.id } })).toMatchObject({ type: 'TOKEN', description: 'Signs webhooks' });
  });

  it('refuses an existing key, also one differing only by case, with the UI message (409)', async () => {
    for (const name of ['STRIPE_API_KEY', 'stripe_api_key']) {
      expectError(await call('/api/v1/secrets', { method: 'POST', token: writeToken, body: { name, value: 'x' } }), 'conflict', MESSAGES.keyExists);
    }
    // The same key in another environment is another secret.
    expect((await call('/api/v1/secrets', { method: 'POST', token: stagingWriteToken, body: { name: 'STRIPE_API_KEY', value: 'x' } })).status).toBe(201);
  });

  it('validates with the UI rules and messages (422 with fields) and writes nothing', async () => {
    const before = await db.secret.count();
    const cases: [unknown, Record<string, string>][] = [
      [
        { name: '', value: '' },
        { name: MESSAGES.keyRequired, value: MESSAGES.valueRequired },
      ],
      [{ value: 'x' }, { name: MESSAGES.keyRequired }],
      [{ name: '1BAD-KEY', value: 'x' }, { name: MESSAGES.keyPattern }],
      [{ name: 'KEYHOLD_TOKEN', value: 'x' }, { name: MESSAGES.keyReserved }],
      [{ name: 'A'.repeat(257), value: 'x' }, { name: MESSAGES.keyTooLong }],
      [{ name: 'BIG', value: 'x'.repeat(64 * 1024 + 1) }, { value: MESSAGES.valueTooLarge }],
      [{ name: 'LONG_DESC', value: 'x', description: 'd'.repeat(501) }, { description: MESSAGES.descriptionTooLong }],
      [{ name: 'BAD_TYPE', value: 'x', type: 'SECRET' }, { type: 'Choose a secret type' }],
      [{ name: 'EXTRA', value: 'x', key: 'EXTRA' }, { key: API_MESSAGES.unknownField }],
    ];
    for (const [body, fields] of cases) {
      const res = await call('/api/v1/secrets', { method: 'POST', token: writeToken, body });
      expectError(res, 'validation_failed');
      expect(res.json.error.fields).toEqual(fields);
      expect(res.json.error.message).toBe(Object.values(fields)[0]);
    }
    for (const body of ['[]', 'null', '"text"', '42']) {
      const res = await call('/api/v1/secrets', { method: 'POST', token: writeToken, body });
      expectError(res, 'validation_failed', API_MESSAGES.notAnObject);
    }
    expect(await db.secret.count()).toBe(before);
  });

  it('refuses ill-formed UTF-16 and null fields with 422 on the field, and stores nothing altered', async () => {
    const before = await db.secret.count();
    const cases: [unknown, Record<string, string>][] = [
      [{ name: 'LONE_VALUE', value: `a\ud800b` }, { value: MESSAGES.valueInvalidCharacters }],
      [{ name: 'LONE_DESC', value: 'x', description: '\udc00' }, { description: MESSAGES.descriptionInvalidCharacters }],
      [{ name: 'LONE_\ud800', value: 'x' }, { name: MESSAGES.keyInvalidCharacters }],
      [{ name: 'NULL_TYPE', value: 'x', type: null }, { type: MESSAGES.typeRequired }],
      [{ name: 'NULL_DESC', value: 'x', description: null }, { description: MESSAGES.descriptionNotText }],
      [{ name: 'NULL_VALUE', value: null }, { value: MESSAGES.valueRequired }],
    ];
    for (const [body, fields] of cases) {
      // JSON.stringify writes a lone surrogate as the escape \ud800: valid JSON, ill-formed text.
      const res = await call('/api/v1/secrets', { method: 'POST', token: writeToken, body });
      expectError(res, 'validation_failed', Object.values(fields)[0]);
      expect(res.json.error.fields).toEqual(fields);
    }
    expect(await db.secret.count()).toBe(before);

    const { id } = (await call('/api/v1/secrets', { method: 'POST', token: writeToken, body: { name: 'PATCH_ME_WELL', value: 'v' } })).json;
    const patches: [unknown, Record<string, string>][] = [
      [{ value: '\ud800' }, { value: MESSAGES.valueInvalidCharacters }],
      [{ description: 'x\udbff' }, { description: MESSAGES.descriptionInvalidCharacters }],
      [{ description: null }, { description: MESSAGES.descriptionNotText }],
      [{ type: null }, { type: MESSAGES.typeRequired }],
      [{ value: null }, { value: MESSAGES.valueRequired }],
    ];
    for (const [body, fields] of patches) {
      const res = await call(`/api/v1/secrets/${id}`, { method: 'PATCH', token: writeToken, body });
      expectError(res, 'validation_failed', Object.values(fields)[0]);
      expect(res.json.error.fields).toEqual(fields);
    }
    expect(await db.secret.findUniqueOrThrow({ where: { id }, select: { description: true, currentVersion: true } })).toEqual({
      description: '',
      currentVersion: 1,
    });
  });

  it('needs JSON (415), valid JSON (400) and at most 128 KiB (413)', async () => {
    const auth = { authorization: `Bearer ${writeToken}` };
    expectError(
      await call('/api/v1/secrets', { method: 'POST', token: writeToken, body: 'name=X', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      'unsupported_media_type',
    );
    const noType = await rawRequest(server.port, { method: 'POST', path: '/api/v1/secrets', headers: auth, body: '{"name":"X","value":"y"}' });
    expect(JSON.parse(noType.body).error.code).toBe('unsupported_media_type');
    expect(noType.status).toBe(415);
    expectError(await call('/api/v1/secrets', { method: 'POST', token: writeToken, body: '{"name": "X",' }), 'invalid_json', API_MESSAGES.invalidJson);
    const notUtf8 = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/v1/secrets',
      headers: { ...auth, 'content-type': 'application/json' },
      body: Buffer.from([0x7b, 0xff, 0x7d]),
    });
    expect([notUtf8.status, JSON.parse(notUtf8.body).error.code]).toEqual([400, 'invalid_json']);
    // Declared too large: refused before reading.
    const big = JSON.stringify({ name: 'HUGE', value: 'x'.repeat(MAX_BODY_BYTES) });
    expectError(await call('/api/v1/secrets', { method: 'POST', token: writeToken, body: big }), 'payload_too_large', API_MESSAGES.payloadTooLarge);
    // Streamed (chunked) past the limit: refused once it passes 128 KiB.
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(8 * 1024, 'a'));
    const streamed = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/v1/secrets',
      headers: { ...auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks,
    });
    expect([streamed.status, JSON.parse(streamed.body).error.code]).toEqual([413, 'payload_too_large']);
    // Just under the limit is read (and then validated).
    const under = JSON.stringify({ name: 'UNDER', value: 'x'.repeat(MAX_BODY_BYTES - 100) });
    expect((await call('/api/v1/secrets', { method: 'POST', token: writeToken, body: under })).json.error.fields).toEqual({ value: MESSAGES.valueTooLarge });
    expect(await db.secret.count({ where: { key: { in: ['X', 'HUGE', 'UNDER'] } } })).toBe(0);
  });

  it('lists the working set without values (GET /secrets/info)', async () => {
    const res = await call('/api/v1/secrets/info', { token: writeToken });
    expect(res.status).toBe(200);
    const rows = res.json.secrets as { id: string; name: string; description: string; type: string; createdAt: string; updatedAt: string }[];
    const working = await db.secret.findMany({ where: { environmentId: production }, orderBy: { key: 'asc' } });
    expect(rows.map((r) => r.name)).toEqual(working.map((w) => w.key));
    expect(Object.keys(rows[0]).sort()).toEqual(['createdAt', 'description', 'id', 'name', 'type', 'updatedAt']);
    expect(rows.find((r) => r.name === 'DATABASE_URL')).toMatchObject({ type: 'OTHER', description: '' });
    expect(new Date(rows[0].createdAt).toISOString()).toBe(rows[0].createdAt);
    expect(res.text).not.toContain(CANARY);
  });

  it('updates by id: value (new version), description, type, rename; partial; audited; pending', async () => {
    const { json } = await call('/api/v1/secrets', { method: 'POST', token: writeToken, body: { name: 'TO_PATCH', value: 'v1' } });
    const id = json.id as string;
    const patch = (body: unknown, bearer = writeToken) => call(`/api/v1/secrets/${id}`, { method: 'PATCH', token: bearer, body });
    expect((await patch({ value: `v2-${CANARY}` })).json).toEqual({ id });
    let row = await db.secret.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ currentVersion: 2, revision: 2, key: 'TO_PATCH', type: 'OTHER' });
    expect((await patch({ description: 'Now described' })).status).toBe(200);
    expect((await patch({ type: 'PASSWORD' })).status).toBe(200);
    expect((await patch({ name: 'PATCHED_NAME' })).status).toBe(200);
    expect((await patch({ name: 'patched_name' })).status).toBe(200); // its own key in another case
    row = await db.secret.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      key: 'patched_name',
      keyFolded: 'patched_name',
      description: 'Now described',
      type: 'PASSWORD',
      currentVersion: 2,
      revision: 6,
      updatedById: null,
    });
    const events = await db.auditEvent.findMany({ where: { targetId: id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.action)).toEqual([
      'secret.created',
      'secret.value_changed',
      'secret.updated',
      'secret.updated',
      'secret.updated',
      'secret.updated',
    ]);
    expect(events.every((e) => e.actorTokenId === writeTokenId && e.actorId === null)).toBe(true);
    expect(JSON.parse(events[4].details)).toMatchObject({ changed: ['key'], key: 'TO_PATCH → PATCHED_NAME' });

    expectError(await patch({}), 'no_changes', MESSAGES.noChanges);
    expectError(await patch({ description: 'Now described' }), 'no_changes', MESSAGES.noChanges);
    expect((await patch({ value: '' })).json.error.fields).toEqual({ value: MESSAGES.valueRequired });
    expect((await patch({ name: '9nine' })).json.error.fields).toEqual({ name: MESSAGES.keyPattern });
    expectError(await patch({ name: 'STRIPE_API_KEY' }), 'conflict', MESSAGES.keyExists);
    expectError(await patch({ name: 'Stripe_Api_Key' }), 'conflict', MESSAGES.keyExists);
    expectError(await patch('nope'), 'invalid_json');
  });

  it('lets concurrent edits of one secret either apply or lose with 409, never overwrite silently', async () => {
    const { json } = await call('/api/v1/secrets', { method: 'POST', token: writeToken, body: { name: 'RACED', value: 'base' } });
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((value) => call(`/api/v1/secrets/${json.id}`, { method: 'PATCH', token: writeToken, body: { value } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    for (const r of results.filter((r) => r.status === 409)) expect(r.json.error.code).toBe('conflict');
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(await db.secretVersion.count({ where: { secretId: json.id } })).toBe(ok + 1);
  });

  it('deletes by id (204), then 404; marks the environment pending', async () => {
    const { json } = await call('/api/v1/secrets', { method: 'POST', token: writeToken, body: { name: 'TO_DELETE', value: 'x' } });
    const before = (await db.environment.findUniqueOrThrow({ where: { id: production } })).changedAt!;
    await new Promise((r) => setTimeout(r, 5));
    const res = await call(`/api/v1/secrets/${json.id}`, { method: 'DELETE', token: writeToken });
    expect([res.status, res.text]).toEqual([204, '']);
    expect(await db.secret.count({ where: { id: json.id } })).toBe(0);
    expect((await db.environment.findUniqueOrThrow({ where: { id: production } })).changedAt!.getTime()).toBeGreaterThan(before.getTime());
    expect(await db.auditEvent.count({ where: { targetId: json.id, action: 'secret.deleted', actorTokenId: writeTokenId } })).toBe(1);
    expectError(await call(`/api/v1/secrets/${json.id}`, { method: 'DELETE', token: writeToken }), 'secret_not_found', API_MESSAGES.secretIdNotFound);
  });

  it('refuses ids of another environment or project (404) and changes nothing', async () => {
    const stagingId = (await db.secret.findFirstOrThrow({ where: { environmentId: staging, key: 'STAGING_ONLY' } })).id;
    const otherId = (await db.secret.findFirstOrThrow({ where: { environmentId: otherProduction } })).id;
    for (const id of [stagingId, otherId, randomUUID(), 'not-a-uuid']) {
      expectError(await call(`/api/v1/secrets/${id}`, { method: 'PATCH', token: writeToken, body: { value: 'forged' } }), 'secret_not_found');
      expectError(await call(`/api/v1/secrets/${id}`, { method: 'DELETE', token: writeToken }), 'secret_not_found');
    }
    expect(await db.secret.findUniqueOrThrow({ where: { id: stagingId } })).toMatchObject({ revision: 1, currentVersion: 1 });
    expect(await db.secret.findUniqueOrThrow({ where: { id: otherId } })).toMatchObject({ revision: 1, currentVersion: 1 });
    // The other project's token cannot reach this project's secrets either.
    const mine = (await db.secret.findFirstOrThrow({ where: { environmentId: production, key: 'STRIPE_API_KEY' } })).id;
    expectError(await call(`/api/v1/secrets/${mine}`, { method: 'DELETE', token: otherWriteToken }), 'secret_not_found');
    expect((await call('/api/v1/secrets/info', { token: otherWriteToken })).json.secrets.map((s: { name: string }) => s.name)).toEqual(['OTHER_PROJECT']);
  });
});

describe('rate limits', () => {
  it('answers 429 rate_limited with Retry-After per token', async () => {
    setApiRateLimits({ perToken: 3, perIp: 0 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('/api/v1/secrets')).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await call('/api/v1/secrets');
    expectError(limited, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.json.error.message).toBe(API_MESSAGES.rateLimited(retryAfter));
    // Another token has its own budget.
    expect((await call('/api/v1/secrets', { token: stagingWriteToken })).status).toBe(200);
  });

  it('answers 429 per address, before looking at the token', async () => {
    setApiRateLimits({ perToken: 0, perIp: 2 });
    expect((await call('/api/v1/secrets', { token: null })).status).toBe(401);
    expect((await call('/api/v1/secrets')).status).toBe(200);
    const limited = await call('/api/v1/secrets', { token: `kh_${'B'.repeat(43)}` });
    expectError(limited, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('token use', () => {
  it('records last used (batched) and audits the first use from a new address', async () => {
    const created = await token(projectId, production, 'read', 'fresh');
    for (let i = 0; i < 20; i++) await call('/api/v1/secrets', { token: created.token });
    expect((await db.serviceToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toBeNull();
    await flushTokenUsage();
    const row = await db.serviceToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.lastUsedIp).toBe('127.0.0.1');
    await expect.poll(() => db.auditEvent.count({ where: { targetId: created.id, action: 'token.used_from_new_address' } })).toBe(1);
  });
});

describe('failures and secrecy', () => {
  it('answers an unexpected failure 500 internal_error with a generic message, logged without values', async () => {
    const spy = vi.spyOn(db.secret, 'findMany').mockRejectedValueOnce(new Error(`database exploded near ${CANARY}`));
    const res = await call('/api/v1/secrets/info', { token: writeToken });
    spy.mockRestore();
    expectError(res, 'internal_error', API_MESSAGES.internal);
    expect(logged.some((line) => line.includes('api request failed'))).toBe(true);
  });

  it('answers a tampered deployment snapshot 500 integrity_error, over HTTP and in process, naming no row', async () => {
    await createSecret(projectId, development, { key: 'DEV_ONLY', value: `dev-${CANARY}`, description: '', type: 'OTHER' });
    const deployment = await deploy(projectId, development);
    expect((await call('/api/v1/secrets', { token: devReadToken })).status).toBe(200);
    const { snapshot } = await db.deployment.findUniqueOrThrow({ where: { id: deployment.id }, select: { snapshot: true } });
    const tampered = Buffer.from(snapshot);
    tampered[tampered.length - 20] ^= 0x01;
    await db.deployment.update({ where: { id: deployment.id }, data: { snapshot: tampered } });
    forgetAllLive();

    for (const path of ['/api/v1/secrets', '/api/v1/secrets?format=dotenv', '/api/v1/secrets/DEV_ONLY']) {
      const res = await call(path, { token: devReadToken });
      expectError(res, 'integrity_error', API_MESSAGES.integrity);
      expect(res.status).toBe(500);
      expect(res.text).not.toContain(deployment.id);
    }
    expect(API_MESSAGES.integrity).toBe(INTEGRITY_MESSAGE);
    const rejected = await keyhold({ projectId, environmentId: development })
      .getSecret('DEV_ONLY')
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(rejected).toMatchObject({ code: 'integrity_error', status: 500, message: INTEGRITY_MESSAGE });
    expect(logged.some((line) => line.includes('stored data failed its integrity check'))).toBe(true);
  });

  it('answers a tampered project key on a write 500 integrity_error, and writes nothing', async () => {
    signInAs(admin);
    const { slug } = await createProject({ name: 'Tampered key' });
    const project = await db.project.findUniqueOrThrow({ where: { slug }, select: { id: true } });
    const env = await db.environment.findFirstOrThrow({ where: { projectId: project.id, name: 'production' } });
    const writer = (await token(project.id, env.id, 'read-write')).token;
    const key = await db.projectKey.findFirstOrThrow({ where: { projectId: project.id } });
    const wrapped = Buffer.from(key.wrappedKey);
    wrapped[wrapped.length - 1] ^= 0x01;
    await db.projectKey.update({ where: { id: key.id }, data: { wrappedKey: wrapped } });

    const res = await call('/api/v1/secrets', { method: 'POST', token: writer, body: { name: 'AFTER_TAMPER', value: 'x' } });
    expectError(res, 'integrity_error', API_MESSAGES.integrity);
    // The same failure through a server action: the user is told, not given the generic failure.
    signInAs(admin);
    expect(await createSecretAction(project.id, env.id, { key: 'AFTER_TAMPER', value: 'x', description: '', type: 'OTHER' })).toEqual({
      ok: false,
      error: INTEGRITY_MESSAGE,
      code: 'failed',
    });
    expect(await db.secret.count({ where: { projectId: project.id } })).toBe(0);
  });

  it('never puts a value in an audit event or a log line', async () => {
    const events = await db.auditEvent.findMany();
    expect(events.length).toBeGreaterThan(10);
    expect(JSON.stringify(events)).not.toContain(CANARY);
    expect(logged.join('\n')).not.toContain(CANARY);
  });
});
