import { applyMigrations } from '../../scripts/migrate.mjs';
import { sqliteFile } from '@/lib/env';

/** Applies the real migrations to this test file's SQLite database. */
export async function migrateTestDatabase(): Promise<string> {
  const url = process.env.DATABASE_URL!;
  await applyMigrations({ databaseUrl: url, log: () => undefined });
  return sqliteFile(url);
}
