// The PostgreSQL side of backups, behind the same commands as SQLite:
// pg_dump (custom format) inside an exported snapshot, so the row counts in
// the manifest and the dump see the same moment; pg_restore into an empty
// database; a scratch database for `backup --verify`. Needs the PostgreSQL
// client programs (pg_dump, pg_restore) on PATH or in /usr/lib/postgresql/<n>/bin.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { RATE_LIMIT_TABLE } from '@/lib/db-providers.mjs';
import { KeysError } from '@/lib/keys/batches';
import { headerVersions, MASTER_SEALED_COLUMNS } from '@/lib/keys/master-columns';

function pgProgram(name: 'pg_dump' | 'pg_restore'): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  const debian = '/usr/lib/postgresql';
  const versions = fs.existsSync(debian) ? fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (fs.existsSync(path.join(debian, v, 'bin', name))) return path.join(debian, v, 'bin', name);
  throw new KeysError(`${name} is not installed: install the PostgreSQL client programs (Debian: apt-get install postgresql-client)`);
}

/**
 * Runs pg_dump / pg_restore on `url`'s database. The password goes through the
 * child's PGPASSWORD, never its command line, which every local user can read.
 */
function run(program: 'pg_dump' | 'pg_restore', url: string, args: string[]): Promise<void> {
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(pgProgram(program), [...args, `--dbname=${target.toString()}`], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new KeysError(`${program} failed: ${stderr.trim().split('\n')[0] ?? `exit ${code}`}`))));
  });
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Rows per table: Prisma's bookkeeping and the transient rate limits left out (an instance may have made that table in an empty database). */
async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const tables = await client.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('_prisma_migrations', $1) ORDER BY tablename`,
    [RATE_LIMIT_TABLE],
  );
  const counts: Record<string, number> = {};
  for (const { tablename } of tables.rows) {
    const result = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${tablename.replaceAll('"', '""')}"`);
    counts[tablename] = Number(result.rows[0].n);
  }
  return counts;
}

async function lastMigration(client: pg.Client): Promise<string | null> {
  const exists = await client.query(`SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = '_prisma_migrations'`);
  if (exists.rowCount === 0) return null;
  const row = await client.query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1`,
  );
  return row.rows[0]?.migration_name ?? null;
}

export const postgresRowCounts = (url: string) => withClient(url, countRows);

/** pg_dump of the database in the snapshot that the row counts read, without the rate limits (transient; the app makes their table again). */
export async function postgresDump(
  url: string,
  dest: string,
): Promise<{ rowCounts: Record<string, number>; migration: string | null; masterKeyVersions: number[] }> {
  return withClient(url, async (client) => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0].id;
      const rowCounts = await countRows(client);
      const migration = await lastMigration(client);
      // The master key versions the dump needs, read in its own snapshot.
      const blobs: Uint8Array[] = [];
      for (const { table, column } of MASTER_SEALED_COLUMNS) {
        const result = await client.query<{ blob: Buffer }>(`SELECT "${column}" AS blob FROM "${table}" WHERE "${column}" IS NOT NULL`);
        blobs.push(...result.rows.map((r) => r.blob));
      }
      const masterKeyVersions = headerVersions(blobs);
      await run('pg_dump', url, [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--exclude-table=${RATE_LIMIT_TABLE}`,
        `--snapshot=${snapshot}`,
        `--file=${dest}`,
      ]);
      return { rowCounts, migration, masterKeyVersions };
    } finally {
      await client.query('COMMIT');
    }
  });
}

export async function postgresRestore(dump: string, url: string): Promise<void> {
  await run('pg_restore', url, ['--no-owner', '--no-privileges', '--clean', '--if-exists', '--single-transaction', '--exit-on-error', dump]);
}

/** A throwaway database on the same server, with the dump restored into it (for `backup --verify`). */
export async function postgresScratch(dump: string, url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `keyhold_verify_${randomBytes(6).toString('hex')}`;
  await withClient(url, (client) => client.query(`CREATE DATABASE ${name}`));
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const drop = () => withClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name}`)).then(() => undefined);
  try {
    await postgresRestore(dump, scratch.toString());
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: scratch.toString(), drop };
}
