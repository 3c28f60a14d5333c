import fs from 'node:fs';
import { applyMigrations } from '@/lib/migrate.mjs';
import { db, provider } from '@/lib/db';
import { sqliteFile } from '@/lib/env';

/** Applies the real migrations to this test file's database (SQLite or PostgreSQL). */
export async function migrateTestDatabase(): Promise<void> {
  await applyMigrations({ databaseUrl: process.env.DATABASE_URL!, log: () => undefined });
}

/**
 * Everything the database holds, as bytes, to prove a value never lands in it
 * in plaintext: the SQLite file and its WAL after a checkpoint, or every
 * PostgreSQL row as text with its bytea columns decoded back to bytes.
 */
export async function storedBytes(): Promise<Buffer[]> {
  if (provider === 'sqlite') {
    await db.$executeRawUnsafe('PRAGMA wal_checkpoint(FULL)');
    const file = sqliteFile(process.env.DATABASE_URL!);
    return [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f));
  }
  const tables = await db.$queryRawUnsafe<{ name: string }[]>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
  const out: Buffer[] = [];
  for (const { name } of tables) {
    const rows = await db.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${name}" t`);
    for (const { row } of rows) {
      out.push(Buffer.from(row));
      for (const hex of row.matchAll(/\\{1,2}x([0-9a-f]+)/g)) out.push(Buffer.from(hex[1], 'hex'));
    }
  }
  return out;
}
