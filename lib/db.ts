// No `server-only` marker here: server.ts's lean /api/v1 handler imports this
// module outside Next's bundler, where the marker throws. A client import
// still fails the build: better-sqlite3 cannot be bundled for a browser.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { databaseUrl } from '@/lib/env';

// The one PrismaClient, cached on globalThis so dev reloads reuse it.
const globalForDb = globalThis as unknown as { keyholdDb?: PrismaClient };

function createClient(): PrismaClient {
  const url = databaseUrl();
  if (!url.startsWith('file:')) {
    throw new Error('DATABASE_URL must be a file: URL (SQLite); PostgreSQL support comes with a later release');
  }
  // WAL mode is set once by the migration script and persists in the file.
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url, timeout: 5000 }) });
}

export const db: PrismaClient = globalForDb.keyholdDb ?? (globalForDb.keyholdDb = createClient());

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
