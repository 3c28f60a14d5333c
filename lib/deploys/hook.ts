import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, HOOK_PRIVATE_ADDRESS, literalAddressRefusal, PRIVATE_ADDRESS_CODE } from '@/lib/deploys/hook-address';
import type { ChangeSummary } from '@/lib/deploys/schemas';

// The signed POST a deploy hook receives (the README (Deployments and deploy hooks) describes it
// for receivers). No database here: mutations.ts decides what to send and
// records the outcome; this file signs, posts and names the result.

const HOOK_HEADERS = {
  signature: 'Keyhold-Signature',
  timestamp: 'Keyhold-Timestamp',
  delivery: 'Keyhold-Delivery',
} as const;

export const HOOK_TIMEOUT_MS = 10_000;
const SIGNATURE_VERSION = 'v1';

export type HookPayload = {
  project: { slug: string; name: string };
  environment: string;
  deployment: number;
  /** Keys only: never a value. */
  changes: { added: string[]; changed: string[]; removed: string[] };
  /** ISO time of this delivery attempt (the same instant as the timestamp header). */
  timestamp: string;
};

export function hookPayload(input: {
  project: { slug: string; name: string };
  environment: string;
  deployment: number;
  changes: ChangeSummary;
  at: Date;
}): HookPayload {
  return {
    project: { slug: input.project.slug, name: input.project.name },
    environment: input.environment,
    deployment: input.deployment,
    changes: {
      added: input.changes.added.map((entry) => entry.key),
      changed: input.changes.changed.map((entry) => entry.key),
      removed: input.changes.removed.map((entry) => entry.key),
    },
    timestamp: input.at.toISOString(),
  };
}

/** HMAC-SHA256 over `${timestamp}.${body}` keyed with the signing secret's value, as hex. */
export function computeSignature(secret: string, timestamp: number | string, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The Keyhold-Signature header value: `v1=<hex>`. */
export function signatureHeader(secret: string, timestamp: number | string, body: string): string {
  return `${SIGNATURE_VERSION}=${computeSignature(secret, timestamp, body)}`;
}

/**
 * What a receiver does (and what the tests do): recompute the signature over
 * the raw body, compare in constant time, and refuse stale timestamps.
 */
export function verifySignature(input: {
  secret: string;
  body: string;
  signature: string | null | undefined;
  timestamp: string | null | undefined;
  /** Seconds a notification stays acceptable (default 5 minutes). */
  toleranceSeconds?: number;
  nowSeconds?: number;
}): boolean {
  const { secret, body, signature, timestamp } = input;
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signatureHeader(secret, timestamp, body), 'utf8');
  // A header may carry several signatures (e.g. during a signing-secret rotation): any may match.
  return signature.split(',').some((candidate) => {
    const given = Buffer.from(candidate.trim(), 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export type HookRequest = { body: string; headers: Record<string, string>; deliveryId: string; timestamp: number };

/** The body and headers of one delivery attempt; unsigned when there is no signing secret. */
export function buildHookRequest(payload: HookPayload, signingSecret: string | null, at: Date): HookRequest {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(at.getTime() / 1000);
  const deliveryId = randomUUID();
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Keyhold',
    [HOOK_HEADERS.timestamp]: String(timestamp),
    [HOOK_HEADERS.delivery]: deliveryId,
  };
  if (signingSecret !== null) headers[HOOK_HEADERS.signature] = signatureHeader(signingSecret, timestamp, body);
  return { body, headers, deliveryId, timestamp };
}

export type HookOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/** A network failure named by its code only (messages may quote the URL, which can carry a token). */
function networkError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: unknown; code?: unknown; cause?: { name?: unknown; code?: unknown } } | null;
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') {
    return `Hook timed out after ${formatSeconds(timeoutMs)}`;
  }
  for (const code of [e?.cause?.code, e?.code]) {
    if (typeof code === 'string' && ERROR_CODE.test(code)) return `Hook unreachable: ${code}`;
  }
  return 'Hook unreachable';
}

export const formatSeconds = (ms: number) => `${Number((ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1))} s`;

export type PostHookOptions = {
  /** How long the hook may take to answer (default 10 s; tests shorten it). */
  timeoutMs?: number;
  /** The DNS lookup under the address check (tests play DNS rebinding with it); dns.lookup by default. */
  resolve?: Parameters<typeof guardedLookup>[0];
};

/**
 * POSTs one notification. 2xx succeeds; any other answer, a network error,
 * the timeout or an internal address (lib/deploys/hook-address.ts) fails,
 * named without the response body. Redirects are not followed (a signed POST
 * should reach the URL that was configured).
 */
export async function postHook(url: string, request: HookRequest, { timeoutMs = HOOK_TIMEOUT_MS, resolve }: PostHookOptions = {}): Promise<HookOutcome> {
  const target = new URL(url);
  if (literalAddressRefusal(target)) return { ok: false, status: null, error: HOOK_PRIVATE_ADDRESS };
  let status: number;
  try {
    status = await post(target, request, timeoutMs, guardedLookup(resolve));
  } catch (error) {
    const refused = (error as { code?: unknown } | null)?.code === PRIVATE_ADDRESS_CODE;
    return { ok: false, status: null, error: refused ? HOOK_PRIVATE_ADDRESS : networkError(error, timeoutMs) };
  }
  if (status >= 200 && status < 300) return { ok: true, status };
  return { ok: false, status, error: `Hook answered ${status}` };
}

/** node:http(s) rather than fetch: its `lookup` option is where the connected address is checked. */
function post(url: URL, request: HookRequest, timeoutMs: number, lookup: ReturnType<typeof guardedLookup>): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
        lookup: lookup as never,
        // A fresh connection per delivery: a pooled keep-alive socket could be reset by a receiver
        // that timed it out, and would skip the address check of a new lookup.
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        // The body is never read (it is not ours to store); drain it to release the connection.
        res.on('error', () => undefined);
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}
