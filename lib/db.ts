// No `server-only` marker here: server.ts's lean /api/v1 handler imports this
// module outside Next's bundler, where the marker throws. A client import
// still fails the build: better-sqlite3 and pg cannot be bundled for a browser.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { PrismaClient as PrismaClientPg } from '@/lib/generated/prisma-pg/client';
import { databasePoolSize, databaseUrl } from '@/lib/env';
import { providerOf, unsupportedUrlMessage } from '@/lib/db-providers.mjs';

// The one PrismaClient, chosen from DATABASE_URL (file: → SQLite,
// postgres(ql):// → PostgreSQL), cached on globalThis so dev reloads and
// Next's bundled copy of this module share it with server.ts's copy.
const globalForDb = globalThis as unknown as { keyholdDb?: PrismaClient };

/** Which database this process runs on. */
export const provider = providerOf(databaseUrl());

function createClient(): PrismaClient {
  const url = databaseUrl();
  if (provider === 'postgresql') {
    // Both clients are generated from one model (lib/db-providers.mjs), so their APIs are the same.
    return new PrismaClientPg({
      adapter: new PrismaPg({ connectionString: url, max: databasePoolSize(), connectionTimeoutMillis: 5_000 }),
    }) as unknown as PrismaClient;
  }
  if (provider !== 'sqlite') throw new Error(unsupportedUrlMessage(url));
  // WAL mode is set once by the migration script and persists in the file.
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url, timeout: 5000 }) });
}

export const db: PrismaClient = globalForDb.keyholdDb ?? (globalForDb.keyholdDb = createClient());

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
