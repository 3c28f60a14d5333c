import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

// The one reader of process.env. Read lazily, so `next build` works without
// runtime secrets; server.ts resolves the development defaults before Next loads.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  KEYHOLD_MASTER_KEY: z.string({ error: 'KEYHOLD_MASTER_KEY is not set' }).min(1, 'KEYHOLD_MASTER_KEY is not set'),
  NEXTAUTH_SECRET: z.string({ error: 'NEXTAUTH_SECRET is not set' }).min(32, 'NEXTAUTH_SECRET must be at least 32 characters'),
  NEXTAUTH_URL: z.url().optional(),
  /** Sign-in attempts allowed per email and address within 15 minutes. */
  KEYHOLD_LOGIN_ATTEMPTS: z.coerce.number().int().positive().default(10),
  /** /api/v1 requests allowed per service token per minute; 0 turns the limit off. */
  KEYHOLD_API_RATE_PER_TOKEN: z.coerce.number().int().min(0).default(1200),
  /** /api/v1 requests allowed per client address per minute; 0 turns the limit off. */
  KEYHOLD_API_RATE_PER_IP: z.coerce.number().int().min(0).default(6000),
  /**
   * How long (ms) a machine read may trust its cached answer to "which deployment
   * is live" before asking the database again. A deployment that succeeds in this
   * process is seen at once (event); this bounds the delay for one that succeeded
   * elsewhere (another instance, a script). 0 asks on every read.
   */
  KEYHOLD_API_LIVE_TTL_MS: z.coerce.number().int().min(0).default(1000),
  /**
   * `true` lets deploy hooks reach loopback, link-local, private and CGNAT
   * addresses (a receiver on the same host or network; the tests). Off by default.
   */
  KEYHOLD_HOOKS_ALLOW_PRIVATE: z
    .enum(['true', 'false'], { error: 'KEYHOLD_HOOKS_ALLOW_PRIVATE must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * Encryptions under one project data key after which the project's data key
   * is rotated automatically, in the background (random 96-bit nonces are safe
   * up to about 2^32 per key). Lowered in tests.
   */
  KEYHOLD_DATA_KEY_ROTATE_AFTER: z.coerce
    .number()
    .int()
    .positive()
    .default(2 ** 31),
  /** Rows (secrets with their versions, deployments, project keys) re-wrapped or re-encrypted per transaction by key rotations. */
  KEYHOLD_KEYS_BATCH: z.coerce.number().int().positive().max(500).default(500),
  /** Tests only: a pause (ms) after each rotation batch, so a test can kill a rotation midway. */
  KEYHOLD_KEYS_BATCH_PAUSE_MS: z.coerce.number().int().min(0).default(0),
  /** Tests only: how often (ms) machine reads are written (Last read, `secrets.read` events); a minute by design (DESIGN §12). */
  KEYHOLD_READS_FLUSH_MS: z.coerce.number().int().positive().max(3_600_000).default(60_000),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** DATABASE_URL alone: the database client is created at import, also during `next build`. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL || 'file:./data/keyhold.db';
}

/**
 * KEYHOLD_DB_POOL_SIZE: PostgreSQL connections per instance (default 10). With N
 * instances the server must allow N × this plus one listener connection each.
 */
export function databasePoolSize(): number {
  const size = Number(process.env.KEYHOLD_DB_POOL_SIZE || 10);
  if (!Number.isInteger(size) || size < 1) throw new Error('KEYHOLD_DB_POOL_SIZE must be a whole number of at least 1');
  return size;
}

/** The SQLite file behind a `file:` DATABASE_URL, resolved against the working directory. */
export function sqliteFile(url: string): string {
  return path.resolve(url.replace(/^file:/, '').replace(/\?.*$/, ''));
}

/**
 * One line when DATABASE_URL names a SQLite file that does not exist (opening
 * it would create an empty database), else null. Names the file, never the URL
 * (a PostgreSQL URL may hold a password; its absence is the client's to report).
 */
export function missingDatabase(url: string = databaseUrl()): string | null {
  if (!url.startsWith('file:')) return null;
  const file = sqliteFile(url);
  return fs.existsSync(file) ? null : `no database at DATABASE_URL (${file} does not exist): run \`npm run migrate\` first, or check DATABASE_URL`;
}
