// No `server-only` marker: the /api/v1 handler (server.ts) uses this too (see lib/db.ts).
//
// The one place rate limiters are made. On SQLite (one process) they count in
// memory. On PostgreSQL they count in the database (rate-limiter-flexible's
// PostgreSQL store, its own table), so N instances do not allow N times the
// attempts; if the database cannot be reached, each instance falls back to
// counting in memory (the insurance limiter) instead of failing the request.
import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { provider } from '@/lib/db';
import { databaseUrl } from '@/lib/env';

export type { RateLimiterAbstract } from 'rate-limiter-flexible';
export { RateLimiterRes } from 'rate-limiter-flexible';

const TABLE = 'keyhold_rate_limits';

// One small pool for every limiter of this process (globalThis: Next's bundle and server.ts share it).
const POOL = Symbol.for('keyhold.rateLimits.pool');
const holder = globalThis as unknown as Record<symbol, pg.Pool | undefined>;
const pool = () => (holder[POOL] ??= new pg.Pool({ connectionString: databaseUrl(), max: 3, connectionTimeoutMillis: 2_000 }));

/**
 * A limiter allowing `points` per `durationSeconds` per key. `name` keeps each
 * limiter's keys apart in the shared table (and must be unique).
 */
export function createRateLimiter(name: string, points: number, durationSeconds: number): RateLimiterAbstract {
  const options = { keyPrefix: name, points, duration: durationSeconds };
  if (provider !== 'postgresql') return new RateLimiterMemory(options);
  return new RateLimiterPostgres(
    { ...options, storeClient: pool(), tableName: TABLE, insuranceLimiter: new RateLimiterMemory(options) },
    // Creating the table (IF NOT EXISTS) can fail while the database is away; the insurance limiter counts meanwhile.
    () => undefined,
  );
}
