// The HTTP client's own behaviour (ETag cache, errors, retries, transport)
// against a small peer that answers by the /api/v1 contract. The real server
// is exercised in tests/client.integration.test.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from '../cli/http.mjs';
import { apiBase, createClient, KeyholdClient, KeyholdError } from '../client/index.mjs';

const TOKEN = `kh_${'A'.repeat(43)}`;

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler;
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
let server: Server;
let url: string;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const apiError = (res: ServerResponse, status: number, code: string, message: string, extra: object = {}, headers: Record<string, string> = {}) =>
  json(res, status, { error: { code, message, ...extra } }, headers);

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
});

/** A loopback port nobody listens on. */
const closedPort = async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
};

const caught = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyholdError);
  return error as KeyholdError;
};

// Both transports: global fetch (other apps) and the CLI's node:http one.
describe.each([
  ['global fetch', undefined],
  ['node:http (CLI)', nodeFetch],
])('client over %s', (_, fetchImpl) => {
  const client = (options: Partial<ConstructorParameters<typeof KeyholdClient>[0]> = {}) => createClient({ url, token: TOKEN, fetch: fetchImpl, ...options });

  it('reads the deployed secrets with the token, keeps them with the ETag and answers a 304 from memory', async () => {
    let deployment = 1;
    handler = (req, res) => {
      const etag = `"d${deployment}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag, 'x-keyhold-deployment': String(deployment) });
      res.end(`{"secrets":{"STRIPE_API_KEY":"sk_${deployment}","__proto__":"p","constructor":"c"}}`);
    };
    const keyhold = client();
    const first = await keyhold.fetchSecrets();
    expect(first).toMatchObject({ deployment: 1, etag: '"d1"', notModified: false });
    expect(first.secrets.STRIPE_API_KEY).toBe('sk_1');
    expect(Object.getPrototypeOf(first.secrets)).toBeNull();
    expect(Object.keys(first.secrets).sort()).toEqual(['STRIPE_API_KEY', '__proto__', 'constructor']);
    expect(first.secrets['__proto__']).toBe('p');
    expect(first.secrets.toString).toBeUndefined();
    expect(Object.isFrozen(first.secrets)).toBe(true);

    const second = await keyhold.fetchSecrets();
    expect(second.notModified).toBe(true);
    expect(second.secrets).toBe(first.secrets);
    expect(seen.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"d1"']);
    expect(seen.every((r) => r.headers.authorization === `Bearer ${TOKEN}` && r.url === '/api/v1/secrets')).toBe(true);

    deployment = 2;
    expect((await keyhold.getSecrets()).STRIPE_API_KEY).toBe('sk_2');
    expect(seen[2].headers['if-none-match']).toBe('"d1"');
  });

  it('shares one request between concurrent callers, and honours maxAgeMs', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, { secrets: { A: '1' } }, { etag: '"x"' }), 30);
    const keyhold = client({ maxAgeMs: 60_000 });
    const results = await Promise.all([keyhold.getSecrets(), keyhold.getSecrets(), keyhold.getSecrets()]);
    expect(new Set(results).size).toBe(1);
    expect(seen).toHaveLength(1);
    await keyhold.getSecrets();
    expect(seen).toHaveLength(1); // younger than maxAgeMs: no request
    keyhold.clearCache();
    await keyhold.getSecrets();
    expect(seen).toHaveLength(2);
    expect(seen[1].headers['if-none-match']).toBeUndefined();
  });

  it('reads one secret by name, URL-encoded', async () => {
    handler = (req, res) => json(res, 200, { name: decodeURIComponent(req.url!.split('/').pop()!), value: 'v' });
    expect(await client().getSecret('A B/../C')).toBe('v');
    expect(seen[0].url).toBe('/api/v1/secrets/A%20B%2F..%2FC');
  });

  it('writes: create, list info, update, delete with JSON bodies', async () => {
    handler = (req, res, body) => {
      if (req.method === 'POST') return json(res, 201, { id: 'new-id' });
      if (req.method === 'GET') return json(res, 200, { secrets: [{ id: 'a', name: 'A', description: '', type: 'OTHER', createdAt: 'x', updatedAt: 'y' }] });
      if (req.method === 'PATCH') return json(res, 200, { id: req.url!.split('/').pop(), echo: JSON.parse(body) });
      res.writeHead(204);
      res.end();
    };
    const keyhold = client();
    expect(await keyhold.createSecret({ name: 'A', value: 'v', type: 'API_KEY' })).toEqual({ id: 'new-id' });
    expect(await keyhold.listSecretInfo()).toEqual([{ id: 'a', name: 'A', description: '', type: 'OTHER', createdAt: 'x', updatedAt: 'y' }]);
    expect(await keyhold.updateSecret('id 1', { value: 'w' })).toEqual({ id: 'id%201' });
    await expect(keyhold.deleteSecret('a')).resolves.toBeUndefined();
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /api/v1/secrets',
      'GET /api/v1/secrets/info',
      'PATCH /api/v1/secrets/id%201',
      'DELETE /api/v1/secrets/a',
    ]);
    expect(JSON.parse(seen[0].body)).toEqual({ name: 'A', value: 'v', type: 'API_KEY' });
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[2].body)).toEqual({ value: 'w' });
  });

  it('throws the API error as a KeyholdError with code, status, message and fields', async () => {
    handler = (_req, res) => apiError(res, 422, 'validation_failed', 'Secret key is required', { fields: { name: 'Secret key is required' } });
    const error = await caught(client().createSecret({ name: '', value: 'v' }));
    expect(error).toMatchObject({
      name: 'KeyholdError',
      code: 'validation_failed',
      status: 422,
      message: 'Secret key is required',
      fields: { name: 'Secret key is required' },
    });

    handler = (_req, res) => apiError(res, 401, 'token_revoked', 'This token was revoked');
    expect(await caught(client().getSecrets())).toMatchObject({ code: 'token_revoked', status: 401 });
  });

  it('retries a 429 after a short Retry-After, and reports a long one', async () => {
    let calls = 0;
    handler = (_req, res) =>
      ++calls === 1 ? apiError(res, 429, 'rate_limited', 'Slow down', {}, { 'retry-after': '0' }) : json(res, 200, { name: 'A', value: 'v' });
    expect(await client().getSecret('A')).toBe('v');
    expect(calls).toBe(2);

    handler = (_req, res) => apiError(res, 429, 'rate_limited', 'Slow down', {}, { 'retry-after': '3600' });
    const error = await caught(client().getSecret('A'));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 3600 });
  });

  it('calls an answer without a Keyhold error body a bad_response, whatever its status', async () => {
    handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    };
    expect(await caught(client().getSecrets())).toMatchObject({ code: 'bad_response', status: 502 });
    handler = (_req, res) => json(res, 200, { secrets: { A: 1 } });
    expect(await caught(client().getSecrets())).toMatchObject({ code: 'bad_response', status: 200 });
    handler = (_req, res) => {
      res.writeHead(302, { location: 'http://elsewhere.test/' });
      res.end();
    };
    const redirect = await caught(client().getSecrets());
    expect(redirect).toMatchObject({ code: 'bad_response' });
    expect(redirect.message).toMatch(/^GET \/secrets answered with a redirect \(HTTP 3\d\d.*\); set the Keyhold URL to the address it redirects to$/);
    expect(seen.filter((r) => r.url === '/').length).toBe(0); // never followed
  });

  it('times out, and reports a server that cannot be reached, without the token', async () => {
    handler = () => undefined; // never answers
    const timeout = await caught(client({ timeoutMs: 100 }).getSecrets());
    expect(timeout).toMatchObject({ code: 'timeout', status: 0 });

    const closed = await closedPort();
    const refused = await caught(createClient({ url: `http://127.0.0.1:${closed}`, token: TOKEN, fetch: fetchImpl }).getSecrets());
    expect(refused).toMatchObject({ code: 'network_error', status: 0, message: `Cannot reach http://127.0.0.1:${closed} (ECONNREFUSED)` });
    for (const error of [timeout, refused]) expect(`${error.message} ${error.stack}`).not.toContain(TOKEN);
  });
});

describe('client configuration', () => {
  it('normalises the base URL', () => {
    expect(apiBase('https://keyhold.example.com')).toBe('https://keyhold.example.com/api/v1');
    expect(apiBase('https://keyhold.example.com/')).toBe('https://keyhold.example.com/api/v1');
    expect(apiBase('https://keyhold.example.com/api/v1/')).toBe('https://keyhold.example.com/api/v1');
    expect(apiBase('https://example.com/keyhold?x=1#y')).toBe('https://example.com/keyhold/api/v1');
  });

  it('refuses a missing or unusable configuration with not_configured', () => {
    const saved = { url: process.env.KEYHOLD_URL, token: process.env.KEYHOLD_TOKEN };
    delete process.env.KEYHOLD_URL;
    delete process.env.KEYHOLD_TOKEN;
    try {
      expect(() => createClient()).toThrow(expect.objectContaining({ code: 'not_configured', message: 'No Keyhold URL: pass { url } or set KEYHOLD_URL' }));
      expect(() => createClient({ url: 'http://x' })).toThrow(expect.objectContaining({ code: 'not_configured' }));
      expect(() => createClient({ url: 'ftp://x', token: TOKEN })).toThrow(/must start with http/);
      expect(() => createClient({ url: 'not a url', token: TOKEN })).toThrow(/not a valid URL/);
      expect(() => createClient({ url: 'https://user:pw@x', token: TOKEN })).toThrow(/user name or password/);
      process.env.KEYHOLD_URL = 'http://from-env.test';
      process.env.KEYHOLD_TOKEN = TOKEN;
      expect(createClient().baseUrl).toBe('http://from-env.test/api/v1');
    } finally {
      for (const [name, value] of [
        ['KEYHOLD_URL', saved.url],
        ['KEYHOLD_TOKEN', saved.token],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
