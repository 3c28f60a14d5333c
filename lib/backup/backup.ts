// `npm run backup -- <file>`, `npm run backup -- --verify <file>` and
// `npm run restore -- <file>` (README "Keys and backups"). One code path for
// both databases; what differs (how to copy, count and restore) is in
// sqlite.ts and postgres.ts. The database client (lib/db.ts) is bound to
// DATABASE_URL when first imported, so each command imports the key code only
// once DATABASE_URL names the database it must check (no static import of
// lib/db here, directly or through lib/projects or lib/keys modules that use it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkPayload, extractPayload, readManifest, writeArchive, type Manifest } from '@/lib/backup/archive';
import { postgresDump, postgresRestore, postgresRowCounts, postgresScratch } from '@/lib/backup/postgres';
import { sqliteDump, sqliteLastMigration, sqliteMasterKeyVersions, sqliteRestore, sqliteRowCounts } from '@/lib/backup/sqlite';
import { parseKeyring } from '@/lib/crypto/keyring';
import { providerOf } from '@/lib/db-providers.mjs';
import { databaseUrl, env, sqliteFile } from '@/lib/env';
import { KeysError, listed, type Progress } from '@/lib/keys/batches';
import type { Verification } from '@/lib/keys/verify';
import { applyMigrations } from '@/lib/migrate.mjs';

const ROOT = path.resolve(__dirname, '../..');

type Provider = Manifest['provider'];

function providerOfUrl(url: string): Provider {
  const provider = providerOf(url);
  if (!provider) throw new KeysError('DATABASE_URL must be a file: (SQLite) or postgresql:// URL');
  return provider;
}

function keyholdVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-backup-'));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A consistent online backup of the database of DATABASE_URL into one archive file. */
export async function createBackup(file: string, progress: Progress, options: { force?: boolean } = {}): Promise<Manifest> {
  const url = databaseUrl();
  const provider = providerOfUrl(url);
  const target = path.resolve(file);
  if (provider === 'sqlite' && target === sqliteFile(url)) throw new KeysError('the backup file cannot be the database itself');
  if (!options.force && fs.existsSync(target)) throw new KeysError(`${file} already exists: choose another file, or pass --force to overwrite it`);
  return withTempDir(async (dir) => {
    const dump = path.join(dir, 'dump');
    // The master key versions are read from the dump itself (its blobs' headers), not from the live database.
    let rowCounts: Record<string, number>;
    let migration: string | null;
    let masterKeyVersions: number[];
    if (provider === 'sqlite') {
      await sqliteDump(sqliteFile(url), dump, progress);
      rowCounts = sqliteRowCounts(dump)!;
      migration = sqliteLastMigration(dump);
      masterKeyVersions = await sqliteMasterKeyVersions(dump);
    } else {
      ({ rowCounts, migration, masterKeyVersions } = await postgresDump(url, dump));
    }
    return writeArchive(
      target,
      {
        format: 1,
        keyholdVersion: keyholdVersion(),
        createdAt: new Date().toISOString(),
        provider,
        migration,
        rowCounts,
        masterKeyVersions,
      },
      dump,
    );
  });
}

/** Reads the archive, checks both checksums and that every master key version it needs is configured. */
async function openArchive(file: string): Promise<{ manifest: Manifest; payloadOffset: number }> {
  const { manifest, payloadOffset } = readManifest(file);
  await checkPayload(file, manifest, payloadOffset);
  const configured = parseKeyring(env().KEYHOLD_MASTER_KEY).keys;
  const missing = manifest.masterKeyVersions.filter((v) => !configured.has(v));
  if (missing.length) {
    throw new KeysError(`this backup needs master key version ${listed(missing)}, which KEYHOLD_MASTER_KEY does not list`);
  }
  return { manifest, payloadOffset };
}

export type BackupCheck = { manifest: Manifest; verification: Verification; rowCounts: Record<string, number> };

/** Every key and blob of the database now at DATABASE_URL decrypts with the configured master keys (nothing is changed). */
async function checkDatabase(manifest: Manifest, rowCounts: Record<string, number>): Promise<BackupCheck> {
  const { verifyKeys } = await import('@/lib/keys/verify');
  const { db } = await import('@/lib/db');
  try {
    const verification = await verifyKeys({ destroyRetired: false });
    return { manifest, verification, rowCounts };
  } finally {
    await db.$disconnect();
  }
}

export const decryptsEverything = (check: BackupCheck) =>
  check.verification.masterFailures.length === 0 && check.verification.projects.every((p) => p.failures.length === 0);

/**
 * `backup --verify`: checksums, then the dump loaded into a scratch database and every key and blob in it decrypted.
 * SQLite: the scratch database is a file. PostgreSQL: a database created (and dropped) on the server of DATABASE_URL.
 */
export async function verifyBackup(file: string): Promise<BackupCheck> {
  const { manifest, payloadOffset } = await openArchive(file);
  return withTempDir(async (dir) => {
    const dump = path.join(dir, 'dump');
    await extractPayload(file, payloadOffset, dump);
    if (manifest.provider === 'sqlite') {
      process.env.DATABASE_URL = `file:${dump}`;
      return checkDatabase(manifest, sqliteRowCounts(dump)!);
    }
    // The scratch database goes on the server of DATABASE_URL: without a PostgreSQL one, pg would try localhost:5432.
    const url = databaseUrl();
    if (providerOfUrl(url) !== 'postgresql') {
      throw new KeysError(
        `this is a postgresql backup: --verify restores it into a scratch database on the PostgreSQL server of DATABASE_URL, which points at ${providerOfUrl(url)}`,
      );
    }
    const scratch = await postgresScratch(dump, url);
    try {
      process.env.DATABASE_URL = scratch.url;
      return await checkDatabase(manifest, await postgresRowCounts(scratch.url));
    } finally {
      await scratch.drop();
    }
  });
}

const FIRST = ['Project', 'User'];
const rank = (table: string) => (FIRST.includes(table) ? FIRST.indexOf(table) : FIRST.length);

const rowNoun = (table: string, n: number) => {
  const words = table.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${n.toLocaleString('en-US')} ${n === 1 ? words : `${words}s`}`;
};

/** `restore`: into an empty database only, then migrations up to this version, then the same verification. */
export async function restoreBackup(file: string): Promise<BackupCheck> {
  const { manifest, payloadOffset } = await openArchive(file);
  const url = databaseUrl();
  const provider = providerOfUrl(url);
  if (provider !== manifest.provider) {
    throw new KeysError(`this is a ${manifest.provider} backup but DATABASE_URL points at ${provider}: restore it into a ${manifest.provider} database`);
  }
  const counts = (provider === 'sqlite' ? sqliteRowCounts(sqliteFile(url)) : await postgresRowCounts(url)) ?? {};
  // Projects and users first: what a person recognizes.
  const found = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b));
  if (found.length) {
    throw new KeysError(`the database already has ${listed(found.map(([table, n]) => rowNoun(table, n)))}: restore only into an empty database`);
  }
  if (provider === 'sqlite') {
    // Extracted straight beside the database file, then renamed into place.
    await sqliteRestore((staged) => extractPayload(file, payloadOffset, staged), sqliteFile(url));
  } else {
    await withTempDir(async (dir) => {
      const dump = path.join(dir, 'dump');
      await extractPayload(file, payloadOffset, dump);
      await postgresRestore(dump, url);
    });
  }
  await applyMigrations({ databaseUrl: url, log: () => undefined });
  const restoredCounts = (provider === 'sqlite' ? sqliteRowCounts(sqliteFile(url)) : await postgresRowCounts(url)) ?? {};
  return checkDatabase(manifest, restoredCounts);
}
