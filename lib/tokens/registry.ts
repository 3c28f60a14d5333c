// No `server-only` marker: the /api/v1 handler (server.ts) authenticates with
// this, and the revoke mutation (inside Next) invalidates it (see lib/db.ts).
//
// State lives on globalThis under one symbol, so Next's bundled copy of this
// module and server.ts's copy share it: a revoke in a server action is seen
// by the very next API request in the same process.
//
// What it holds:
// - the token cache (lib/cache.ts): SHA-256 hash → the token's row (or null
//   for an unknown hash), trusted for TOKEN_CACHE_TTL_MS; a revoke drops the
//   entry at once, on every instance;
// - "last used": updated in memory on every use and written to the database
//   at most every FLUSH_INTERVAL_MS (and on shutdown): one write per token per
//   interval, never one per request;
// - the addresses each token was seen from, so the first use from a new
//   address is audited once (`token.used_from_new_address`).
import { createHash, randomBytes } from 'node:crypto';
import { recordAudit } from '@/lib/audit/mutations';
import { createCache } from '@/lib/cache';
import { db, isDatabaseUnavailable } from '@/lib/db';
import { logUnexpected } from '@/lib/log';
import { TOKEN_PREFIX_LENGTH, tokenLabel, type TokenScope } from '@/lib/tokens/schemas';

const TOKEN_CACHE_TTL_MS = 10_000;
const FLUSH_INTERVAL_MS = 30_000;
const MAX_CACHED = 10_000;
const MAX_ADDRESSES_PER_TOKEN = 256;

/** `kh_` + 32 random bytes as base64url (46 characters). */
export function generateToken(): string {
  return `kh_${randomBytes(32).toString('base64url')}`;
}

/** What is stored and looked up: the SHA-256 of the whole token, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const tokenPrefix = (token: string) => token.slice(0, TOKEN_PREFIX_LENGTH);

/** A token as the API sees it (no hash, no secret part). Times are epoch ms. */
export type TokenRecord = {
  id: string;
  projectId: string;
  environmentId: string;
  environmentName: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  expiresAt: number | null;
  revokedAt: number | null;
};

/** `at` is epoch ms (a number: no Date allocated per request). */
type Usage = { at: number; ip: string | null };

type State = {
  usage: Map<string, Usage>;
  seen: Map<string, Set<string>>;
  timer: ReturnType<typeof setInterval> | null;
  stats: { loads: number; flushes: number; flushedRows: number };
};

const KEY = Symbol.for('keyhold.tokens.registry');
const holder = globalThis as unknown as Record<symbol, State | undefined>;
const state: State = (holder[KEY] ??= {
  usage: new Map(),
  seen: new Map(),
  timer: null,
  stats: { loads: 0, flushes: 0, flushedRows: 0 },
});

/** Counters for tests and the benchmark: database loads of tokens, usage flushes. */
export const tokenStats = state.stats;

/**
 * SHA-256 hash → the token's row (null: a known unknown hash), trusted for
 * TOKEN_CACHE_TTL_MS; past that it is still answered while one background read
 * refreshes it (no request waits on the periodic refresh). A revoke drops the
 * entry on every instance (lib/cache.ts).
 */
const tokens = createCache<TokenRecord | null>({
  name: 'tokens',
  load: readToken,
  ttlMs: () => TOKEN_CACHE_TTL_MS,
  serveStale: true,
  max: MAX_CACHED,
  onRefreshError: (error) => isDatabaseUnavailable(error) || logUnexpected('refreshing a cached token failed', error),
});

/** The cached token for a hash: a record, null (known unknown), or undefined (not cached, or older than the TTL). */
export const cachedToken = (hash: string): TokenRecord | null | undefined => tokens.peek(hash);

/** The token for a hash, synchronously when cached (see `tokens`). */
export const lookupToken = (hash: string): TokenRecord | null | Promise<TokenRecord | null> => tokens.read(hash);

/** Reads a token by hash from the database (one read shared by concurrent callers) and caches it. */
export const loadToken = (hash: string): Promise<TokenRecord | null> => tokens.reload(hash);

async function readToken(hash: string): Promise<TokenRecord | null> {
  state.stats.loads++;
  const row = await db.serviceToken.findUnique({
    where: { tokenHash: hash },
    select: {
      id: true,
      projectId: true,
      environmentId: true,
      name: true,
      prefix: true,
      scope: true,
      expiresAt: true,
      revokedAt: true,
      environment: { select: { name: true } },
    },
  });
  return row
    ? {
        id: row.id,
        projectId: row.projectId,
        environmentId: row.environmentId,
        environmentName: row.environment.name,
        name: row.name,
        prefix: row.prefix,
        scope: row.scope === 'read-write' ? 'read-write' : 'read',
        expiresAt: row.expiresAt?.getTime() ?? null,
        revokedAt: row.revokedAt?.getTime() ?? null,
      }
    : null;
}

/** Drops a token from the cache of every instance (revoke): the next request with it reads the database. */
export function forgetToken(tokenHash: string, tokenId: string): void {
  tokens.invalidate(tokenHash);
  state.seen.delete(tokenId);
}

/** Empties the cache (tests). */
export function forgetAllTokens(): void {
  tokens.clear();
  state.seen.clear();
}

/**
 * Notes one use of a token: "last used" in memory (flushed later) and, on the
 * first use from an address not seen before for this token, an audit event.
 */
export function recordTokenUse(token: TokenRecord, ip: string | null): void {
  state.usage.set(token.id, { at: Date.now(), ip });
  if (!state.timer) {
    state.timer = setInterval(() => void flushTokenUsage(), FLUSH_INTERVAL_MS);
    state.timer.unref?.();
  }
  if (!ip) return;
  let seen = state.seen.get(token.id);
  if (!seen) state.seen.set(token.id, (seen = new Set()));
  if (seen.has(ip)) return;
  if (seen.size >= MAX_ADDRESSES_PER_TOKEN) seen.clear();
  seen.add(ip);
  void auditNewAddress(token, ip).catch((error) => logUnexpected('recording a token address failed', error));
}

async function auditNewAddress(token: TokenRecord, ip: string): Promise<void> {
  const known = await db.auditEvent.findFirst({
    where: { targetType: 'token', targetId: token.id, action: 'token.used_from_new_address', ip },
    select: { id: true },
  });
  if (known) return;
  await db.$transaction((tx) =>
    recordAudit(
      tx,
      { userId: null, tokenId: token.id, label: tokenLabel(token), ip },
      {
        projectId: token.projectId,
        action: 'token.used_from_new_address',
        targetType: 'token',
        targetId: token.id,
        targetLabel: token.name,
        environment: token.environmentName,
        details: { address: ip },
      },
    ),
  );
}

/** Use not yet written to the database, for the tokens page (same process). */
export function pendingTokenUse(tokenId: string): Usage | undefined {
  return state.usage.get(tokenId);
}

/** Writes the "last used" of every token used since the last flush: one transaction, one row per token. */
export async function flushTokenUsage(): Promise<void> {
  if (state.usage.size === 0) return;
  const batch = [...state.usage];
  state.usage.clear();
  try {
    await db.$transaction(
      batch.map(([id, use]) =>
        db.serviceToken.updateMany({
          // Never move "last used" backwards (another instance may have flushed a later use).
          where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(use.at) } }] },
          data: { lastUsedAt: new Date(use.at), lastUsedIp: use.ip },
        }),
      ),
    );
    state.stats.flushes++;
    state.stats.flushedRows += batch.length;
  } catch (error) {
    // Keep what was not written, unless a newer use arrived meanwhile.
    for (const [id, use] of batch) if (!state.usage.has(id)) state.usage.set(id, use);
    logUnexpected('writing token "last used" failed', error);
  }
}

/** Stops the periodic flush (shutdown, tests); call flushTokenUsage() after it to write what is pending. */
export function stopTokenUsageTimer(): void {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}
