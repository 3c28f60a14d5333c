// The SQLite side of backups (SQLite-specific SQL lives only here): an online
// copy with VACUUM INTO, row counts and the last migration read from a
// database file, and a restore that puts a copy in place of the database file.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { missingDatabase } from '@/lib/env';
import { KeysError, type Progress } from '@/lib/keys/batches';
import { headerVersions, MASTER_SEALED_COLUMNS } from '@/lib/keys/master-columns';

/** Rows per table (Prisma's bookkeeping table left out), or null when the file does not exist. */
export function sqliteRowCounts(file: string): Record<string, number> | null {
  if (!fs.existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' ORDER BY name`)
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((t) => [
        t,
        db
          .prepare(`SELECT COUNT(*) FROM "${t.replaceAll('"', '""')}"`)
          .pluck()
          .get() as number,
      ]),
    );
  } finally {
    db.close();
  }
}

export function sqliteLastMigration(file: string): string | null {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1`).pluck().get();
    return (row as string | undefined) ?? null;
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of a live database while the app keeps reading and writing:
 * `VACUUM INTO` copies one read snapshot in one statement (in WAL mode writers
 * go on meanwhile). SQLite's online backup API, stepped, restarts whenever
 * another connection writes and can stall under constant writes.
 */
export async function sqliteDump(file: string, dest: string, progress: Progress): Promise<void> {
  const missing = missingDatabase(`file:${file}`);
  if (missing) throw new KeysError(missing);
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const pages = db.pragma('page_count', { simple: true }) as number;
    progress('database pages copied', 0, pages);
    db.prepare('VACUUM INTO ?').run(dest);
    progress('database pages copied', pages, pages);
  } finally {
    db.close();
  }
  fs.chmodSync(dest, 0o600);
}

/** The master key versions that the master-sealed blobs of a database file name (read from the copy itself). */
export async function sqliteMasterKeyVersions(file: string): Promise<number[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const blobs: Uint8Array[] = [];
    for (const { table, column } of MASTER_SEALED_COLUMNS) {
      blobs.push(...(db.prepare(`SELECT "${column}" FROM "${table}" WHERE "${column}" IS NOT NULL`).pluck().all() as Uint8Array[]));
    }
    return headerVersions(blobs);
  } finally {
    db.close();
  }
}

/**
 * Puts a database copy in place of `file`: `write` makes the copy in a staging
 * file beside it (a rename is atomic only within one filesystem, and the temp
 * folder may be on another), then the old database's files go (its -wal and
 * -shm belong to it) and the copy is renamed into place.
 */
export async function sqliteRestore(write: (staged: string) => Promise<void>, file: string): Promise<void> {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const staged = path.join(dir, `.${path.basename(file)}.restoring-${randomBytes(6).toString('hex')}`);
  try {
    await write(staged);
    fs.chmodSync(staged, 0o600);
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
    fs.renameSync(staged, file);
  } finally {
    fs.rmSync(staged, { force: true });
  }
}
