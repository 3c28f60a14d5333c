// The /api/v1 handler exactly as server.ts mounts it, on a real node:http
// server at 127.0.0.1 (port 0); anything it declines answers 418 "next" so a
// test can tell that it would have gone to Next.
import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleApiRequest } from '@/lib/api/handler';

export type ApiServer = { url: string; port: number; close(): Promise<void> };

/** With `tls`, served over HTTPS (as behind a TLS-terminating proxy) at https://127.0.0.1:<port>. */
export async function startApiServer(options: { tls?: { key: Buffer; cert: Buffer } } = {}): Promise<ApiServer> {
  const listener: RequestListener = (req, res) => {
    if (handleApiRequest(req, res)) return;
    res.writeHead(418, { 'content-type': 'text/plain' });
    res.end('next');
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  // Idle connections stay open until close(): a connection timed out here while fetch reuses it would reset on a busy machine.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A request through node:http (no fetch niceties): for chunked bodies, odd methods and exact bytes. */
export function rawRequest(
  port: number,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method, path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
export type ApiAnswer = { status: number; headers: Headers; text: string; json: any };

/** One /api/v1 request with a bearer token and an optional JSON body; the answer parsed when it is JSON. */
export async function callApi(
  server: ApiServer,
  path: string,
  { method = 'GET', token, body }: { method?: string; token?: string; body?: unknown } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').startsWith('application/json') && text ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, text, json };
}

/** The API's error body, exactly: status, code and message. */
export const apiError = (status: number, code: string, message: string) => ({ status, error: { code, message } });

export const errorOf = (answer: ApiAnswer) => ({ status: answer.status, error: { code: answer.json?.error?.code, message: answer.json?.error?.message } });
