import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '@/lib/api/openapi';
import { setApiRateLimits } from '@/lib/api/rate-limit';
import { API_ROUTES, matchPath } from '@/lib/api/routes';
import { db } from '@/lib/db';
import { redeploy } from '@/lib/deploys/mutations';
import { createProject } from '@/lib/projects/mutations';
import { createSecret } from '@/lib/secrets/mutations';
import { API_ERROR_STATUS } from '@/lib/api/types';
import { createToken } from '@/lib/tokens/mutations';
import { stopTokenUsageTimer } from '@/lib/tokens/registry';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { startApiServer, type ApiServer } from './support/api-server';
import { migrateTestDatabase } from './support/db';
import { signInAs } from './support/session';

// The OpenAPI document describes exactly the routes the handler serves, and
// real responses match what it documents (status codes and body schemas).

type Json = Record<string, unknown>;
const doc = JSON.parse(JSON.stringify(openApiDocument)) as Json & {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json> };
};
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** A small JSON Schema checker for the keywords the document uses. Returns the problems found. */
function check(schema: Json, value: unknown, at = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) return [`${at}: unknown $ref ${schema.$ref}`];
    return check({ ...target, ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$ref')) }, value, at);
  }
  const problems: string[] = [];
  const types = schema.type === undefined ? null : ([] as string[]).concat(schema.type as string | string[]);
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;
  if (types && !types.some((type) => type === actual || (type === 'number' && actual === 'integer')))
    return [`${at}: expected ${types.join(' or ')}, got ${actual}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) problems.push(`${at}: shorter than ${schema.minLength}`);
    // JSON Schema counts characters (code points), not UTF-16 units.
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) problems.push(`${at}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: does not match ${schema.pattern}`);
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) problems.push(`${at}: not a date-time`);
  }
  if (actual === 'array' && schema.items) (value as unknown[]).forEach((item, i) => problems.push(...check(schema.items as Json, item, `${at}[${i}]`)));
  if (actual === 'object') {
    const object = value as Json;
    const properties = (schema.properties ?? {}) as Record<string, Json>;
    for (const name of (schema.required ?? []) as string[]) if (!Object.hasOwn(object, name)) problems.push(`${at}.${name}: required`);
    for (const [name, item] of Object.entries(object)) {
      if (properties[name]) problems.push(...check(properties[name], item, `${at}.${name}`));
      else if (schema.additionalProperties === false) problems.push(`${at}.${name}: not allowed`);
      else if (typeof schema.additionalProperties === 'object') problems.push(...check(schema.additionalProperties as Json, item, `${at}.${name}`));
    }
  }
  return problems;
}

describe('the document and the router', () => {
  it('is OpenAPI 3.1 and every $ref resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[A-Za-z]+"/g) ?? [];
    for (const ref of refs) expect(doc.components.schemas[JSON.parse(ref).split('/').pop()]).toBeDefined();
  });

  it('documents every route the handler serves, and nothing else', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => METHODS.includes(k))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = API_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(documented.sort()).toEqual(served.sort());
    for (const route of API_ROUTES) {
      const op = doc.paths[route.path][route.method.toLowerCase()];
      expect(op.operationId).toBe(route.name);
      expect(op.security === undefined ? 'token' : 'none').toBe(route.verb === null ? 'none' : 'token');
      if (route.path.includes('{secret}')) {
        expect((op.parameters as Json[]).some((p) => p.name === 'secret' && p.in === 'path' && p.required === true)).toBe(true);
      }
      // The router resolves the documented path (with a sample parameter) to this route.
      if (route.path.includes('{number}')) {
        expect((op.parameters as Json[]).some((p) => p.name === 'number' && p.in === 'path' && p.required === true)).toBe(true);
      }
      const sample = route.path.replace('{secret}', 'SAMPLE').replace('{number}', '1');
      expect(matchPath(sample)?.routes.some((r) => r.name === route.name)).toBe(true);
    }
  });

  it('has a schema checker that does catch mismatches', () => {
    expect(check({ $ref: '#/components/schemas/SecretMap' }, { secrets: { A: 'x' } })).toEqual([]);
    expect(check({ $ref: '#/components/schemas/SecretMap' }, { secrets: { A: 1 }, extra: true })).toHaveLength(2);
    expect(check({ $ref: '#/components/schemas/Error' }, { error: { code: 'nope', message: 'm' } })).toHaveLength(1);
  });

  it('lists every error code with its status', () => {
    const errorSchema = doc.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
    expect(errorSchema.properties.error.properties.code.enum.sort()).toEqual(Object.keys(API_ERROR_STATUS).sort());
  });
});

describe('real responses match the document', () => {
  let server: ApiServer;
  let read: string, write: string;
  let secretId: string;
  beforeAll(async () => {
    await migrateTestDatabase();
    stopTokenUsageTimer();
    setApiRateLimits({ perToken: 0, perIp: 0 });
    const admin = await db.user.create({ data: { name: 'Admin', email: `admin-${randomUUID()}@example.test`, passwordHash: 'x' } });
    signInAs(admin);
    const projectId = (await db.project.findUniqueOrThrow({ where: { slug: (await createProject({ name: 'OpenAPI' })).slug } })).id;
    const production = (await db.environment.findFirstOrThrow({ where: { projectId, name: 'production' } })).id;
    secretId = (await createSecret(projectId, production, { key: 'API_KEY', value: 'v', description: 'd', type: 'API_KEY' })).id;
    await redeploy(projectId, production);
    const make = (scope: 'read' | 'read-write') =>
      createToken(projectId, createTokenSchema.parse({ name: scope, environmentId: production, scope, expiry: 'never' }));
    read = (await make('read')).token;
    write = (await make('read-write')).token;
    server = await startApiServer();
  });
  afterAll(async () => {
    await server.close();
    setApiRateLimits(null);
  });

  const cases: {
    route: string;
    method: string;
    path: () => string;
    token?: () => string | null;
    body?: unknown;
    headers?: Record<string, string>;
    status: number;
  }[] = [
    { route: '/api/v1/openapi.json', method: 'get', path: () => '/api/v1/openapi.json', token: () => null, status: 200 },
    { route: '/api/v1/secrets', method: 'get', path: () => '/api/v1/secrets', status: 200 },
    { route: '/api/v1/secrets', method: 'get', path: () => '/api/v1/secrets', token: () => null, status: 401 },
    { route: '/api/v1/secrets', method: 'get', path: () => '/api/v1/secrets?format=nope', status: 422 },
    { route: '/api/v1/secrets', method: 'post', path: () => '/api/v1/secrets', token: () => write, body: { name: 'NEW_ONE', value: 'x' }, status: 201 },
    { route: '/api/v1/secrets', method: 'post', path: () => '/api/v1/secrets', token: () => write, body: { name: 'API_KEY', value: 'x' }, status: 409 },
    { route: '/api/v1/secrets', method: 'post', path: () => '/api/v1/secrets', token: () => write, body: { name: '' }, status: 422 },
    { route: '/api/v1/secrets', method: 'post', path: () => '/api/v1/secrets', body: { name: 'X', value: 'x' }, status: 403 },
    {
      route: '/api/v1/secrets',
      method: 'post',
      path: () => '/api/v1/secrets',
      token: () => write,
      body: 'x=1',
      headers: { 'content-type': 'text/plain' },
      status: 415,
    },
    { route: '/api/v1/secrets/info', method: 'get', path: () => '/api/v1/secrets/info', token: () => write, status: 200 },
    { route: '/api/v1/secrets/{secret}', method: 'get', path: () => '/api/v1/secrets/API_KEY', status: 200 },
    { route: '/api/v1/secrets/{secret}', method: 'get', path: () => '/api/v1/secrets/MISSING', status: 404 },
    {
      route: '/api/v1/secrets/{secret}',
      method: 'patch',
      path: () => `/api/v1/secrets/${secretId}`,
      token: () => write,
      body: { description: 'new' },
      status: 200,
    },
    { route: '/api/v1/secrets/{secret}', method: 'patch', path: () => `/api/v1/secrets/${secretId}`, token: () => write, body: '{', status: 400 },
    { route: '/api/v1/secrets/{secret}', method: 'delete', path: () => `/api/v1/secrets/${randomUUID()}`, token: () => write, status: 404 },
    { route: '/api/v1/secrets/{secret}', method: 'delete', path: () => `/api/v1/secrets/${secretId}`, token: () => write, status: 204 },
    {
      route: '/api/v1/secrets',
      method: 'post',
      path: () => '/api/v1/secrets',
      token: () => write,
      body: { name: 'NEXT_PUBLIC_STRIPE', value: `sk_live_${'a'.repeat(24)}` },
      status: 422,
    },
    { route: '/api/v1/deployments', method: 'post', path: () => '/api/v1/deployments', token: () => write, status: 201 },
    { route: '/api/v1/deployments', method: 'post', path: () => '/api/v1/deployments', status: 403 },
    { route: '/api/v1/deployments/{number}', method: 'get', path: () => '/api/v1/deployments/1', status: 200 },
    { route: '/api/v1/deployments/{number}', method: 'get', path: () => '/api/v1/deployments/999', status: 404 },
    { route: '/api/v1/deployments/{number}', method: 'get', path: () => '/api/v1/deployments/x', status: 404 },
    {
      route: '/api/v1/imports/preview',
      method: 'post',
      path: () => '/api/v1/imports/preview',
      token: () => write,
      body: { format: 'env', text: 'A=1\nA=2\n1B=x\nNEW_ONE=y\n' },
      status: 200,
    },
    {
      route: '/api/v1/imports/preview',
      method: 'post',
      path: () => '/api/v1/imports/preview',
      token: () => write,
      body: { format: 'yaml', text: 'A=1' },
      status: 422,
    },
    { route: '/api/v1/imports/preview', method: 'post', path: () => '/api/v1/imports/preview', body: { format: 'env', text: 'A=1' }, status: 403 },
    {
      route: '/api/v1/imports/apply',
      method: 'post',
      path: () => '/api/v1/imports/apply',
      token: () => write,
      body: { format: 'env', text: 'A=1', previewId: 'old' },
      status: 409,
    },
  ];

  it.each(cases.map((c) => [`${c.method.toUpperCase()} ${c.path === undefined ? c.route : c.route} → ${c.status}`, c] as const))('%s', async (_, c) => {
    const bearer = c.token ? c.token() : read;
    const headers: Record<string, string> = { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...c.headers };
    let body: string | undefined;
    if (c.body !== undefined) {
      body = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${server.url}${c.path()}`, { method: c.method.toUpperCase(), headers, body });
    expect(res.status).toBe(c.status);
    const op = doc.paths[c.route][c.method];
    const documented = (op.responses as Record<string, Json>)[String(res.status)];
    expect(documented, `status ${res.status} documented for ${c.method} ${c.route}`).toBeDefined();
    const text = await res.text();
    if (res.status === 204) {
      expect(text).toBe('');
      return;
    }
    const schema = (documented.content as Record<string, { schema: Json }>)['application/json'].schema;
    expect(check(schema, JSON.parse(text))).toEqual([]);
  });

  /** The codes a documented status names in its description (`code`: ...). */
  const documentedCodes = (response: Json | undefined) => [...String(response?.description ?? '').matchAll(/`([a-z_]+)`:/g)].map((m) => m[1]);

  let generated = 0;
  /** A value the property's schema allows (keys are made unique). */
  function sample(schema: Json): unknown {
    if (typeof schema.$ref === 'string') return sample({ ...doc.components.schemas[schema.$ref.split('/').pop()!], ...schema, $ref: undefined });
    if (Array.isArray(schema.enum)) return schema.enum[0];
    if (schema.type === 'string') return schema.pattern ? `GEN_${++generated}` : 'x';
    if (schema.type === 'boolean') return false;
    throw new Error(`no sample for ${JSON.stringify(schema)}`);
  }

  /** A valid body, then each property null, of another type, empty, too long or left out, and an unknown property. */
  function bodies(schema: Json): Json[] {
    const resolved = doc.components.schemas[String(schema.$ref).split('/').pop()!];
    const properties = resolved.properties as Record<string, Json>;
    const valid = () => Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, sample(p)]));
    const out: Json[] = [valid(), {}, { ...valid(), unknown: 'x' }];
    for (const [name, property] of Object.entries(properties)) {
      const maxLength = ((property.maxLength as number | undefined) ?? 0) + 1;
      const strings: unknown[] = [];
      if (property.pattern) {
        const good = String(sample(property));
        strings.push(` ${good}`, `${good} `, `KEYHOLD_${good}`, `keyhold_${good}`, `1${good}`);
      }
      // Characters outside the BMP (two UTF-16 units each) up to and past maxLength; small limits only (a body is ≤ 128 KiB).
      if (property.maxLength && !property.pattern && (property.maxLength as number) <= 1000) {
        strings.push('😀'.repeat(property.maxLength as number), ' '.repeat(maxLength), '😀'.repeat(maxLength));
      }
      for (const value of [null, 42, true, [], {}, '', ...(maxLength > 1 ? ['A'.repeat(maxLength)] : []), ...strings]) out.push({ ...valid(), [name]: value });
      const { [name]: _, ...without } = valid();
      out.push(without);
    }
    return out;
  }

  it('answers generated bodies as the document says: what it forbids is a 422 validation_failed, what it allows is accepted, every answer documented', async () => {
    const target = await fetch(`${server.url}/api/v1/secrets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${write}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'PATCH_TARGET', value: 'v' }),
    });
    const targetId = ((await target.json()) as { id: string }).id;
    const writes = [
      { route: '/api/v1/secrets', method: 'post', path: '/api/v1/secrets' },
      { route: '/api/v1/secrets/{secret}', method: 'patch', path: `/api/v1/secrets/${targetId}` },
    ];
    const drift: string[] = [];
    for (const { route, method, path } of writes) {
      const op = doc.paths[route][method];
      const schema = ((op.requestBody as Json).content as Record<string, { schema: Json }>)['application/json'].schema;
      for (const body of bodies(schema)) {
        const res = await fetch(`${server.url}${path}`, {
          method: method.toUpperCase(),
          headers: { authorization: `Bearer ${write}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const answer = res.status === 204 ? null : ((await res.json()) as { error?: { code: string; fields?: Json } });
        const allowed = check(schema, body).length === 0;
        const where = `${method.toUpperCase()} ${route} ${JSON.stringify(body)} → ${res.status} ${answer?.error?.code ?? ''}`;
        const documented = (op.responses as Record<string, Json>)[String(res.status)];
        if (!documented) drift.push(`${where}: status not documented`);
        else if (answer?.error && !documentedCodes(documented).includes(answer.error.code)) drift.push(`${where}: code not documented for this status`);
        if (!allowed && (res.status !== 422 || answer?.error?.code !== 'validation_failed' || !answer.error.fields))
          drift.push(`${where}: the document forbids this body`);
        if (allowed && answer?.error && !['no_changes', 'conflict'].includes(answer.error.code)) drift.push(`${where}: the document allows this body`);
      }
    }
    expect(drift).toEqual([]);
  });

  it('documents every error code each route names, once per status', () => {
    for (const route of API_ROUTES) {
      const responses = doc.paths[route.path][route.method.toLowerCase()].responses as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        for (const code of documentedCodes(response)) {
          expect(API_ERROR_STATUS[code as keyof typeof API_ERROR_STATUS], `${route.name}: ${code}`).toBe(Number(status));
        }
      }
    }
  });

  it('documents the 304 and the dotenv body of GET /api/v1/secrets', async () => {
    const first = await fetch(`${server.url}/api/v1/secrets?format=dotenv`, { headers: { authorization: `Bearer ${read}` } });
    const responses = doc.paths['/api/v1/secrets'].get.responses as Record<string, Json>;
    expect(Object.keys(responses['200'].content as Json)).toContain(first.headers.get('content-type')!.split(';')[0]);
    const again = await fetch(`${server.url}/api/v1/secrets?format=dotenv`, {
      headers: { authorization: `Bearer ${read}`, 'if-none-match': first.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect(responses['304']).toBeDefined();
  });
});
