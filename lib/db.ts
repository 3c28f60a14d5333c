// No `server-only` marker here: server.ts's lean /api/v1 handler imports this
// module outside Next's bundler, where the marker throws. A client import
// still fails the build: better-sqlite3 and pg cannot be bundled for a browser.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import { PrismaClient as PrismaClientPg } from '@/lib/generated/prisma-pg/client';
import { databasePoolSize, databaseUrl } from '@/lib/env';
import { providerOf, unsupportedUrlMessage } from '@/lib/db-providers.mjs';

// The one PrismaClient, chosen from DATABASE_URL (file: → SQLite,
// postgres(ql):// → PostgreSQL), cached on globalThis so dev reloads and
// Next's bundled copy of this module share it with server.ts's copy.
const globalForDb = globalThis as unknown as { keyholdDb?: PrismaClient };

/** Which database this process runs on. */
export const provider = providerOf(databaseUrl());

/**
 * A new PrismaClient on the database of `url` with that provider's adapter
 * (the app's one client below is this on DATABASE_URL; tests open a restored
 * copy or a second database with it). The caller disconnects it.
 */
export function createDatabaseClient(url: string = databaseUrl()): PrismaClient {
  const kind = providerOf(url);
  if (kind === 'postgresql') {
    // Both clients are generated from one model (lib/db-providers.mjs), so their APIs are the same.
    return new PrismaClientPg({
      adapter: new PrismaPg({ connectionString: url, max: databasePoolSize(), connectionTimeoutMillis: 5_000 }),
    }) as unknown as PrismaClient;
  }
  if (kind !== 'sqlite') throw new Error(unsupportedUrlMessage(url));
  // WAL mode is set once by the migration script and persists in the file.
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url, timeout: 5000 }) });
}

// Codes that mean "the database is away", not "this request is wrong": Prisma's
// connection errors, and PostgreSQL's connection (08xxx) and shutdown (57P0x) classes.
const UNAVAILABLE_PRISMA = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const UNAVAILABLE_SQLSTATE = /^(08|57P0)/;
const UNAVAILABLE_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** A store in the database failed in a way no request can be answered safely through (the rate limits'): answered like an unreachable database. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** True when an error means the database cannot be reached (answered 503 `database_unavailable`). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNAVAILABLE_PRISMA.has(code) || UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE.has(code)) return true;
    if (e.name === 'PrismaClientInitializationError' || e.kind === 'DatabaseNotReachable') return true;
    if (/Connection terminated|Connection ended|timeout exceeded when trying to connect/i.test(String(e.message ?? ''))) return true;
    e = ((e.meta as Record<string, unknown> | undefined)?.driverAdapterError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return false;
}

/** A unique constraint refused the write (P2002; raw statements report it as P2010 with the driver's kind). */
export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError &&
  (error.code === 'P2002' ||
    (error.meta as { driverAdapterError?: { cause?: { kind?: string } } } | undefined)?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');

export const db: PrismaClient = globalForDb.keyholdDb ?? (globalForDb.keyholdDb = createDatabaseClient());

/**
 * For transactions that write secrets: they may queue behind a redeploy that
 * holds its environment's lock while it snapshots (PostgreSQL), or behind
 * SQLite's one writer; Prisma's defaults (2 s to start, 5 s to finish) would
 * turn that wait into a failure.
 */
export const SECRET_WRITE_TRANSACTION = { maxWait: 10_000, timeout: 30_000 } as const;

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

// A write that changes nothing, so it runs the same on both databases.
const NO_OP_UPDATE = {
  Project: Prisma.sql`UPDATE "Project" SET "name" = "name"`,
  Environment: Prisma.sql`UPDATE "Environment" SET "position" = "position"`,
};

/**
 * Locks a row until the transaction ends: transactions that check something
 * of it and then change it (a project's last owner, an environment's next
 * deployment) run one after another. PostgreSQL locks the row; SQLite takes
 * its one write lock at once.
 */
export const lockRow = (tx: Tx, table: keyof typeof NO_OP_UPDATE, where: { id: string; projectId?: string }) =>
  tx.$executeRaw`${NO_OP_UPDATE[table]} WHERE "id" = ${where.id}${where.projectId === undefined ? Prisma.empty : Prisma.sql` AND "projectId" = ${where.projectId}`}`;
