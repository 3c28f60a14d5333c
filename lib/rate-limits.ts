// No `server-only` marker: the /api/v1 handler (server.ts) uses this too (see lib/db.ts).
//
// The one place rate limiters are made. On SQLite (one process) they count in
// memory. On PostgreSQL they count in the database (rate-limiter-flexible's
// PostgreSQL store, its own table), so N instances do not allow N times the
// attempts; while the database cannot be reached, each instance counts in
// memory instead (cached API reads keep being served). Any other failure of
// the store (its table gone, say) is a DatabaseUnavailableError: answered like
// an unreachable database, never as "too many attempts", never let through.
//
// The API's limiters sit on the hot read path, which must stay in memory
// (bench/api.mjs --postgres): see HotPathLimiter.
import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DatabaseUnavailableError, isDatabaseUnavailable, provider } from '@/lib/db';
import { RATE_LIMIT_TABLE } from '@/lib/db-providers.mjs';
import { logUnexpected } from '@/lib/log';
import { databaseUrl } from '@/lib/env';

export { RateLimiterRes };

/** What a limiter needs to offer its callers: consume a point for a key (rejects with a RateLimiterRes when over). */
export type Limiter = { consume(key: string): Promise<unknown> };

/** A limiter counted in one place (memory on SQLite, the database on PostgreSQL). */
export type SharedLimiter = Pick<RateLimiterAbstract, 'consume' | 'delete'>;

// One small pool for every limiter of this process (globalThis: Next's bundle and server.ts share it).
const POOL = Symbol.for('keyhold.rateLimits.pool');
const holder = globalThis as unknown as Record<symbol, pg.Pool | undefined>;
const pool = () => (holder[POOL] ??= new pg.Pool({ connectionString: databaseUrl(), max: 3, connectionTimeoutMillis: 2_000 }));

/**
 * A limiter allowing `points` per `durationSeconds` per key. `name` keeps each
 * limiter's keys apart in the shared table (and must be unique). Rejects with
 * a RateLimiterRes when over the limit, with another error when it cannot tell.
 */
export function createRateLimiter(name: string, points: number, durationSeconds: number): SharedLimiter {
  const options = { keyPrefix: name, points, duration: durationSeconds };
  if (provider !== 'postgresql') return new RateLimiterMemory(options);
  const memory = new RateLimiterMemory(options);
  // Ready once its table exists (CREATE TABLE IF NOT EXISTS); tried again on the next call when that failed.
  let store: Promise<RateLimiterPostgres> | undefined;
  const shared = () =>
    (store ??= new Promise<RateLimiterPostgres>((resolve, reject) => {
      const limiter = new RateLimiterPostgres({ ...options, storeClient: pool(), tableName: RATE_LIMIT_TABLE }, (error?: Error) =>
        error ? reject(error) : resolve(limiter),
      );
    }).catch((error: unknown) => {
      store = undefined;
      throw error;
    }));
  async function run<T>(operation: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    try {
      return await operation(await shared());
    } catch (error) {
      if (error instanceof RateLimiterRes) throw error;
      if (isDatabaseUnavailable(error)) return operation(memory);
      logUnexpected(`rate limit store of ${name} failed`, error);
      throw new DatabaseUnavailableError('the rate limit store failed', { cause: error });
    }
  }
  return {
    consume: (key, points) => run((limiter) => limiter.consume(key, points)),
    delete: (key) => run((limiter) => limiter.delete(key)),
  };
}

/** Like createRateLimiter, for a limiter on a hot path: answered in memory while a key is far from its limit. */
export function createHotPathRateLimiter(name: string, points: number, durationSeconds: number): Limiter {
  const shared = createRateLimiter(name, points, durationSeconds);
  return provider === 'postgresql' ? new HotPathLimiter(shared, points) : shared;
}

const FLUSH_MS = 50;

/**
 * Shared counting without a database round trip per request. Per key it knows
 * the shared count from its last exchange with the database. While that count
 * plus what this instance allowed since is under half the limit, a request is
 * allowed at once and counted in memory; the counts go to the database in one
 * batch every FLUSH_MS. From half the limit on, every request waits for the
 * database (exact, like the plain shared limiter). So N instances together
 * allow the limit, exceeded only if the others spend more than half of it
 * within one flush interval.
 */
class HotPathLimiter implements Limiter {
  private readonly known = new Map<string, { consumed: number; resetAt: number; pending: number }>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly shared: SharedLimiter,
    private readonly points: number,
  ) {}

  consume(key: string): Promise<unknown> {
    const state = this.known.get(key);
    if (state && Date.now() < state.resetAt && state.consumed + state.pending + 1 <= this.points / 2) {
      state.pending++;
      this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
      return Promise.resolve();
    }
    return this.exchange(key, 1);
  }

  /** Sends this instance's uncounted points (plus `extra`) for a key and learns the shared count. */
  private async exchange(key: string, extra: number): Promise<RateLimiterRes> {
    const state = this.known.get(key) ?? { consumed: 0, resetAt: 0, pending: 0 };
    this.known.set(key, state);
    const points = state.pending + extra;
    state.pending = 0;
    const learn = (res: RateLimiterRes) => {
      state.consumed = res.consumedPoints;
      state.resetAt = Date.now() + res.msBeforeNext;
    };
    try {
      const res = await this.shared.consume(key, points);
      learn(res);
      return res;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) learn(rejection);
      throw rejection;
    }
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const now = Date.now();
    const sends: Promise<unknown>[] = [];
    for (const [key, state] of this.known) {
      if (state.pending > 0) sends.push(this.exchange(key, 0).catch(() => undefined));
      else if (now >= state.resetAt) this.known.delete(key);
    }
    await Promise.all(sends);
  }
}
