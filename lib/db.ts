import 'server-only';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { env } from '@/lib/env';

// The one PrismaClient, cached on globalThis so dev reloads reuse it.
const globalForDb = globalThis as unknown as { keyholdDb?: PrismaClient };

function createClient(): PrismaClient {
  const url = env().DATABASE_URL;
  if (!url.startsWith('file:')) {
    throw new Error('DATABASE_URL must be a file: URL (SQLite); PostgreSQL support comes with a later release');
  }
  // WAL mode is set once by the migration script and persists in the file.
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url, timeout: 5000 }) });
}

export const db: PrismaClient = globalForDb.keyholdDb ?? (globalForDb.keyholdDb = createClient());

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
